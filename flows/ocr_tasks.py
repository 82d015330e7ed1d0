"""Page OCR as Prefect tasks mapped over the flow's task runner (a Dask cluster when BUKTI_DASK_ADDRESS is set).

Thin: the work is pipeline.extract.remote.read_page_on_worker (PageJob in, PageReading out). This module is
imported on every Dask worker (the task is pickled by reference), so it imports only Prefect and the
extraction code, never the ledger or the flow.

What a page's failure costs here, where the local supervisor's guarantees (issue 7) do not reach:
- a reading that errors is that page's failed record; Tesseract readings end at the OCR time limit (tesserocr,
  running in the worker's thread, stops at its deadline; with BUKTI_OCR_ENGINE=command pytesseract kills the
  process), but nothing on a worker can stop a page stuck in native code (PDFium on a hostile file): Prefect's
  task timeout cannot interrupt a Dask worker thread (it warns so and acts only once the call returns), so none
  is set;
- a worker that dies is Dask's to handle: it reschedules the page on another worker, and after
  `distributed.scheduler.allowed-failures` deaths (3 by default) the future raises KilledWorker, which fails
  the page, not the run;
- when no page at all completes for `stall_s` seconds (longer than any page may take), the pages still out
  are recorded failed and their tasks cancelled, so the flow ends whatever the cluster does.
"""

from __future__ import annotations

import logging
import queue
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE as NO_CACHE

from pipeline.extract.page import PageRecord
from pipeline.extract.plan import PageJob
from pipeline.extract.remote import PageReading, prepare_jobs, read_page_on_worker
from pipeline.extract.workers import Progress, failed, page_deadline

log = logging.getLogger(__name__)

POLL_S = 5.0  # how often the waiting flow looks at the stall clock


@task(name="ocr-page", task_run_name="ocr-{job.sha256:.12}-p{job.number}", retries=0, cache_policy=NO_CACHE,
      persist_result=False)
def ocr_page(job: PageJob) -> PageReading:
    # No retries: a page that fails has its reason recorded; Dask already retries pages whose worker died.
    return read_page_on_worker(job)


class TaskRunnerPageExecutor:
    """A PageExecutor (pipeline.extract.workers) that maps `ocr-page` over the current flow's task runner.

    `originals_dir` is the archive folder here; `worker_originals_dir` the same folder as the workers mount it
    (empty: the same path). `stall_s` (default: the longest page deadline, plus slack) bounds the wait for any
    one result. `readings` keeps what came back (worker, seconds on the worker) for logs and benchmarks.
    """

    def __init__(self, originals_dir: Path, worker_originals_dir: str = "", stall_s: float | None = None,
                 page_task=ocr_page) -> None:
        self.originals_dir = originals_dir
        self.page_task = page_task  # tests pass a fake with the same map(jobs) -> futures
        self.worker_originals_dir = worker_originals_dir
        self.stall_s = stall_s
        self.readings: list[PageReading] = []

    def map(self, jobs: Sequence[PageJob], progress: Progress | None = None
            ) -> Iterator[tuple[PageJob, PageRecord]]:
        total, done = len(jobs), 0

        def finish(job: PageJob, record: PageRecord) -> tuple[PageJob, PageRecord]:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)
            return job, record

        sendable = []
        for job, prepared in zip(jobs, prepare_jobs(jobs, self.originals_dir, self.worker_originals_dir)):
            if isinstance(prepared, PageJob):
                sendable.append((job, prepared))
            else:
                yield finish(job, failed(job, str(prepared)))
        if not sendable:
            return
        stall_s = self.stall_s if self.stall_s is not None else max(page_deadline(p) for _, p in sendable) + 60.0
        futures = self.page_task.map([p for _, p in sendable])
        finished: queue.SimpleQueue = queue.SimpleQueue()
        pending = {}
        for (job, _), future in zip(sendable, futures):
            pending[id(future)] = (job, future)
            future.add_done_callback(finished.put)  # called from the runner's thread, at once if already done
        try:
            last = time.monotonic()
            while pending:
                try:
                    future = finished.get(timeout=POLL_S)
                except queue.Empty:
                    if time.monotonic() - last > stall_s:
                        log.warning("no OCR result for %.0f s; %d pages still out are recorded failed",
                                    stall_s, len(pending))
                        for job, _ in list(pending.values()):
                            yield finish(job, failed(job, f"no result from the task runner for {stall_s:.0f} s "
                                                          "(stalled or lost); task cancelled"))
                        return  # the finally below cancels what is still out
                    continue
                last = time.monotonic()
                entry = pending.pop(id(future), None)
                if entry is not None:
                    yield finish(entry[0], self._record(*entry))
        finally:
            for _, future in pending.values():
                _cancel(future)
            self._log_workers()

    def _record(self, job: PageJob, future) -> PageRecord:
        try:
            reading = future.result()  # done: its callback has fired
        except Exception as exc:  # the task failed, timed out, or its worker died too often (KilledWorker)
            message = str(exc).strip() or "no detail"
            log.warning("page %d of %s failed on the task runner: %s: %s", job.number, job.sha256[:12],
                        type(exc).__name__, message)
            return failed(job, f"OCR task failed ({type(exc).__name__}: {message})")
        if not isinstance(reading, PageReading):
            return failed(job, f"OCR task returned {type(reading).__name__}, not a PageReading")
        self.readings.append(reading)
        return reading.record

    def _log_workers(self) -> None:
        if self.readings:
            by_worker = Counter(r.worker for r in self.readings)
            log.info("OCR pages per worker: %s", ", ".join(f"{w}: {n}" for w, n in sorted(by_worker.items())))


def _cancel(future) -> None:
    # Best effort: a Dask future can be cancelled (it is then never started or its result dropped); Prefect's
    # future interface has no cancel of its own.
    wrapped = getattr(future, "wrapped_future", None)
    try:
        if wrapped is not None and hasattr(wrapped, "cancel"):
            wrapped.cancel()
    except Exception as exc:  # the cluster may be gone: nothing left to cancel
        log.info("could not cancel an OCR task (%s)", exc)
