"""Stage 4: OCR the pages of every document in the run in parallel, one Tesseract process per core.

Pages, not documents, are the unit of work, so a 40-page scan does not leave the other core idle. Workers are
separate processes (PDFium is not thread-safe, and a page that crashes a worker must not take the run with it).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from .page import PageRecord
from .ocr import ensure_single_thread
from .plan import PageJob
from .read import read_page

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def _init_worker() -> None:
    ensure_single_thread()


def _context() -> multiprocessing.context.BaseContext:
    # Not fork: the caller may be a Prefect flow with live threads, and fork copies their held locks.
    # A forkserver imports the OCR stack once, then forks clean workers from it in milliseconds.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.read"])
        return ctx
    return multiprocessing.get_context("spawn")


def ocr_pages(jobs: Sequence[PageJob], workers: int, progress: Progress | None = None
              ) -> dict[tuple[str, int], PageRecord]:
    """OCR all `jobs`; returns (sha256, page number) -> PageRecord for every job."""
    results: dict[tuple[str, int], PageRecord] = {}
    pending = list(jobs)
    total = len(pending)
    for attempt in (1, 2):
        if not pending:
            break
        ensure_single_thread()  # inherited by the workers' Tesseract subprocesses too
        broken: list[PageJob] = []
        with ProcessPoolExecutor(max_workers=min(workers, len(pending)), initializer=_init_worker,
                                 mp_context=_context(), ) as pool:  # no max_tasks_per_child: CPython gh-115634 deadlocks
            futures = {pool.submit(read_page, job): job for job in pending}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    record = future.result()
                except BrokenProcessPool:
                    broken.append(job)
                    continue
                except Exception as exc:  # pickling or pool errors: fail the page
                    record = PageRecord(job.number, "ocr", "", error=f"{type(exc).__name__}: {exc}"[:500])
                results[(job.sha256, job.number)] = record
                if progress:
                    progress(len(results), total)
        if broken:
            log.warning("an OCR worker died; %d pages %s", len(broken),
                        "are retried in a fresh pool" if attempt == 1 else "are marked failed")
        pending = broken
    for job in pending:  # broke the pool twice: most likely the page itself kills the worker
        results[(job.sha256, job.number)] = PageRecord(
            job.number, "ocr", "", error="worker process died while reading this page (memory or crash)")
        if progress:
            progress(len(results), total)
    return results
