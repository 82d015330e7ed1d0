"""`ocr_compare.py --where`: where bukti's time goes on a set, page by page in one process."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

from ocr_engines import in_process_tesseract

ROOT = Path(__file__).resolve().parent.parent

# Steps of reading a page (pipeline.extract.read.read_page and the ocr_image it calls), for --where.
STEPS = {"render_pdf_page": "render (PDFium)", "is_blank": "blank check", "flatten_illumination": "illumination",
         "looks_sideways": "sideways check", "estimate_skew": "skew estimate", "straighten": "straighten",
         "orientation": "orientation (OSD)", "tesseract_lexicon": "dictionary (once per process)"}


def where_bukti(set_dir: Path, scratch: Path) -> dict:
    """Where bukti's time goes on a set: its extraction in this one process, the OCR stage run page by page
    in-process under cProfile (wall time per step; on an otherwise idle core about its CPU time), Tesseract's
    processes measured by their CPU time (RUSAGE_CHILDREN), and the start-up of a worker pool measured apart
    (a fresh interpreter importing what the forkserver preloads)."""
    import cProfile
    import pstats

    from pipeline.config import load_settings
    from pipeline.extract.ocr import ensure_single_thread
    from pipeline.extract.read import read_page
    from pipeline.ledger.ledger import Ledger
    from pipeline.process import extract_inbox

    settings = load_settings(env={}, home=scratch / "home", inbox=set_dir / "pdf", stable_seconds=0, ocr_workers=1)
    ledger = Ledger(settings.database_url)
    out: dict = {"stages": {}}

    def run_stage(name, fn, *args, **kwargs):
        t = time.monotonic()
        if name != "ocr-pages":
            result = fn(*args, **kwargs)
        else:
            jobs = args[0]
            ensure_single_thread()
            profile = cProfile.Profile()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu0 = time.process_time()
            profile.enable()
            result = {(job.sha256, job.number): read_page(job) for job in jobs}
            profile.disable()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            out["pages"] = len(jobs)
            out["python_cpu"] = time.process_time() - cpu0
            out["tesseract_cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            stats = pstats.Stats(profile).stats
            out["tesseract_in_process"] = in_process_tesseract(stats)
            steps: dict[str, float] = {}
            for (_, _, func), (_, _, _, cumulative, _) in stats.items():
                if func in STEPS:
                    steps[STEPS[func]] = steps.get(STEPS[func], 0.0) + cumulative
            out["steps"] = steps
        out["stages"][name] = time.monotonic() - t
        return result

    extract_inbox(ledger, settings, run_stage=run_stage)
    ledger.close()
    start = subprocess.run([sys.executable, "-c", "import resource, sys; sys.path.insert(0, sys.argv[1]); "
                            "import pipeline.extract.read, pipeline.extract.workers; "
                            "r = resource.getrusage(resource.RUSAGE_SELF); print(r.ru_utime + r.ru_stime)",
                            str(ROOT)], capture_output=True, text=True, check=True)
    out["pool_start_cpu"] = float(start.stdout)
    return out


def print_where(name: str, w: dict, workers: int) -> None:
    pages = w["pages"]
    per = {k: v / pages for k, v in w["steps"].items()}
    tess, inside = w["tesseract_cpu"] / pages, w["tesseract_in_process"] / pages
    print(f"{name}: {pages} pages; per page: Tesseract processes {tess:.3f} s CPU, reading and orientation "
          f"calls {inside:.3f} s (this process, wall; Tesseract itself with the library); "
          + ", ".join(f"{k} {v:.3f}" for k, v in per.items() if v >= 0.0005)
          + " s (this process, wall); other stages "
          + ", ".join(f"{k} {v:.2f}" for k, v in w["stages"].items() if k != "ocr-pages")
          + f" s per run; starting a worker pool {w['pool_start_cpu']:.2f} s CPU (forkserver imports) "
          f"+ {workers} workers forked from it", flush=True)
