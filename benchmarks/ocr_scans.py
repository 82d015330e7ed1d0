"""The scans ocr_compare.py reads: five sets of generated pages, each as image-only PDFs and as PNGs of the
very pixels those PDFs hold, with the text they were made from. Made once and kept under benchmarks/out/."""

from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# name: (scan dpi, kind of page as _common.damage makes it)
SETS = {"200-straight": (200, "clean"), "300-straight": (300, "clean"), "200-skewed": (200, "skewed"),
        "200-photo": (200, "photo"), "96-scan": (96, "clean")}


def _make_document(args: tuple[Path, Path, str, int, int, list[str]]) -> None:
    from _common import damage
    from pipeline.training import synth

    pdf, png_dir, kind, dpi, first, texts = args
    import pypdfium2 as pdfium

    images = [damage(first + i, synth.render_page(text.split("\n"), dpi=dpi), kind) for i, text in enumerate(texts)]
    synth.save_scanned_pdf(images, pdf, dpi)
    # The PNGs hold the very pixels the PDF holds: Pillow stores a scan's page as a JPEG (as scanners do), and
    # plain Tesseract given the lossless original would read a cleaner page than bukti and OCRmyPDF get
    # (0.056% against 0.063% CER at 300 dpi on the same pages).
    document = pdfium.PdfDocument(str(pdf))
    for i in range(len(document)):
        (image,) = [o for o in document[i].get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
        image.get_bitmap(render=False).to_pil().save(png_dir / f"{pdf.stem}-p{i + 1}.png", dpi=(dpi, dpi))
    document.close()


def make_sets(out: Path, names: list[str], pages: int, per_pdf: int, workers: int) -> tuple[Path, float]:
    """<out>/ocr-compare-<pages>x<per_pdf>/<set>/{pdf,png,reference.json}, made once ("-v2": PNGs
    decoded from the PDFs' own images)."""
    from _common import full_page_texts

    base = out / f"ocr-compare-v2-{pages}x{per_pdf}"
    todo = [name for name in names if not (base / name / "reference.json").exists()]
    started = time.monotonic()
    if todo:
        texts = full_page_texts(pages)
        tasks, references = [], {}
        for name in todo:
            dpi, kind = SETS[name]
            (base / name / "pdf").mkdir(parents=True, exist_ok=True)
            (base / name / "png").mkdir(parents=True, exist_ok=True)
            docs = {}
            for d, start in enumerate(range(0, pages, per_pdf)):
                doc = f"doc-{d + 1:02d}"
                docs[doc] = texts[start:start + per_pdf]
                tasks.append((base / name / "pdf" / f"{doc}.pdf", base / name / "png", kind, dpi, start, docs[doc]))
            references[name] = docs
        with ProcessPoolExecutor(workers) as pool:  # shut down (and reaped) before anything is measured
            list(pool.map(_make_document, tasks))
        for name, docs in references.items():
            (base / name / "reference.json").write_text(json.dumps({"dpi": SETS[name][0], "kind": SETS[name][1],
                                                                   "documents": docs}, ensure_ascii=False))
    return base, (time.monotonic() - started if todo else 0.0)
