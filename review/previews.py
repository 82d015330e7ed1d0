"""First-page preview images, rendered from the archived original found by its hash, cached on disk."""

from __future__ import annotations

import threading
from pathlib import Path

from PIL import Image

from pipeline.extract.raster import load_image_frame, render_pdf_page
from pipeline.intake.record import archive_path

_PDFIUM = threading.Lock()  # PDFium is not thread-safe and the server answers from a thread pool


def preview_png(originals: Path, previews: Path, sha256: str, kind: str) -> Path | None:
    target = previews / f"{sha256}.png"
    if target.exists():
        return target
    source = archive_path(originals, sha256)
    if not source.exists() or kind not in ("pdf", "jpeg", "png", "tiff", "bmp", "webp"):
        return None
    try:
        if kind == "pdf":
            with _PDFIUM:
                img = render_pdf_page(source, 0, 60)
        else:
            img, _ = load_image_frame(source, 0, 20_000_000)
    except Exception:  # a preview is a convenience: a page that does not render shows no picture
        return None
    img.thumbnail((700, 1000), Image.Resampling.LANCZOS)
    previews.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    img.save(tmp, "PNG")
    tmp.replace(target)
    return target
