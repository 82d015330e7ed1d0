"""Read one page: render or decode it, then OCR it. The unit of distributable work: a `PageJob` (plain data)
in, a `PageRecord` (plain data) out, so it runs the same in a local worker process or on a remote worker.

A job may carry a suspect text layer (one that reads like a bad OCR engine's): the page is OCR'd all the same
and the reading with more dictionary words, net of non-words, is kept; the record's `source` says which won.
"""

from __future__ import annotations

import dataclasses
import logging
import resource
from pathlib import Path

from pipeline.extract.normalize import text_quality
from pipeline.extract.ocr import ocr_image, tesseract_lexicon
from pipeline.extract.page import OCR, OCR_OVER_POOR_LAYER, POOR_LAYER_KEPT, PageRecord
from pipeline.extract.plan import PageJob
from pipeline.extract.raster import is_blank, limit_pixels, load_image_frame, render_pdf_page

log = logging.getLogger(__name__)


def read_page(job: PageJob) -> PageRecord:
    """Render or decode one page and OCR it. Never raises: a failure is recorded on the page."""
    record = _read_page(job)
    if job.layer_text is not None:
        record = better_reading(job, record)
    return dataclasses.replace(record, worker_peak_mb=_peak_mb())


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
            return PageRecord(job.number, OCR, "")
        reading = ocr_image(img, job.languages, job.timeout, dpi)
        return PageRecord(job.number, OCR, reading.text, reading.confidence, reading.rotation, reading.skew)
    except Exception as exc:  # Tesseract timeout, decoder error, ...: this page fails, the run goes on
        message = str(exc).strip() or type(exc).__name__
        log.warning("page %d of %s failed: %s", job.number, job.sha256[:12], message)
        return PageRecord(job.number, OCR, "", error=f"{type(exc).__name__}: {message}"[:500])


def better_reading(job: PageJob, ocr: PageRecord) -> PageRecord:
    """The suspect text layer or the new OCR reading, whichever has more dictionary words net of the others
    (so a longer reading only wins if its extra words are words). Ties and failed OCR keep the layer."""
    lexicon = tesseract_lexicon(job.languages)
    layer_q, ocr_q = text_quality(job.layer_text or "", lexicon), text_quality(ocr.raw_text, lexicon)
    ocr_wins = ocr.error is None and ocr_q.net > layer_q.net
    confidence = "failed" if ocr.error else (f"confidence {ocr.ocr_confidence:.0f}"
                                             if ocr.ocr_confidence is not None else "no words")
    note = (f"text layer: {layer_q.summary()}; OCR ({confidence}): {ocr_q.summary()}; "
            f"kept the {'OCR' if ocr_wins else 'text layer'}")
    log.info("page %d of %s: %s", job.number, job.sha256[:12], note)
    if ocr_wins:
        return dataclasses.replace(ocr, source=OCR_OVER_POOR_LAYER, note=note)
    return PageRecord(job.number, POOR_LAYER_KEPT, job.layer_text or "", note=note)
