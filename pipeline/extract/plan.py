"""Stage 3: decide, page by page, how each new document is read.

Text-layer pages are read right here with PDFium (about 1,000 pages/s; pdfplumber only for tables of
figures PDFium reads out of order); pages without usable text become OCR jobs for
the worker pool (stage 4). A text layer that reads like the work of a bad OCR engine (judged against
Tesseract's dictionaries; strictly when it is the invisible layer over a scanned image) also becomes an OCR
job, carrying the layer's text so that the worker keeps the better of the two readings. A file that cannot be
read raises `Rejected` with its reason.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image

from pipeline import reasons
from pipeline.extract.page import TEXT_LAYER, PageRecord
from pipeline.extract.normalize import poor_layer, text_quality, usable_text
from pipeline.extract.office import read_docx, read_text_file, read_xlsx
from pipeline.extract.raster import choose_dpi
from pipeline.intake.sniff import CLAIMS, IMAGE_KINDS, READABLE, sniff
from pipeline.status import Status

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
        raise reasons.Rejected(Status.QUARANTINED, reasons.empty_file())
    claimed = CLAIMS.get(PurePosixPath(name).suffix.lower())
    if claimed and claimed != kind and not (claimed in IMAGE_KINDS and kind in IMAGE_KINDS):
        # A .pdf that holds text or HTML is a failed download or a wrong "save as": a bad file, not a format.
        raise reasons.Rejected(Status.QUARANTINED, reasons.type_mismatch(PurePosixPath(name).suffix.lower(), kind))
    if kind == "text" and claimed != "text":
        raise reasons.Rejected(Status.UNSUPPORTED, reasons.unsupported(kind))
    if kind not in READABLE:
        raise reasons.Rejected(Status.UNSUPPORTED, reasons.unsupported(kind))
    return kind


def plan_document(sha256: str, source: Path, name: str, options: OcrOptions, kind: str | None = None) -> Plan:
    size = source.stat().st_size
    if size > options.max_file_bytes:
        raise reasons.Rejected(Status.QUARANTINED, reasons.too_big_file(size, options.max_file_bytes))
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
    import pypdfium2 as pdfium

    # PDFium first: it is fast, tells a password-protected file from a damaged one, and opens some files
    # pdfminer cannot. Owner-only restrictions (no password to open) are not encryption for us.
    try:
        pdf = pdfium.PdfDocument(str(source))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise reasons.Rejected(Status.QUARANTINED, reasons.encrypted_pdf()) from exc
        raise reasons.Rejected(Status.QUARANTINED, reasons.damaged_pdf(str(exc).split("(PDFium: ")[-1].rstrip(").")))
    try:
        sizes = [pdf.get_page_size(i) for i in range(len(pdf))]
        if not sizes:
            raise reasons.Rejected(Status.QUARANTINED, reasons.no_pages())
        layers = [_read_layer(pdf, i, source) for i in range(len(sizes))]
    finally:
        pdf.close()

    # Tables of figures that PDFium reads in drawing order rather than row by row: pdfplumber's layout reading
    # keeps a row's label with its figures. Only those pages pay for pdfminer (about 20 pages/s here).
    layout_pages = [i for i, layer in enumerate(layers) if layer.needs_layout]
    if layout_pages:
        for i, text in _layout_texts(source, layout_pages).items():
            layers[i] = dataclasses.replace(layers[i], text=text)

    for i, (width, height) in enumerate(sizes):
        layer = layers[i]
        verdict = _judge_layer(layer.text, layer.hidden, options.languages)
        if verdict == "good":
            plan.done.append(PageRecord(i + 1, TEXT_LAYER, layer.text or ""))
            continue
        dpi = choose_dpi(width, height, layer.scan_dpi, options.default_dpi, options.max_render_pixels)
        plan.jobs.append(_job(plan, source, "pdf", i, dpi, options, layer.text if verdict == "poor" else None))
        if verdict == "poor":
            log.info("page %d of %s: text layer reads like bad OCR; OCR'd again", i + 1, source.name)


# A page whose images cover this much of it is a scan (or a picture), whatever text lies over it.
SCAN_COVER = 0.5
INVISIBLE_MODES = (3, 7)  # PDF text render modes that paint nothing: OCR engines hide their text layer so
# A page's PDFium text is taken for a table of figures read out of order (and read again with pdfplumber) when
# digits are at least this share of its letters and digits, and its reading order jumps back up the page at
# least LAYOUT_MIN_JUMPS times and at least once per fifty text runs (a chart's labels on a long page are not
# enough). PDFium follows the drawing order: a spreadsheet export that draws column after column, or cell groups
# in any order, comes out as codes apart from their figures; pdfplumber's layout reading gives rows as printed.
# Prose in columns and tables of wrapped text (newsletters, RKL-RPL matrices) have few digits and stay with
# PDFium, which follows each column or cell down where pdfplumber interleaves their lines. On the 1,367 digital
# pages of ../shared/testdata/real this sends 57 pages (4%, 8 files, mostly a CALK financial statement) to
# pdfplumber.
LAYOUT_MIN_FIGURES = 0.25
LAYOUT_MIN_JUMPS = 3
LAYOUT_MIN_JUMP_SHARE = 0.02
_FORM_DEPTH = 8  # forms inside forms: deep enough for real files, bounded against crafted ones


@dataclass(frozen=True)
class _Layer:
    """What the plan needs to know of one PDF page, read with PDFium."""
    text: str | None  # None: the page could not be read (it is OCR'd)
    hidden: bool = False  # an image covers the page and most of its text is invisible: a scan's OCR layer
    scan_dpi: float | None = None
    needs_layout: bool = False


def _read_layer(pdf, index: int, source: Path) -> _Layer:
    try:
        page = pdf[index]
    except Exception as exc:  # a page PDFium cannot load is OCR'd (and fails there, on its own)
        log.info("page %d of %s unreadable (%s); OCR instead", index + 1, source.name, exc)
        return _Layer(None)
    try:
        textpage = page.get_textpage()
        try:
            text = _pdfium_text(textpage.get_text_range())
            needs_layout = _out_of_order_figures(textpage, text)
        finally:
            textpage.close()
        images, modes = _page_objects(page)
        left, bottom, right, top = page.get_bbox()
        cover = _image_cover(images, (left, bottom, right, top))
        hidden = (cover >= SCAN_COVER and bool(text) and bool(modes)
                  and sum(m in INVISIBLE_MODES for m in modes) > len(modes) / 2)
        return _Layer(text, hidden, _scan_dpi(images, (right - left) * (top - bottom)), needs_layout)
    except Exception as exc:  # a page PDFium chokes on is simply OCR'd
        log.info("text layer of page %d of %s unreadable (%s); OCR instead", index + 1, source.name, exc)
        return _Layer(None)
    finally:
        page.close()


def _pdfium_text(text: str) -> str:
    """PDFium's page text in pdfplumber's conventions, so that normalize.py treats both alike: lines end in
    "\n", not "\r\n"; a hyphen that ended a line, which PDFium joins to the next line and marks with U+FFFE
    (U+0002 through other calls), is given back with its line break ("pelaksana-\nan")."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n").replace("\x02", "-\n")


_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


def _out_of_order_figures(textpage, text: str) -> bool:
    """Whether the page is a table of figures that PDFium reads in drawing order, not row by row."""
    digits = len(_DIGIT.findall(text))
    if not digits or digits < LAYOUT_MIN_FIGURES * (digits + len(_LETTER.findall(text))):
        return False
    runs = [textpage.get_rect(j) for j in range(textpage.count_rects())]  # (left, bottom, right, top), in order
    # The next run starts above the previous one's top by half a line: the reading went back up the page.
    jumps = sum(1 for a, b in zip(runs, runs[1:]) if b[1] > a[3] + 0.5 * (a[3] - a[1]))
    return jumps >= LAYOUT_MIN_JUMPS and jumps >= LAYOUT_MIN_JUMP_SHARE * len(runs)


def _layout_texts(source: Path, pages: list[int]) -> dict[int, str]:
    """pdfplumber's text of `pages`; a page it cannot read keeps PDFium's text (which is usable, unlike OCR's
    guess at a digital page)."""
    import pdfplumber

    texts = {}
    try:
        with warnings.catch_warnings(), pdfplumber.open(source, pages=[i + 1 for i in pages]) as doc:
            warnings.simplefilter("ignore")
            for i, page in zip(pages, doc.pages):
                try:
                    texts[i] = page.extract_text() or ""
                except Exception as exc:
                    log.info("layout of page %d of %s unreadable (%s); PDFium's text kept", i + 1, source.name, exc)
                finally:
                    page.close()
    except Exception as exc:  # pdfminer cannot parse what PDFium repaired
        log.info("pdfplumber cannot open %s (%s); PDFium's text kept", source.name, exc)
    return texts


def _judge_layer(text: str | None, hidden: bool, languages: str) -> str:
    """"good": read from the layer; "poor": OCR, and keep the better reading; "none": OCR (nothing usable)."""
    if text is None or not usable_text(text):
        return "none"
    from pipeline.extract.ocr import tesseract_lexicon  # loaded once per process, on the first text layer to judge

    return "poor" if poor_layer(text_quality(text, tesseract_lexicon(languages)), hidden) else "good"


# An image on the page: its box in page space (left, bottom, right, top) and its size in pixels.
_Image = tuple[tuple[float, float, float, float], tuple[int, int]]
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _page_objects(page) -> tuple[list[_Image], list[int]]:
    """The page's images (inside forms too, placed on the page) and the render modes of its text objects.
    PDFium gives the bounds of an object inside a form XObject in the form's space: the forms' matrices are
    applied here."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    images: list[_Image] = []
    modes: list[int] = []

    def walk(count: int, get, matrix, depth: int) -> None:
        for k in range(count):
            obj = get(k)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                modes.append(pdfium_c.FPDFTextObj_GetTextRenderMode(obj))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                box = [ctypes.c_float() for _ in range(4)]
                w, h = ctypes.c_uint(), ctypes.c_uint()
                if (pdfium_c.FPDFPageObj_GetBounds(obj, *box)
                        and pdfium_c.FPDFImageObj_GetImagePixelSize(obj, w, h)):
                    images.append((_transform_box(matrix, [v.value for v in box]), (w.value, h.value)))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _FORM_DEPTH:
                m = pdfium_c.FS_MATRIX()
                if pdfium_c.FPDFPageObj_GetMatrix(obj, m):
                    inner = _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
                    walk(pdfium_c.FPDFFormObj_CountObjects(obj),
                         lambda j, form=obj: pdfium_c.FPDFFormObj_GetObject(form, j), inner, depth + 1)

    walk(pdfium_c.FPDFPage_CountObjects(page.raw), lambda j: pdfium_c.FPDFPage_GetObject(page.raw, j),
         _IDENTITY, 0)
    return images, modes


def _compose(inner, outer):
    """The matrix that applies `inner`, then `outer` (PDF matrices a b c d e f)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _transform_box(matrix, box) -> tuple[float, float, float, float]:
    if matrix == _IDENTITY:
        return tuple(box)
    a, b, c, d, e, f = matrix
    left, bottom, right, top = box
    xs, ys = [], []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def _image_cover(images: list[_Image], page_box) -> float:
    """Share of the page covered by its images (overlaps counted twice, capped at 1)."""
    p_left, p_bottom, p_right, p_top = page_box
    area = (p_right - p_left) * (p_top - p_bottom)
    if area <= 0:
        return 0.0
    covered = 0.0
    for (left, bottom, right, top), _ in images:
        w = min(right, p_right) - max(left, p_left)
        h = min(top, p_top) - max(bottom, p_bottom)
        covered += max(w, 0.0) * max(h, 0.0)
    return min(1.0, covered / area)


def _scan_dpi(images: list[_Image], page_area: float) -> float | None:
    """Resolution of the largest image on the page, the scan's own resolution, in dots per inch."""
    best, best_area = None, 0.0
    for (left, bottom, right, top), src in images:
        w_pt, h_pt = right - left, top - bottom
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
    return best if best and best_area > 0.1 * page_area else None


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
                    raise reasons.Rejected(Status.QUARANTINED, reasons.image_too_large(w, h, options.max_image_pixels))
    except (OSError, SyntaxError, ValueError) as exc:
        raise reasons.Rejected(Status.QUARANTINED, reasons.damaged_image(str(exc)[:120])) from exc
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
            ledger.reject(doc.sha256, Status.QUARANTINED, reason.code, reason.id[:1000], reason.en[:1000])
    return plans
