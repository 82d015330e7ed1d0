"""Stage 4: OCR the pages of every document in the run in parallel, one Tesseract process per core.

Pages, not documents, are the unit of work, so a 40-page scan does not leave the other core idle. Workers are
separate processes (PDFium is not thread-safe, and a page that crashes a worker must not take the run with it).
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import resource
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .page import PageRecord
from .ocr import ensure_single_thread, ocr_image
from .plan import PageJob
from .raster import is_blank, limit_pixels, load_image_frame, render_pdf_page

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def _init_worker() -> None:
    ensure_single_thread()


def _context() -> multiprocessing.context.BaseContext:
    # Not fork: the caller may be a Prefect flow with live threads, and fork copies their held locks.
    # A forkserver imports the OCR stack once, then forks clean workers from it in milliseconds.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.workers"])
        return ctx
    return multiprocessing.get_context("spawn")


def read_page(job: PageJob) -> PageRecord:
    """Render or decode one page and OCR it. Never raises: a failure is recorded on the page."""
    return dataclasses.replace(_read_page(job), worker_peak_mb=_peak_mb())


def _peak_mb() -> float:
    # Workers are children of the forkserver, not of the caller: only they can measure themselves.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read_page(job: PageJob) -> PageRecord:
    try:
        if job.kind == "pdf":
            img, dpi = render_pdf_page(Path(job.source), job.index, job.dpi), job.dpi
        else:
            limit_pixels(job.max_pixels * 8)  # the plan checked the size; this only guards the decoder
            img, dpi = load_image_frame(Path(job.source), job.index, job.max_pixels)
        if is_blank(img):
            return PageRecord(job.number, "ocr", "")
        reading = ocr_image(img, job.languages, job.timeout, dpi)
        return PageRecord(job.number, "ocr", reading.text, reading.confidence, reading.rotation, reading.skew)
    except Exception as exc:  # Tesseract timeout, decoder error, ...: this page fails, the run goes on
        message = str(exc).strip() or type(exc).__name__
        log.warning("page %d of %s failed: %s", job.number, job.sha256[:12], message)
        return PageRecord(job.number, "ocr", "", error=f"{type(exc).__name__}: {message}"[:500])


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
                                 mp_context=_context(), max_tasks_per_child=50) as pool:
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
