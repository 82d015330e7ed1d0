"""Stage 3: decide, page by page, how each new document is read.

Text-layer pages are read right here with pdfplumber (cheap); pages without usable text become OCR jobs for
the worker pool (stage 4). A text layer that reads like the work of a bad OCR engine (judged against
Tesseract's dictionaries; strictly when it is the invisible layer over a scanned image) also becomes an OCR
job, carrying the layer's text so that the worker keeps the better of the two readings. A file that cannot be
read raises `Rejected` with its reason.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image

from . import reasons
from .page import TEXT_LAYER, PageRecord
from .normalize import poor_layer, text_quality, usable_text
from .office import read_docx, read_text_file, read_xlsx
from .raster import choose_dpi
from .sniff import CLAIMS, IMAGE_KINDS, READABLE, sniff

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageJob:
    """One page to OCR; plain data so it pickles to a worker process."""
    sha256: str
    source: str  # path of the archived original
    kind: str  # "pdf" or "image"
    index: int  # page or frame index, 0-based
    dpi: float | None
    languages: str
    timeout: float
    max_pixels: int
    layer_text: str | None = None  # a suspect text layer: the page is OCR'd and the better reading kept

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class Plan:
    sha256: str
    kind: str
    done: list[PageRecord] = field(default_factory=list)
    jobs: list[PageJob] = field(default_factory=list)


@dataclass(frozen=True)
class OcrOptions:
    languages: str = "ind+eng"
    timeout: float = 180.0
    default_dpi: float = 300.0
    max_render_pixels: int = 40_000_000
    max_image_pixels: int = 250_000_000
    max_file_bytes: int = 500_000_000


def identify(source: Path, name: str, kind: str | None = None) -> str:
    """Content kind of `source` (sniffed unless already known); rejects empty, misnamed and unsupported files.
    `name` is the inbox name."""
    kind = kind or sniff(source)
    if kind == "empty":
        raise reasons.Rejected("quarantined", reasons.empty_file())
    claimed = CLAIMS.get(PurePosixPath(name).suffix.lower())
    if claimed and claimed != kind and not (claimed in IMAGE_KINDS and kind in IMAGE_KINDS):
        # A .pdf that holds text or HTML is a failed download or a wrong "save as": a bad file, not a format.
        raise reasons.Rejected("quarantined", reasons.type_mismatch(PurePosixPath(name).suffix.lower(), kind))
    if kind == "text" and claimed != "text":
        raise reasons.Rejected("unsupported", reasons.unsupported(kind))
    if kind not in READABLE:
        raise reasons.Rejected("unsupported", reasons.unsupported(kind))
    return kind


def plan_document(sha256: str, source: Path, name: str, options: OcrOptions, kind: str | None = None) -> Plan:
    size = source.stat().st_size
    if size > options.max_file_bytes:
        raise reasons.Rejected("quarantined", reasons.too_big_file(size, options.max_file_bytes))
    kind = identify(source, name, kind)
    plan = Plan(sha256, kind)
    if kind == "pdf":
        _plan_pdf(plan, source, options)
    elif kind in IMAGE_KINDS:
        _plan_image(plan, source, options)
    elif kind == "docx":
        plan.done = [PageRecord(1, TEXT_LAYER, read_docx(source))]
    elif kind == "xlsx":
        plan.done = [PageRecord(i, TEXT_LAYER, t) for i, t in enumerate(read_xlsx(source), start=1)]
    elif kind == "text":
        plan.done = [PageRecord(1, TEXT_LAYER, read_text_file(source))]
    return plan


def _job(plan: Plan, source: Path, kind: str, index: int, dpi: float | None, options: OcrOptions,
         layer_text: str | None = None) -> PageJob:
    return PageJob(plan.sha256, str(source), kind, index, dpi, options.languages, options.timeout,
                   options.max_render_pixels, layer_text)


def _plan_pdf(plan: Plan, source: Path, options: OcrOptions) -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    # PDFium first: it is fast, tells a password-protected file from a damaged one, and opens some files
    # pdfminer cannot. Owner-only restrictions (no password to open) are not encryption for us.
    try:
        pdf = pdfium.PdfDocument(str(source))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise reasons.Rejected("quarantined", reasons.encrypted_pdf()) from exc
        raise reasons.Rejected("quarantined", reasons.damaged_pdf(str(exc).split("(PDFium: ")[-1].rstrip(").")))
    try:
        sizes = [pdf.get_page_size(i) for i in range(len(pdf))]
    finally:
        pdf.close()
    if not sizes:
        raise reasons.Rejected("quarantined", reasons.no_pages())

    texts: list[str | None] = [None] * len(sizes)
    scan_dpis: list[float | None] = [None] * len(sizes)
    covered: list[bool] = [False] * len(sizes)
    try:
        with warnings.catch_warnings(), pdfplumber.open(source) as doc:
            warnings.simplefilter("ignore")
            for i, page in enumerate(doc.pages):
                if i >= len(sizes):
                    break
                try:
                    texts[i] = page.extract_text() or ""
                    scan_dpis[i] = _scan_dpi(page)
                    covered[i] = _image_cover(page) >= SCAN_COVER
                except Exception as exc:  # a page pdfminer chokes on is simply OCR'd
                    log.info("text layer of page %d of %s unreadable (%s); OCR instead", i + 1, source.name, exc)
                finally:
                    page.close()
    except Exception as exc:  # pdfminer cannot parse what PDFium repaired: OCR every page
        log.info("pdfplumber cannot open %s (%s); all pages go to OCR", source.name, exc)

    hidden = _hidden_layer_pages(source, [i for i, text in enumerate(texts) if text and covered[i]])
    for i, (width, height) in enumerate(sizes):
        verdict = _judge_layer(texts[i], i in hidden, options.languages)
        if verdict == "good":
            plan.done.append(PageRecord(i + 1, TEXT_LAYER, texts[i] or ""))
            continue
        dpi = choose_dpi(width, height, scan_dpis[i], options.default_dpi, options.max_render_pixels)
        plan.jobs.append(_job(plan, source, "pdf", i, dpi, options, texts[i] if verdict == "poor" else None))
        if verdict == "poor":
            log.info("page %d of %s: text layer reads like bad OCR; OCR'd again", i + 1, source.name)


# A page whose images cover this much of it is a scan (or a picture), whatever text lies over it.
SCAN_COVER = 0.5
INVISIBLE_MODES = (3, 7)  # PDF text render modes that paint nothing: OCR engines hide their text layer so


def _judge_layer(text: str | None, hidden: bool, languages: str) -> str:
    """"good": read from the layer; "poor": OCR, and keep the better reading; "none": OCR (nothing usable)."""
    if text is None or not usable_text(text):
        return "none"
    from .ocr import tesseract_lexicon  # loaded once per process, on the first text layer to judge

    return "poor" if poor_layer(text_quality(text, tesseract_lexicon(languages)), hidden) else "good"


def _image_cover(page) -> float:
    """Share of the page covered by its images (overlaps counted twice, capped at 1)."""
    area = float(page.width) * float(page.height)
    if area <= 0:
        return 0.0
    covered = 0.0
    for im in page.images:
        w = min(float(im["x1"]), float(page.width)) - max(float(im["x0"]), 0.0)
        h = min(float(im["bottom"]), float(page.height)) - max(float(im["top"]), 0.0)
        covered += max(w, 0.0) * max(h, 0.0)
    return min(1.0, covered / area)


def _hidden_layer_pages(source: Path, candidates: list[int]) -> set[int]:
    """Of the pages covered by an image and carrying text, those whose text is mostly invisible: a scan with
    an OCR layer under (or over) it. pdfplumber does not report render modes; PDFium does, page by page."""
    if not candidates:
        return set()
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    hidden = set()
    pdf = pdfium.PdfDocument(str(source))
    try:
        for i in candidates:
            page = pdf[i]
            try:
                modes = [pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
                         for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=4)]
            finally:
                page.close()
            if modes and sum(m in INVISIBLE_MODES for m in modes) > len(modes) / 2:
                hidden.add(i)
    except pdfium.PdfiumError as exc:  # opened a moment ago; if not now, judge the layers as visible
        log.info("render modes of %s unreadable (%s)", source.name, exc)
    finally:
        pdf.close()
    return hidden


def _scan_dpi(page) -> float | None:
    """Resolution of the largest image on the page, the scan's own resolution, in dots per inch."""
    best, best_area = None, 0.0
    for im in page.images:
        src = im.get("srcsize") or (0, 0)
        w_pt, h_pt = float(im.get("width") or 0), float(im.get("height") or 0)
        if not (src[0] and src[1] and w_pt > 1 and h_pt > 1):
            continue
        if (src[0] > src[1]) != (w_pt > h_pt):
            # Stored on its side and turned by the page (/Rotate, or a rotating matrix): pair the axes again,
            # or a 300 dpi scan reads as 460 dpi and is rendered with twice the pixels.
            src = (src[1], src[0])
        area = w_pt * h_pt
        if area > best_area:
            best_area = area
            best = max(src[0] / (w_pt / 72), src[1] / (h_pt / 72))
    # Small logos do not tell the resolution of a scanned page.
    return best if best and best_area > 0.1 * float(page.width) * float(page.height) else None


def _plan_image(plan: Plan, source: Path, options: OcrOptions) -> None:
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # opening reads only the header; we judge the size ourselves below
    try:
        with Image.open(source) as img:
            frames = getattr(img, "n_frames", 1)
            for frame in range(frames):
                if frame:
                    img.seek(frame)
                w, h = img.size
                if w * h > options.max_image_pixels:
                    raise reasons.Rejected("quarantined", reasons.image_too_large(w, h, options.max_image_pixels))
    except (OSError, SyntaxError, ValueError) as exc:
        raise reasons.Rejected("quarantined", reasons.damaged_image(str(exc)[:120])) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    for frame in range(frames):
        plan.jobs.append(_job(plan, source, "image", frame, None, options))


def plan_documents(ledger, new_documents, options: OcrOptions) -> list[Plan]:
    """Plan every new document; record the ones that cannot be read (quarantined or unsupported) at once."""
    plans = []
    for doc in new_documents:
        try:
            plans.append(plan_document(doc.sha256, doc.source, doc.name, options, doc.kind))
        except reasons.Rejected as rejected:
            log.info("%s %s: %s", doc.name, rejected.status, rejected.reason.en)
            ledger.reject(doc.sha256, rejected.status, rejected.reason.code, rejected.reason.id, rejected.reason.en)
        except Exception as exc:  # an unexpected parser failure is a bad file, never a failed run
            log.exception("unexpected error while opening %s", doc.name)
            reason = reasons.Reason("unreadable", f"Berkas tidak dapat dibaca ({type(exc).__name__}: {exc}).",
                                    f"The file cannot be read ({type(exc).__name__}: {exc}).")
            ledger.reject(doc.sha256, "quarantined", reason.code, reason.id[:1000], reason.en[:1000])
    return plans
