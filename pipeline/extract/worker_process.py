"""One OCR worker process: its loop in the child (`_worker_main`: a page in over its pipe, a PageRecord out) and
its handle in the parent (`WorkerProcess`: start, give a page, stop, record its life). The supervision of a whole run,
deadlines, retries and recycling, is in workers.py."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from pipeline.extract.ocr import ensure_single_thread
from pipeline.extract.page import PageRecord
from pipeline.extract.plan import PageJob

log = logging.getLogger(__name__)

Reader = Callable[[PageJob], PageRecord]

READY = "ready"
REAP_S = 5.0  # how long the parent waits for a killed or dead worker's exit status


@dataclass
class WorkerLife:
    """One worker process from start to end, for logs and benchmarks."""
    pid: int | None
    started: float  # time.monotonic()
    pages: int = 0
    peak_mb: float | None = None  # largest worker_peak_mb among the pages it returned
    ended: float | None = None
    end: str = ""  # retired, stalled, died, finished, stopped


def failed(job: PageJob, reason: str) -> PageRecord:
    return PageRecord(job.number, "ocr", "", error=reason[:500])


def worker_context() -> multiprocessing.context.BaseContext:
    # Not fork: the caller may be a Prefect flow with live threads, and fork copies their held locks.
    # A forkserver imports the OCR stack once, then forks clean workers from it in milliseconds.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.extract.read", "pipeline.extract.worker_process"])
        return ctx
    return multiprocessing.get_context("spawn")


def _worker_main(conn: Connection, reader: Reader) -> None:
    """A worker: read one job, send back one record, until told to stop or the parent is gone."""
    try:
        # Its own process group, so the parent can kill it together with any Tesseract process it is running
        # (the command engine's); a Tesseract left behind by a killed worker would hold a core until it finished.
        # The library engine's Tesseract runs inside the worker and dies with it.
        os.setpgid(0, 0)
    except OSError:
        pass
    _die_with_the_run()
    ensure_single_thread()  # inherited by the command engine's Tesseract processes
    try:
        conn.send(READY)  # tells the parent that a death from now on is a page's doing, not the set-up's
    except (EOFError, OSError):
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if job is None:
            return
        try:
            record = reader(job)
            if not isinstance(record, PageRecord):
                raise TypeError(f"the page reader returned {type(record).__name__}, not a PageRecord")
        except BaseException as exc:  # noqa: BLE001 - whatever happens, the parent gets a record for the page
            record = failed(job, f"{type(exc).__name__}: {str(exc).strip() or 'no detail'}")
        try:
            conn.send(record)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the record does not pickle: nothing was written yet
            try:
                conn.send(failed(job, f"result could not be sent back ({type(exc).__name__}: {exc})"))
            except (EOFError, OSError):
                return


def _die_with_the_run() -> None:
    # A run killed outright (SIGKILL, a service manager's SIGTERM) cannot stop its workers, and a worker stuck
    # on a page never reads its pipe again to see it closed. Its parent-process sentinel (a pipe only the run
    # holds open) tells a watcher thread instead. Not the kernel's parent-death signal: a worker's parent is
    # the forkserver, which lives as long as any worker does.
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        if os.getpgid(0) == os.getpid():  # our own group: this worker and its Tesseract
            os.killpg(0, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="bukti-run-watch", daemon=True).start()


def describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = ": often out of memory" if -code == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exit code {code}"


class WorkerProcess:
    def __init__(self, ctx: multiprocessing.context.BaseContext, reader: Reader) -> None:
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child_end, reader), daemon=True,
                                name="bukti-ocr-worker")
        try:
            self.proc.start()
        except BaseException:
            parent_end.close()
            raise
        finally:
            child_end.close()  # the worker holds the only other end: its death reads as EOF here
        self.conn = parent_end
        self.life = WorkerLife(self.proc.pid, time.monotonic())
        self.item: tuple[int, PageJob] | None = None  # (position in the run, job) while busy
        self.since = 0.0
        self.deadline = 0.0
        self.closed = False
        self.code: int | None = None
        self.ready = False  # it has set itself up; from now on its death is charged to its page

    @property
    def busy(self) -> bool:
        return self.item is not None

    def give(self, item: tuple[int, PageJob], deadline: float) -> bool:
        try:
            self.conn.send(item[1])
        except (OSError, EOFError):
            return False
        self.item, self.since, self.deadline = item, time.monotonic(), deadline
        return True

    def overdue(self, now: float) -> bool:
        return self.busy and now - self.since > self.deadline

    def stop(self, force: bool, timeout: float = REAP_S) -> int | None:
        """Wait up to `timeout` for the worker to exit (killing it and its Tesseract first when `force`, and
        anyway if it has not exited by then); release its pipe and process. Returns the exit code."""
        if self.closed:
            return self.code
        if force:
            self._kill()
        self.proc.join(timeout)
        if self.proc.exitcode is None:
            self._kill()
            self.proc.join(REAP_S)
        self.code = self.proc.exitcode
        self.conn.close()
        if self.code is not None:
            self.proc.close()
        self.closed = True
        return self.code

    def _kill(self) -> None:
        pid = self.proc.pid
        if pid:
            try:
                # Only our worker leads a group with its pid (it called setpgid), and while the group has
                # members Linux does not give that number to another process.
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.proc.kill()
        except (OSError, ValueError):
            pass

    def end(self, how: str) -> None:
        self.life.ended, self.life.end = time.monotonic(), how
