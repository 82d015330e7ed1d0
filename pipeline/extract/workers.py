"""Stage 4: OCR the pages of every document in the run in parallel, one worker process per core.

Pages, not documents, are the unit of work, so a 40-page scan does not leave the other core idle. Workers are
separate processes (PDFium is not thread-safe, and a page that crashes a worker must not take the run with it).

The run must finish whatever the pages do. The parent hands each worker one page at a time over its own pipe,
so it always knows which page a worker is on and since when:
- a page that outlives its deadline (`page_deadline`) gets its worker killed, with the worker's Tesseract,
  and is recorded as failed; a fresh worker takes the slot;
- a worker that dies on a page (out of memory, a crash in PDFium or Pillow) has the page retried once on a
  fresh worker, and a page that kills a second worker is recorded as failed;
- workers are retired by the parent after `pages_per_worker` pages, so memory that leaks in the native
  libraries is returned to the system. concurrent.futures' own `max_tasks_per_child` deadlocks when a worker
  retires with work queued (CPython gh-115634), which is why this is not a ProcessPoolExecutor.
Every wait in the parent has a timeout; on any exception (KeyboardInterrupt included) the workers are killed,
and a run killed outright takes its workers with it. Workers that die before they can read anything are a
broken installation, not bad pages: after a few the run stops with WorkerStartError instead of failing pages.

`PageExecutor` is the seam for running pages elsewhere (Dask, Prefect task runners): PageJob in, PageRecord
out, both small plain data.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from multiprocessing.connection import wait
from typing import Protocol

from pipeline.extract.ocr import TESSERACT_CALLS_PER_PAGE, ensure_single_thread
from pipeline.extract.page import PageRecord
from pipeline.extract.plan import PageJob
from pipeline.extract.read import read_page
from pipeline.extract.worker_process import (READY, Reader, WorkerLife, WorkerProcess, describe_exit, failed,
                                             worker_context)

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# ocr_image calls Tesseract up to three times on a page (read, orientation check, read again), each call
# bounded by job.timeout (tesserocr inside the worker stops a reading at its deadline, a little late as it
# cannot interrupt layout analysis; its orientation check takes no deadline but looks at a bounded number of
# characters; the tesseract command is killed at it); rendering and straightening a page take seconds, the
# allowance is generous for a shared, busy machine. Past this a page is stalled (PDFium looping on a hostile
# file, a hung decoder, Tesseract stuck in native code) and its worker is killed.
RENDER_ALLOWANCE_S = 120.0
# Long enough that starting a worker (milliseconds from the forkserver) is noise; short enough that leaks
# in PDFium, Pillow or numpy never pile up.
PAGES_PER_WORKER = 50
MAX_ATTEMPTS = 2  # a page that kills its worker is tried once more on a fresh one
MAX_START_FAILURES = 3  # workers in a row dying before they are ready: a broken set-up, not a bad page
POLL_S = 1.0  # the longest the parent sleeps before it looks at deadlines and retiring workers again
EXIT_GRACE_S = 10.0  # a retired worker has this long to exit on its own before it is killed


def page_deadline(job: PageJob) -> float:
    """Seconds a worker may spend on `job` before the page counts as stalled."""
    return RENDER_ALLOWANCE_S + TESSERACT_CALLS_PER_PAGE * job.timeout


class PageExecutor(Protocol):
    def map(self, jobs: Sequence[PageJob], progress: Progress | None = None
            ) -> Iterator[tuple[PageJob, PageRecord]]:
        """Yield exactly one (job, record) per job, in completion order. A page's failure is a record with
        `error` set, never an exception. Closing the iterator early stops all work."""
        ...


class WorkerStartError(RuntimeError):
    """Worker processes exit before they can read anything: the machine, not a page, is at fault."""


class LocalProcessExecutor:
    """`workers` OCR processes on this machine, one page each at a time, supervised by the calling process.

    `reader` runs in the workers and must be a top-level function they can import (tests pass fakes that
    stall or crash). `deadline(job)` is the stall limit in seconds; it runs in the parent only.
    """

    def __init__(self, workers: int, reader: Reader = read_page, pages_per_worker: int = PAGES_PER_WORKER,
                 deadline: Callable[[PageJob], float] = page_deadline) -> None:
        if workers < 1 or pages_per_worker < 1:
            raise ValueError("workers and pages_per_worker must be at least 1")
        self.workers = workers
        self.reader = reader
        self.pages_per_worker = pages_per_worker
        self.deadline = deadline
        self.lives: list[WorkerLife] = []  # every worker started, in order

    def map(self, jobs: Sequence[PageJob], progress: Progress | None = None
            ) -> Iterator[tuple[PageJob, PageRecord]]:
        run = _Run(self, jobs, progress)
        try:
            yield from run.loop()
        finally:
            run.shutdown()

    def _start(self, ctx: multiprocessing.context.BaseContext) -> WorkerProcess:
        worker = WorkerProcess(ctx, self.reader)
        self.lives.append(worker.life)
        return worker


Item = tuple[int, PageJob]  # (position in the run, job): equal jobs stay distinct


class _Run:
    """The state of one `map` call."""

    def __init__(self, executor: LocalProcessExecutor, jobs: Sequence[PageJob], progress: Progress | None):
        self.executor = executor
        self.pending: deque[Item] = deque(enumerate(jobs))
        self.retries: deque[Item] = deque()  # pages whose worker died on them: for fresh workers only
        self.total = len(self.pending)
        self.progress = progress
        self.done = 0
        self.deaths: dict[int, int] = {}
        self.start_failures = 0  # workers in a row that died before they were ready
        self.slots: list[WorkerProcess | None] = [None] * min(executor.workers, self.total)
        self.retiring: list[tuple[WorkerProcess, float]] = []
        self.ctx = worker_context() if self.total else None

    def loop(self) -> Iterator[tuple[PageJob, PageRecord]]:
        if not self.total:
            return
        ensure_single_thread()
        while self.pending or self.retries or self._busy():
            yield from self._assign()
            busy = self._busy()
            if not busy:
                if self.retries:  # only old idle workers are left: make room for a fresh one
                    i = next(i for i, w in enumerate(self.slots) if w is not None)
                    self._retire(i, "retired")
                continue
            now = time.monotonic()
            timeout = min([POLL_S] + [max(0.0, w.since + w.deadline - now) for w in busy])
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout))
            for worker in busy:
                if worker.conn in ready or worker.proc.sentinel in ready:
                    yield from self._collect(worker)
            yield from self._stop_overdue()
            self._reap_retired()
        for i, worker in enumerate(self.slots):
            if worker is not None:
                self._retire(i, "finished")
        self._reap_retired(final=True)

    def shutdown(self) -> None:
        # Anything still running here means the run ended early: an exception, KeyboardInterrupt, a closed
        # iterator. Kill it all; nothing may outlive the run.
        for worker in [w for w in self.slots if w is not None] + [w for w, _ in self.retiring]:
            if not worker.closed:
                worker.stop(force=True)
                if not worker.life.end:
                    worker.end("stopped")

    def _busy(self) -> list[WorkerProcess]:
        return [w for w in self.slots if w is not None and w.busy]

    def _finish(self, item: Item, record: PageRecord) -> tuple[PageJob, PageRecord]:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)
        return item[1], record

    def _assign(self) -> Iterator[tuple[PageJob, PageRecord]]:
        for i in range(len(self.slots)):
            while True:
                worker = self.slots[i]
                if worker is not None and worker.busy:
                    break
                fresh = worker is None
                queue = self.retries if fresh and self.retries else self.pending
                if not queue:
                    break
                if worker is None:
                    worker = self.slots[i] = self.executor._start(self.ctx)
                item = queue.popleft()
                if worker.give(item, self.executor.deadline(item[1])):
                    break
                # Dead before it got the page: the page is not to blame and goes back in line.
                queue.appendleft(item)
                worker.item = item
                yield from self._gone(i, worker)

    def _collect(self, worker: WorkerProcess) -> Iterator[tuple[PageJob, PageRecord]]:
        i = self.slots.index(worker)
        message = _receive(worker)
        if worker.ready:
            self.start_failures = 0
        if message is _NOTHING:
            return
        if message is _GONE:
            yield from self._gone(i, worker)
            return
        assert isinstance(message, PageRecord) and worker.item is not None
        item, worker.item = worker.item, None
        worker.life.pages += 1
        if message.worker_peak_mb is not None:
            worker.life.peak_mb = max(worker.life.peak_mb or 0.0, message.worker_peak_mb)
        if worker.life.pages >= self.executor.pages_per_worker:
            self._retire(i, "retired")
        yield self._finish(item, message)

    def _gone(self, i: int, worker: WorkerProcess) -> Iterator[tuple[PageJob, PageRecord]]:
        """The worker in slot i died; its page (if it had one) is retried or failed."""
        code = worker.stop(force=True)  # force: the Tesseract it ran may outlive it
        worker.end("died")
        self.slots[i] = None
        item, how = worker.item, describe_exit(code)
        if not worker.ready:
            # It died starting up, before it could read the page. Repeatedly: nothing will work.
            self.start_failures += 1
            if item is not None and item not in self.pending and item not in self.retries:
                (self.retries if item[0] in self.deaths else self.pending).appendleft(item)
            log.warning("an OCR worker died while starting (%s)", how)
            if self.start_failures >= MAX_START_FAILURES:
                raise WorkerStartError(f"OCR worker processes die before reading any page ({how}); "
                                       "see the log above for the cause")
            return
        if item is None or item in self.pending:
            return
        position, job = item
        self.deaths[position] = self.deaths.get(position, 0) + 1
        if self.deaths[position] < MAX_ATTEMPTS:
            log.warning("an OCR worker died (%s) on page %d of %s; the page is retried on a fresh worker",
                        how, job.number, job.sha256[:12])
            self.retries.append(item)
            return
        log.warning("page %d of %s killed %d OCR workers (%s); marked failed",
                    job.number, job.sha256[:12], self.deaths[position], how)
        yield self._finish(item, failed(job, f"worker process died while reading this page ({how}; "
                                             f"tried {self.deaths[position]} times)"))

    def _stop_overdue(self) -> Iterator[tuple[PageJob, PageRecord]]:
        now = time.monotonic()
        for i, worker in enumerate(self.slots):
            if worker is None or not worker.overdue(now) or worker.conn.poll(0):
                continue  # a result (or EOF) already waiting in the pipe wins over the deadline
            item = worker.item
            assert item is not None
            log.warning("page %d of %s took longer than %.0f s; its worker (pid %s) is stopped",
                        item[1].number, item[1].sha256[:12], worker.deadline, worker.proc.pid)
            worker.stop(force=True)
            worker.end("stalled")
            self.slots[i] = None
            yield self._finish(item, failed(item[1], f"page took longer than {worker.deadline:.0f} s "
                                                     "(stalled); worker stopped"))

    def _retire(self, i: int, how: str) -> None:
        worker = self.slots[i]
        assert worker is not None
        try:
            worker.conn.send(None)
        except (OSError, EOFError):
            pass
        worker.end(how)
        self.slots[i] = None
        self.retiring.append((worker, time.monotonic() + EXIT_GRACE_S))

    def _reap_retired(self, final: bool = False) -> None:
        for entry in list(self.retiring):
            worker, limit = entry
            if final:
                worker.proc.join(max(0.0, limit - time.monotonic()))
            if worker.proc.exitcode is not None:
                worker.stop(force=False, timeout=0)
            elif final or time.monotonic() > limit:
                log.warning("retired OCR worker (pid %s) did not exit; killed", worker.proc.pid)
                worker.stop(force=True)
            else:
                continue
            self.retiring.remove(entry)


_NOTHING, _GONE = object(), object()


def _receive(worker: WorkerProcess) -> object:
    """The record the worker sent, _GONE when it died without one, _NOTHING when it is still at work."""
    assert worker.item is not None
    try:
        while worker.conn.poll(0):
            message = worker.conn.recv()
            if message == READY:
                worker.ready = True
                continue
            if not isinstance(message, PageRecord):
                return failed(worker.item[1], f"worker sent {type(message).__name__}, not a PageRecord")
            return message
    except (EOFError, OSError):
        return _GONE
    except Exception as exc:  # a record that does not unpickle here: the page fails, the worker is fine
        return failed(worker.item[1], f"result could not be read ({type(exc).__name__}: {exc})")
    return _GONE if wait([worker.proc.sentinel], 0) else _NOTHING


def ocr_pages(jobs: Sequence[PageJob], workers: int, progress: Progress | None = None,
              executor: PageExecutor | None = None) -> dict[tuple[str, int], PageRecord]:
    """OCR all `jobs`; returns (sha256, page number) -> PageRecord for every job."""
    executor = executor or LocalProcessExecutor(workers)
    results: dict[tuple[str, int], PageRecord] = {}
    with closing(executor.map(jobs, progress)) as records:  # closing kills the workers if we stop early
        for job, record in records:
            results[(job.sha256, job.number)] = record
    for job in jobs:  # an executor that breaks its contract costs pages, not the run
        results.setdefault((job.sha256, job.number), failed(job, "page was not read (no result from its executor)"))
    return results
