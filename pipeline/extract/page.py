"""What was read from one page. Kept apart from the ledger so OCR workers need not import SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass

# Where a page's text came from (PageRecord.source; the ledger's column holds 16 characters).
TEXT_LAYER = "text-layer"  # the PDF's own text, judged good: no OCR
OCR = "ocr"  # no usable text layer: Tesseract
OCR_OVER_POOR_LAYER = "ocr:poor-layer"  # the layer read like bad OCR; read again, and Tesseract read better
POOR_LAYER_KEPT = "text-layer:kept"  # the layer read like bad OCR; read again, but the layer still read better


@dataclass(frozen=True)
class PageRecord:
    number: int
    source: str
    raw_text: str
    ocr_confidence: float | None = None
    rotation: int | None = None
    skew: float | None = None
    error: str | None = None
    worker_peak_mb: float | None = None  # peak memory of the process that read it (measured, not stored)
    note: str | None = None  # why this reading was kept, when a suspect text layer met OCR (logged, not stored)

    @property
    def chars(self) -> int:
        return len(self.raw_text.strip())
