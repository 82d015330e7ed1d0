"""Endorsement marks on real pages: precision and recall per mark, and the cost per page against OCR's.

    .venv/bin/python benchmarks/endorsement.py [--real ../shared/testdata/real] [--ocr-every 4] [--format json]

The labels (benchmarks/endorsement_labels.jsonl) are pages of ../shared/testdata/real/inbox read by eye, one
line per page: sha256, page (1-based), the inbox path it had, and `stamp`, `signature`, `qr` as true, false or
null (null: could not be told at the resolution read; left out of that mark's figures). The pages labelled are
the ones the stage looks at (pipeline/endorse/pages.py: every page of a short document, the first and last two
of a longer one), in the order of the files' paths. The documents themselves are read where they lie, never
copied here.

Cost: the detector's time per page (rendering excluded, as OCR's excludes it too) against the time bukti's
OCR (pipeline.extract.ocr.read at 300 dpi, one Tesseract reading) takes on the same page, on every
`--ocr-every`-th labelled page. Both in this process, one thread, one after the other.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.endorse.detect import MARKS, detect_page  # noqa: E402
from pipeline.endorse.pages import page_images  # noqa: E402

LABELS = Path(__file__).with_name("endorsement_labels.jsonl")


def _files_by_sha(inbox: Path) -> dict[str, Path]:
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in sorted(inbox.rglob("*")) if p.is_file()}


def _kind(path: Path) -> str:
    return "pdf" if path.suffix.lower() == ".pdf" else "image"


def _ocr_seconds(path: Path, number: int) -> float:
    from PIL import Image

    from pipeline.extract import ocr
    from pipeline.extract.raster import render_pdf_page

    img = render_pdf_page(path, number - 1, 300) if _kind(path) == "pdf" else Image.open(path).convert("L")
    started = time.perf_counter()
    ocr.read(img, "ind+eng", 180.0, 300.0)
    return time.perf_counter() - started


def run(real: Path, ocr_every: int) -> dict:
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    files = _files_by_sha(real / "inbox")
    wanted: dict[str, dict[int, dict]] = {}
    for row in labels:
        wanted.setdefault(row["sha256"], {})[row["page"]] = row
    results = []
    for sha, pages in wanted.items():
        path = files[sha]
        for number, image, dpi in page_images(path, _kind(path)):
            if number not in pages:
                continue
            started = time.perf_counter()
            marks = detect_page(image, dpi)
            results.append({"row": pages[number], "marks": marks, "seconds": time.perf_counter() - started,
                            "path": path, "number": number})
    ocr_pairs = []
    for i, r in enumerate(results):
        if i % ocr_every == 0:
            ocr_pairs.append((r["seconds"], _ocr_seconds(r["path"], r["number"])))
    figures = {}
    for mark in MARKS:
        tp = fp = fn = tn = 0
        misses, false = [], []
        for r in results:
            truth = r["row"][mark]
            if truth is None:
                continue
            said = r["marks"][mark].present
            where = f"{r['row']['path']} p{r['number']}"
            if said and truth:
                tp += 1
            elif said:
                fp += 1
                false.append(where)
            elif truth:
                fn += 1
                misses.append(where)
            else:
                tn += 1
        figures[mark] = {"labelled": tp + fp + fn + tn, "present": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                         "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                         "recall": round(tp / (tp + fn), 3) if tp + fn else None,
                         "false_positives": false, "misses": misses}
    ratios = [d / o for d, o in ocr_pairs if o > 0]
    return {"pages": len(results), "marks": figures,
            "detector_s_per_page": {"median": round(statistics.median(r["seconds"] for r in results), 3),
                                    "mean": round(statistics.fmean(r["seconds"] for r in results), 3)},
            "ocr_pages_timed": len(ocr_pairs),
            "ocr_s_per_page": {"median": round(statistics.median(o for _, o in ocr_pairs), 3),
                               "mean": round(statistics.fmean(o for _, o in ocr_pairs), 3)},
            "cost_vs_ocr": {"median": round(statistics.median(ratios), 3),
                            "total": round(sum(d for d, _ in ocr_pairs) / sum(o for _, o in ocr_pairs), 3),
                            "pages_over_10pct": sum(1 for x in ratios if x > 0.10)}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", default=str(ROOT.parent / "shared" / "testdata" / "real"))
    parser.add_argument("--ocr-every", type=int, default=4)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    out = run(Path(args.real), max(1, args.ocr_every))
    if args.format == "json":
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{out['pages']} labelled pages")
    print("mark       labelled present  tp  fp  fn  precision recall")
    for mark, f in out["marks"].items():
        print(f"{mark:<10} {f['labelled']:>8} {f['present']:>7} {f['tp']:>3} {f['fp']:>3} {f['fn']:>3}  "
              f"{f['precision']!s:>9} {f['recall']!s:>6}")
    d, o, c = out["detector_s_per_page"], out["ocr_s_per_page"], out["cost_vs_ocr"]
    print(f"detector {d['median']} s/page (median), OCR {o['median']} s/page (median, {out['ocr_pages_timed']} "
          f"pages); cost vs OCR: median {c['median']:.1%}, total {c['total']:.1%}, "
          f"{c['pages_over_10pct']} pages over 10%")
    for mark, f in out["marks"].items():
        for kind in ("false_positives", "misses"):
            if f[kind]:
                print(f"  {mark} {kind}: {'; '.join(f[kind])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
