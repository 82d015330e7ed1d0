"""Text-layer benchmark: planning digital PDFs (text-layer detection and extraction), pdfplumber against PDFium.

    .venv/bin/python benchmarks/text_layer.py [--files 20] [--pages 50] [--real DIR]

"old" is the reading stage 3 did before issue 11 (pdfplumber's extract_text and images on every page, PDFium
for render modes), kept here as the reference; "new" is `pipeline.extract.plan.plan_document` as it is now (PDFium,
pdfplumber only for tables of figures PDFium reads out of order). Two sets:
- generated: `--files` digital PDFs of `--pages` pages, prose from samples/texts with every fifth page a
  budget table of figures (tests/makers.py);
- real: the PDFs of `--real` (default ../shared/testdata/real/inbox, when it exists), every page planned; pages/s
  counts the pages with a usable text layer by the old reading (the digital ones) over the time of all pages.
For both, pages/s old and new and their ratio; for the real set also how many pages' verdicts (good / poor /
none) and OCR resolutions changed, and the character similarity (rapidfuzz ratio, whitespace collapsed,
normalised text) of the new text against the old, per page and over each document's first 4,000 characters
(what the classifier reads).
"""

from __future__ import annotations

import argparse
import datetime
import io
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.training import synth  # noqa: E402
from pipeline.extract.normalize import normalize_text  # noqa: E402
from pipeline.extract.plan import OcrOptions, _judge_layer, plan_document  # noqa: E402
from pipeline.extract.raster import choose_dpi  # noqa: E402
from tests.makers import budget_rows  # noqa: E402

SHA = "0" * 64
OPTIONS = OcrOptions()


# --- The old reading (before issue 11), as pipeline/extract/plan.py had it --------------------------------------------

def old_plan(source: Path) -> list[tuple[str, str | None, float | None]]:
    """(verdict, text, OCR dpi) per page, read as stage 3 did with pdfplumber."""
    import pdfplumber
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(source))
    sizes = [pdf.get_page_size(i) for i in range(len(pdf))]
    pdf.close()
    texts, dpis, covered = [None] * len(sizes), [None] * len(sizes), [False] * len(sizes)
    try:
        with warnings.catch_warnings(), pdfplumber.open(source) as doc:
            warnings.simplefilter("ignore")
            for i, page in enumerate(doc.pages[:len(sizes)]):
                try:
                    texts[i] = page.extract_text() or ""
                    dpis[i] = _old_scan_dpi(page)
                    covered[i] = _old_image_cover(page) >= 0.5
                except Exception:
                    pass
                finally:
                    page.close()
    except Exception:
        pass
    hidden = set()
    pdf = pdfium.PdfDocument(str(source))
    for i in (i for i, t in enumerate(texts) if t and covered[i]):
        page = pdf[i]
        modes = [pdfium_c.FPDFTextObj_GetTextRenderMode(o.raw)
                 for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=4)]
        page.close()
        if modes and sum(m in (3, 7) for m in modes) > len(modes) / 2:
            hidden.add(i)
    pdf.close()
    out = []
    for i, (w, h) in enumerate(sizes):
        verdict = _judge_layer(texts[i], i in hidden, OPTIONS.languages)
        dpi = None if verdict == "good" else choose_dpi(w, h, dpis[i], OPTIONS.default_dpi,
                                                        OPTIONS.max_render_pixels)
        out.append((verdict, texts[i], dpi))
    return out


def _old_image_cover(page) -> float:
    area = float(page.width) * float(page.height)
    covered = 0.0
    for im in page.images:
        w = min(float(im["x1"]), float(page.width)) - max(float(im["x0"]), 0.0)
        h = min(float(im["bottom"]), float(page.height)) - max(float(im["top"]), 0.0)
        covered += max(w, 0.0) * max(h, 0.0)
    return min(1.0, covered / area) if area > 0 else 0.0


def _old_scan_dpi(page) -> float | None:
    best, best_area = None, 0.0
    for im in page.images:
        src = im.get("srcsize") or (0, 0)
        w_pt, h_pt = float(im.get("width") or 0), float(im.get("height") or 0)
        if not (src[0] and src[1] and w_pt > 1 and h_pt > 1):
            continue
        if (src[0] > src[1]) != (w_pt > h_pt):
            src = (src[1], src[0])
        if w_pt * h_pt > best_area:
            best_area = w_pt * h_pt
            best = max(src[0] / (w_pt / 72), src[1] / (h_pt / 72))
    return best if best and best_area > 0.1 * float(page.width) * float(page.height) else None


def new_plan(source: Path) -> list[tuple[str, str | None, float | None]]:
    plan = plan_document(SHA, source, source.name, OPTIONS, "pdf")
    pages = {p.number: ("good", p.raw_text, None) for p in plan.done}
    for job in plan.jobs:
        pages[job.number] = ("poor" if job.layer_text is not None else "none", job.layer_text, job.dpi)
    return [pages[n] for n in sorted(pages)]


# --- Generated digital PDFs -----------------------------------------------------------------------------------

def generated_pdfs(folder: Path, files: int, pages: int) -> list[Path]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(synth.font_path())))
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "texts").glob("*.txt")))
    prose = synth.paginate(text, lines_per_page=48, width=90)
    paths = []
    for f in range(files):
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4, invariant=1)
        for p in range(pages):
            lines = ([f"REALISASI APBD 2025 - berkas {f} halaman {p + 1}", "Kode Anggaran Realisasi %"]
                     + budget_rows(50) if p % 5 == 4
                     else [f"Berkas {f} halaman {p + 1}"] + list(prose[(f * pages + p) % len(prose)]))
            c.setFont("DejaVuSerif", 10)
            y = A4[1] - 60
            for line in lines:
                c.drawString(50, y, line)
                y -= 14
            c.showPage()
        c.save()
        path = folder / f"digital-{f:02d}.pdf"
        path.write_bytes(buf.getvalue())
        paths.append(path)
    return paths


def timed(read, paths: list[Path]) -> tuple[list, float]:
    start = time.perf_counter()
    results = [read(p) for p in paths]
    return results, time.perf_counter() - start


def flat(text: str | None) -> str:
    return " ".join(normalize_text(text or "").split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "testdata" / "real" / "inbox")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    from pipeline.extract.ocr import tesseract_lexicon
    tesseract_lexicon(OPTIONS.languages)  # loaded once per process in the pipeline too: not timed

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}; {datetime.date.today()}")
    with tempfile.TemporaryDirectory(prefix="bukti-text-layer-") as tmp:
        paths = generated_pdfs(Path(tmp), args.files, args.pages)
        old, old_s = timed(old_plan, paths)
        new, new_s = timed(new_plan, paths)
        pages = sum(len(r) for r in old)
        same = sum(a[0] == b[0] for ro, rn in zip(old, new) for a, b in zip(ro, rn))
        print(f"generated: {len(paths)} PDFs, {pages} pages; old {pages / old_s:.1f} pages/s, "
              f"new {pages / new_s:.1f} pages/s, x{old_s / new_s:.1f}; same verdict on {same}/{pages} pages")

    if not args.real.is_dir():
        return 0
    from rapidfuzz import fuzz

    from pipeline.intake.sniff import sniff
    paths = sorted(p for p in args.real.rglob("*") if p.is_file() and sniff(p) == "pdf")
    old, old_s = timed(old_plan, paths)
    new, new_s = timed(new_plan, paths)
    digital = sum(v == "good" for r in old for v, _, _ in r)
    pages = sum(len(r) for r in old)
    print(f"real: {len(paths)} PDFs, {pages} pages of which {digital} digital (old verdict good); "
          f"old {digital / old_s:.1f} digital pages/s, new {digital / new_s:.1f}, x{old_s / new_s:.1f} "
          f"({old_s:.1f} s against {new_s:.1f} s for all pages)")
    changes, dpi_changes, sims, firsts = {}, 0, [], []
    for path, ro, rn in zip(paths, old, new):
        for n, (a, b) in enumerate(zip(ro, rn), start=1):
            if a[0] != b[0]:
                changes[(a[0], b[0])] = changes.get((a[0], b[0]), 0) + 1
                print(f"  verdict {a[0]} -> {b[0]}: {path.relative_to(args.real)} page {n}")
            if a[2] != b[2] and not (a[2] and b[2] and abs(a[2] - b[2]) < 0.5):
                dpi_changes += 1
            if a[0] == "good":
                sims.append(fuzz.ratio(flat(a[1]), flat(b[1])))
        first_old, first_new = " ".join(flat(a[1]) for a in ro), " ".join(flat(b[1]) for b in rn)
        if first_old.strip():
            firsts.append(fuzz.ratio(first_old.strip()[:4000], first_new.strip()[:4000]))
    print(f"verdict changes: {sum(changes.values())} of {pages} pages {changes or ''}; OCR dpi changes: {dpi_changes}")
    print(f"similarity of the digital pages' text, new against old: mean {statistics.mean(sims):.1f}, median "
          f"{statistics.median(sims):.1f}, pages >= 95: {sum(s >= 95 for s in sims)}/{len(sims)}, < 70: "
          f"{sum(s < 70 for s in sims)}")
    print(f"first 4,000 characters of each document: mean {statistics.mean(firsts):.1f}, median "
          f"{statistics.median(firsts):.1f}, documents >= 95: {sum(s >= 95 for s in firsts)}/{len(firsts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
