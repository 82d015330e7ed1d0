"""Stage 5: put each document's pages back together, normalise its text and store it in the ledger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline import reasons
from pipeline.ledger.ledger import Ledger
from pipeline.extract.page import PageRecord
from pipeline.extract.normalize import normalize_text
from pipeline.extract.plan import Plan
from pipeline.status import Status

EXTRACTOR_VERSION = "4"  # bump when extraction changes enough that stored text should be redone
# 2: figure-heavy text layers read from the layer; poor hidden OCR layers re-read; small print enlarged; tall
#    images in pieces; sideways photos turned (issue 7, item 4)
# 3: text layers read with PDFium (its reading order: columns followed down), pdfplumber only for tables
#    of figures PDFium reads out of order (issue 11, item 3)
# 4: OCR by the libtesseract that tesserocr bundles (5.5.4), kept loaded in each worker, where Debian's 5.3.0
#    command read before: the same words on clean pages, a few characters apart on others (issue 11, item 1)


def assemble(pages: Sequence[PageRecord]) -> tuple[str, str]:
    """Raw text (pages separated by form feeds, as pdftotext does) and normalised text."""
    ordered = sorted(pages, key=lambda p: p.number)
    raw = "\f".join(p.raw_text for p in ordered)
    text = "\n\n".join(t for t in (normalize_text(p.raw_text) for p in ordered) if t)
    return raw, text


def store_documents(ledger: Ledger, plans: Sequence[Plan],
                    ocr_results: Mapping[tuple[str, int], PageRecord]) -> None:
    for plan in plans:
        pages = list(plan.done)
        for job in plan.jobs:
            pages.append(ocr_results.get((plan.sha256, job.number))
                         or PageRecord(job.number, "ocr", "", error="page was not read"))
        if pages and all(p.error for p in pages):
            reason = reasons.unreadable_pages(pages[0].error or "")
            status = Status.QUARANTINED
            ledger.reject(plan.sha256, status, reason.code, reason.id, reason.en)
            continue
        raw, text = assemble(pages)
        ledger.store_extraction(plan.sha256, pages, raw, text, EXTRACTOR_VERSION)
