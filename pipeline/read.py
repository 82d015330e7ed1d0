"""Read one page: render or decode it, then OCR it. The unit of distributable work: a `PageJob` (plain data)
in, a `PageRecord` (plain data) out, so it runs the same in a local worker process or on a remote worker.
"""

from __future__ import annotations

import dataclasses
import logging
import resource
from pathlib import Path

from .ocr import ocr_image
from .page import PageRecord
from .plan import PageJob
from .raster import is_blank, limit_pixels, load_image_frame, render_pdf_page

log = logging.getLogger(__name__)


def read_page(job: PageJob) -> PageRecord:
    """Render or decode one page and OCR it. Never raises: a failure is recorded on the page."""
    return dataclasses.replace(_read_page(job), worker_peak_mb=_peak_mb())


def _peak_mb() -> float:
    # Workers are children of the forkserver, not of the caller: only they can measure themselves.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read_page(job: PageJob) -> PageRecord:
    try:
        if job.kind == "pdf":
            img, dpi = render_pdf_page(Path(job.source), job.index, job.dpi), job.dpi
        else:
            limit_pixels(job.max_pixels * 8)  # the plan checked the size; this only guards the decoder
            img, dpi = load_image_frame(Path(job.source), job.index, job.max_pixels)
        if is_blank(img):
            return PageRecord(job.number, "ocr", "")
        reading = ocr_image(img, job.languages, job.timeout, dpi)
        return PageRecord(job.number, "ocr", reading.text, reading.confidence, reading.rotation, reading.skew)
    except Exception as exc:  # Tesseract timeout, decoder error, ...: this page fails, the run goes on
        message = str(exc).strip() or type(exc).__name__
        log.warning("page %d of %s failed: %s", job.number, job.sha256[:12], message)
        return PageRecord(job.number, "ocr", "", error=f"{type(exc).__name__}: {message}"[:500])
