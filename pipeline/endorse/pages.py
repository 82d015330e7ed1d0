"""Which pages of a document are looked at for endorsement marks, and their pixels in colour.

Endorsements sit where a document is signed: the end of a letter, decree or report (and the end of its
appendix), sometimes the cover. So: every page of a short document, the first two and the last two of a longer
one (`chosen_pages`): the cost stays a few pages per document, whatever its length. Pages are rendered at
`DPI` 150, enough for a TTE QR code's modules (3-4 pixels each at 2.5 cm) and far below OCR's 300.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

DPI = 150.0
EDGE = 2  # pages looked at from each end of a longer document


def chosen_pages(count: int) -> list[int]:
    """0-based indexes of the pages looked at, in order."""
    if count <= 2 * EDGE:
        return list(range(count))
    return [*range(EDGE), *range(count - EDGE, count)]


def page_images(path: Path, kind: str, max_pixels: int = 40_000_000) -> Iterator[tuple[int, np.ndarray, float]]:
    """(1-based page number, BGR image, dpi) for each chosen page of a PDF or an image file; nothing for other
    kinds (office files have no pixels to stamp)."""
    if kind == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            for index in chosen_pages(len(pdf)):
                page = pdf[index]
                try:
                    w, h = page.get_size()
                    scale = min(DPI / 72, (max_pixels / max(w * h, 1)) ** 0.5)
                    bitmap = page.render(scale=scale, may_draw_forms=False)  # BGR(A) by default in pdfium
                    rgb = np.asarray(bitmap.to_pil().convert("RGB"))
                    bitmap.close()
                finally:
                    page.close()
                yield index + 1, np.ascontiguousarray(rgb[:, :, ::-1]), scale * 72
        finally:
            pdf.close()
    elif kind == "image":
        with Image.open(path) as img:
            frames = getattr(img, "n_frames", 1)
            for index in chosen_pages(frames):
                img.seek(index)
                frame = ImageOps.exif_transpose(img.convert("RGB"))
                dpi = float((img.info.get("dpi") or (DPI, DPI))[0]) or DPI
                if frame.width * frame.height > max_pixels:
                    continue
                scale = min(1.0, DPI / dpi) if dpi > DPI else 1.0  # a 600 dpi scan is halved, a photo kept
                if scale < 1.0:
                    frame = frame.resize((int(frame.width * scale), int(frame.height * scale)))
                yield index + 1, np.ascontiguousarray(np.asarray(frame)[:, :, ::-1]), dpi * scale
