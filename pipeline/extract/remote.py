"""Reading pages on other machines (a Dask cluster): what a job must look like to travel, and what comes back.

Prefect-free, so the Prefect tasks in flows/ocr_tasks.py stay thin. A worker needs only this package and
Tesseract: a `PageJob` (plain data) goes out with the path of its original in the archive folder as the worker
mounts it, and a `PageReading` (plain data) comes back. No ledger, no settings object, no open file crosses.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.ocr import ensure_single_thread
from pipeline.extract.page import OCR, PageRecord
from pipeline.extract.plan import PageJob
from pipeline.extract.read import read_page


class NotInArchive(ValueError):
    """A job's original lies outside the archive folder, which is the only store the workers can reach."""


@dataclass(frozen=True)
class PageReading:
    """One page read on a worker: the record, where it was read, and how long the reading took there."""
    record: PageRecord
    worker: str  # the Dask worker's address, or host:pid outside Dask
    seconds: float  # wall time of the reading on the worker (excludes queueing and the scheduler)


def worker_path(source: str, originals_dir: Path, worker_originals_dir: str = "") -> str:
    """`source` (a file in the archive folder `originals_dir`) as the workers see it: under
    `worker_originals_dir` when they mount the archive elsewhere, else the same absolute path."""
    root = originals_dir.resolve()
    path = Path(source)
    path = path if path.is_absolute() else path.resolve()
    try:
        inside = path.relative_to(root)
    except ValueError:
        raise NotInArchive(f"{source} is not in the archive folder {root}; workers read only from there") from None
    target = Path(worker_originals_dir) if worker_originals_dir else root
    return str(target / inside)


def prepare_jobs(jobs: Sequence[PageJob], originals_dir: Path, worker_originals_dir: str = ""
                 ) -> list[PageJob | NotInArchive]:
    """Each job with its source as the workers see it, or the reason it cannot be sent (the page then fails
    alone). Same order as `jobs`."""
    prepared: list[PageJob | NotInArchive] = []
    for job in jobs:
        try:
            prepared.append(dataclasses.replace(job, source=worker_path(job.source, originals_dir,
                                                                        worker_originals_dir)))
        except NotInArchive as exc:
            prepared.append(exc)
    return prepared


def worker_name() -> str:
    try:  # on a Dask worker its address names it in the scheduler's task stream and dashboard
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"{socket.gethostname()}:{os.getpid()}"


def read_page_on_worker(job: PageJob) -> PageReading:
    """What a cluster worker runs for one page. Never raises for a page's sake: a missing original (the
    archive not mounted where the settings say) or a failed reading is a record with `error` set."""
    ensure_single_thread()  # the worker may have been started without OMP_THREAD_LIMIT=1
    started = time.perf_counter()
    where = worker_name()
    if not Path(job.source).is_file():
        record = PageRecord(job.number, OCR, "", error=(
            f"original not found at {job.source} on worker {where}: is the archive folder mounted there "
            "(BUKTI_WORKER_ORIGINALS_DIR)?")[:500])
    else:
        record = read_page(job)
    return PageReading(record, where, round(time.perf_counter() - started, 3))
