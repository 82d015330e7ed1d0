"""First-pass benchmark: a backlog of scanned pages through one `process_inbox`, with memory over time.

    .venv/bin/python benchmarks/first_pass.py [--pages 2000] [--pages-per-pdf 50] [--workers N]

What a regency's first night looks like: years of scans dropped in at once. Pages are made like
benchmarks/extraction.py's clean set (samples/texts typeset on A4 at 200 dpi, light scanner noise) with a
header line that makes every page unique, and saved as image-only PDFs of `--pages-per-pdf` pages under five
OPD folders. They are generated once into benchmarks/out/ (in worker processes, so the figures of this
process are the pass's own) and reused by later runs. The pass runs without Prefect in a temporary BUKTI home.

Reports wall time per stage, pages per minute, failed pages, character error rate, and memory: the peak RSS
of every OCR worker generation (a worker is replaced after PAGES_PER_WORKER pages), the largest worker peak
per 100 pages in completion order, and the main process's RSS along the way and at its peak. Worker peaks
are measured by the workers themselves (PageRecord.worker_peak_mb) and exclude their Tesseract subprocesses.
The figures are also written as JSON to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# The pipeline is imported inside the functions: every OCR worker imports this script again (multiprocessing
# prepares a child's __main__), and with it whatever it imports at the top, from the files as they are on
# disk at that moment. Kept light, the workers weigh what they weigh under `bukti run`.

OUT = ROOT / "benchmarks" / "out"
OPDS = ["dinkes", "disdik", "dinsos", "dp3a", "bappeda"]
WINDOW = 100  # pages per row of the memory-over-time table
# Stages after the pages are read, with what stands in for their result if one fails.
AFTER_READING = {"classify-documents": 0, "describe-documents": None, "build-gaps": None, "write-reports": []}


def layout(pages: int, per_pdf: int) -> list[tuple[str, list[str]]]:
    """(inbox path, page texts) of every PDF; each page starts with a header naming its document and page."""
    from extraction import page_texts

    bodies = page_texts(pages)
    docs = []
    for d, start in enumerate(range(0, pages, per_pdf)):
        name = f"{OPDS[d % len(OPDS)]}/laporan-{d + 1:03d}.pdf"
        texts = [f"Dokumen {d + 1:03d} halaman {p + 1} dari {len(bodies[start:start + per_pdf])}\n{body}"
                 for p, body in enumerate(bodies[start:start + per_pdf])]
        docs.append((name, texts))
    return docs


def make_scanned_pdf(args: tuple[Path, int, list[str]]) -> None:
    """One image-only PDF of generated pages (path, number of its first page, texts); shared with province_scale."""
    from extraction import DPI, damage
    from pipeline.training import synth

    path, first, texts = args
    images = [damage(first + i, synth.render_page(text.split("\n"), dpi=DPI), "clean") for i, text in enumerate(texts)]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    synth.save_scanned_pdf(images, partial, DPI)
    partial.rename(path)


def make_inbox(docs: list[tuple[str, list[str]]], workers: int) -> tuple[Path, float]:
    pages = sum(len(texts) for _, texts in docs)
    inbox = OUT / f"first-pass-{pages}x{len(docs[0][1])}" / "inbox"
    done = inbox.parent / "complete"
    if done.exists():
        return inbox, 0.0
    started, first, tasks = time.monotonic(), 0, []
    for name, texts in docs:
        tasks.append((inbox / name, first, texts))
        first += len(texts)
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(make_scanned_pdf, tasks))
    done.write_text(f"{pages} pages in {len(docs)} PDFs\n")
    return inbox, time.monotonic() - started


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal:"))
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "cpu": cpu,
            "mem_gib": round(mem / 1024 / 1024, 1), "tesseract": tesseract, "python": platform.python_version(),
            "platform": platform.platform(), "load_before": os.getloadavg()}


def run_pass(inbox: Path, home: Path, workers: int) -> dict:
    from pipeline.config import load_settings
    from pipeline.ledger.ledger import Ledger
    from pipeline.process import process_inbox
    from pipeline.extract.workers import LocalProcessExecutor

    settings = load_settings(env={}, home=home, inbox=inbox, stable_seconds=0, ocr_workers=workers)
    executor = LocalProcessExecutor(workers)
    stages: dict[str, float] = {}
    failures: dict[str, str] = {}
    captured: dict = {}
    along: list[dict] = []
    started = time.monotonic()

    def run_stage(name, fn, *args, **kwargs):
        t = time.monotonic()
        if name == "ocr-pages":
            kwargs["executor"] = executor  # the same pool process_inbox would build, kept for its figures
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            if name not in AFTER_READING:
                raise
            # What is measured here is the reading; a broken report must not throw away 20 minutes of it.
            failures[name] = f"{type(exc).__name__}: {exc}"
            result = AFTER_READING[name]
        stages[name] = time.monotonic() - t
        if name == "ocr-pages":
            captured["results"] = result
        return result

    def progress(done: int, total: int) -> None:
        if done % WINDOW == 0 or done == total:
            along.append({"pages": done, "seconds": round(time.monotonic() - started, 1),
                          "main_rss_mb": round(_rss_mb(), 1)})

    summary = process_inbox(settings, run_stage=run_stage, progress=progress)
    ledger = Ledger(settings.database_url)
    sha_of = {entry.path: entry.sha256 for entry in ledger.entries()}
    ledger.close()
    return {"summary": summary, "stages": stages, "failures": failures, "results": captured.get("results", {}),
            "along": along, "lives": executor.lives, "sha_of": sha_of,
            "main_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    from extraction import DPI
    from pipeline.training import synth
    from pipeline.extract.workers import PAGES_PER_WORKER

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--pages-per-pdf", type=int, default=50)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info['nproc']} cores ({info['cpu']}), {info['mem_gib']} GiB, {info['platform']}; "
          f"{info['tesseract']}; Python {info['python']}; load before {info['load_before']}", flush=True)

    docs = layout(args.pages, args.pages_per_pdf)
    inbox, made_s = make_inbox(docs, args.workers)
    print(f"inbox: {args.pages} pages in {len(docs)} PDFs at {DPI} dpi, {inbox} "
          f"({'generated in %.0f s' % made_s if made_s else 'reused'})", flush=True)

    with tempfile.TemporaryDirectory(prefix="bukti-first-pass-") as home:
        r = run_pass(inbox, Path(home), args.workers)
    summary, results, lives = r["summary"], r["results"], r["lives"]
    wall = summary.seconds
    ocr_s = r["stages"].get("ocr-pages", 0.0)

    cers = []
    for name, texts in docs:
        sha = r["sha_of"][name]
        for p, text in enumerate(texts, start=1):
            record = results.get((sha, p))
            cers.append(synth.char_error_rate(text, record.raw_text if record else ""))
    windows = []
    records = list(results.values())  # completion order
    for start in range(0, len(records), WINDOW):
        chunk = [rec.worker_peak_mb or 0.0 for rec in records[start:start + WINDOW]]
        windows.append({"pages": f"{start + 1}-{start + len(chunk)}", "worker_peak_mb": round(max(chunk), 1)})
    for window, point in zip(windows, r["along"]):  # both one row per WINDOW pages
        window.update({k: v for k, v in point.items() if k != "pages"})
    generations = [{"n": i + 1, "pid": life.pid, "pages": life.pages, "peak_mb": life.peak_mb,
                    "seconds": round((life.ended or life.started) - life.started, 1), "end": life.end}
                   for i, life in enumerate(lives)]
    peaks = [g["peak_mb"] for g in generations if g["peak_mb"]]

    print(f"\nwall {wall:.0f} s for the whole pass ({60 * summary.ocr_pages / wall:.1f} pages/min); "
          f"OCR stage {ocr_s:.0f} s ({60 * summary.ocr_pages / ocr_s:.1f} pages/min); "
          f"{summary.ocr_pages} OCR pages, {summary.failed_pages} failed; "
          f"CER mean {100 * statistics.mean(cers):.2f}%, worst page {100 * max(cers):.2f}%")
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items()))
    for name, error in r["failures"].items():
        print(f"stage {name} FAILED (not part of this measurement): {error}")
    print(f"main process: peak RSS {r['main_peak_mb']:.0f} MB")
    print(f"worker generations: {len(generations)} (replaced every {PAGES_PER_WORKER} pages); peak RSS "
          f"min {min(peaks):.0f} / median {statistics.median(peaks):.0f} / max {max(peaks):.0f} MB")
    print(f"\n{'pages':>11} {'elapsed s':>9} {'pages/min':>9} {'worker peak MB':>14} {'main RSS MB':>11}")
    previous_pages, previous_s = 0, 0.0
    for w in windows:
        done_pages, seconds = int(w["pages"].split("-")[1]), w.get("seconds", 0.0)
        rate = 60 * (done_pages - previous_pages) / max(seconds - previous_s, 1e-9) if seconds else 0.0
        previous_pages, previous_s = done_pages, seconds
        print(f"{w['pages']:>11} {seconds:>9.0f} {rate:>9.1f} {w['worker_peak_mb']:>14.1f} "
              f"{w.get('main_rss_mb', 0.0):>11.0f}")
    print(f"\n{'worker':>6} {'pid':>8} {'pages':>5} {'peak MB':>8} {'alive s':>8}  end")
    for g in generations:
        print(f"{g['n']:>6} {g['pid']:>8} {g['pages']:>5} {g['peak_mb'] or 0:>8.1f} {g['seconds']:>8.0f}  {g['end']}")

    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {"date": dt.date.today().isoformat(), "machine": info, "pages": args.pages, "pdfs": len(docs),
              "workers": args.workers, "pages_per_worker": PAGES_PER_WORKER, "wall_s": wall, "ocr_s": ocr_s,
              "stages": r["stages"], "stage_failures": r["failures"], "failed_pages": summary.failed_pages,
              "cer_mean": statistics.mean(cers), "cer_max": max(cers), "main_peak_mb": r["main_peak_mb"],
              "windows": windows, "generations": generations, "load_after": os.getloadavg()}
    path = OUT / f"first-pass-{stamp}.json"
    path.write_text(json.dumps(report, indent=1))
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
