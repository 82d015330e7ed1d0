"""Extraction: how each page is read (plan), reading it (read, ocr, raster) on a pool of workers (workers), and the
document's text put back together and stored (store, normalize). Office files carry their text (office)."""
