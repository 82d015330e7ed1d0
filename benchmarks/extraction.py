"""Extraction benchmark: bukti's OCR path against plain `tesseract` on the same page images.

    .venv/bin/python benchmarks/extraction.py [--pages 16] [--workers 2]

Pages are generated from samples/texts (known text), rendered at 200 dpi and saved twice: as image-only PDFs
(what bukti reads: render with PDFium, straighten, OCR) and as PNGs (what plain Tesseract reads). Both sides read
`--workers` pages at once: plain Tesseract as that many `tesseract` processes with OMP_THREAD_LIMIT=1, bukti
on that many worker processes with the OCR engine BUKTI_OCR_ENGINE picks (auto: tesserocr in the worker;
BUKTI_OCR_ENGINE=command for a `tesseract` process per call). Two sets:
- clean: straight office scans with light noise (the speed target: bukti within 15% of plain Tesseract);
- damaged: 4-5 degrees off square, upside down, phone photos with uneven light.
Reports pages per minute and character error rate (CER) per set and side; for bukti both its whole pass
(`process_inbox`: extraction, then classification and reports) and its extraction stages alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import DPI, damage, page_texts, stage_timer  # noqa: E402,F401 - first_pass.py imports some from here
from pipeline.training import synth  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.extract import engine  # noqa: E402
from pipeline.ledger.ledger import Ledger  # noqa: E402
from pipeline.process import process_inbox  # noqa: E402


def plain_tesseract(pngs: list[Path], workers: int) -> tuple[list[str], float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def run(png: Path) -> str:
        return subprocess.run(["tesseract", str(png), "stdout", "-l", "ind+eng", "--dpi", str(DPI)],
                              capture_output=True, text=True, env=env, check=True).stdout

    start = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        texts = list(pool.map(run, pngs))
    return texts, time.monotonic() - start


# The stages of a pass that extract text (pipeline.process.extract_inbox); the rest classifies and reports.
EXTRACTION_STAGES = ("scan-inbox", "record-files", "plan-documents", "ocr-pages", "store-documents")


def bukti(folder: Path, home: Path, names: list[str], workers: int) -> tuple[list[str], float, dict[str, float]]:
    """bukti's pass over `folder`: the texts, the pass's seconds, and the seconds of each stage."""
    settings = load_settings(env={}, home=home, inbox=folder, stable_seconds=0, ocr_workers=workers)
    run_stage, stages = stage_timer()

    start = time.monotonic()
    process_inbox(settings, run_stage=run_stage)
    seconds = time.monotonic() - start
    ledger = Ledger(settings.database_url)
    by_path = {e.path: e for e in ledger.entries()}
    texts = [ledger.document(by_path[name].sha256).text for name in names]
    ledger.close()
    return texts, seconds, stages


def run_set(kind: str, texts: list[str], workers: int, tmp: Path) -> dict:
    folder, pngs, names = tmp / kind / "inbox", [], []
    folder.mkdir(parents=True)
    for i, text in enumerate(texts):
        img = damage(i, synth.render_page(text.split("\n"), dpi=DPI), kind)
        png = tmp / kind / f"page-{i:03d}.png"
        img.save(png, dpi=(DPI, DPI))
        pngs.append(png)
        name = f"page-{i:03d}.pdf"
        synth.save_scanned_pdf([img], folder / name, DPI)
        names.append(name)
    plain_texts, plain_s = plain_tesseract(pngs, workers)
    bukti_texts, bukti_s, stages = bukti(folder, tmp / kind / "home", names, workers)
    extract_s = sum(v for k, v in stages.items() if k in EXTRACTION_STAGES)
    cer = lambda outs: sum(synth.char_error_rate(r, h) for r, h in zip(texts, outs)) / len(texts)  # noqa: E731
    return {"set": kind, "pages": len(texts),
            "plain_ppm": 60 * len(texts) / plain_s, "plain_cer": cer(plain_texts),
            "bukti_ppm": 60 * len(texts) / bukti_s, "bukti_cer": cer(bukti_texts),
            "extraction_ppm": 60 * len(texts) / extract_s,
            "other_stages": {k: round(v, 1) for k, v in stages.items() if k not in EXTRACTION_STAGES}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    texts = page_texts(args.pages)
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; {tesseract}; "
          f"bukti's OCR engine: {engine.describe()}; {args.workers} workers; {args.pages} pages per set at {DPI} dpi; "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{'set':<8} {'side':<7} {'pages/min':>10} {'CER %':>7}")
    with tempfile.TemporaryDirectory(prefix="bukti-bench-") as tmp:
        for kind in ("clean", "damaged"):
            r = run_set(kind, texts, args.workers, Path(tmp))
            print(f"{kind:<8} {'plain':<7} {r['plain_ppm']:>10.1f} {100 * r['plain_cer']:>7.2f}")
            print(f"{kind:<8} {'bukti':<7} {r['bukti_ppm']:>10.1f} {100 * r['bukti_cer']:>7.2f}"
                  f"   (speed {100 * r['bukti_ppm'] / r['plain_ppm']:.0f}% of plain; its extraction stages alone "
                  f"{r['extraction_ppm']:.1f} pages/min, {100 * r['extraction_ppm'] / r['plain_ppm']:.0f}%; "
                  f"other stages, s: {r['other_stages']})")
    print(f"load average after {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
