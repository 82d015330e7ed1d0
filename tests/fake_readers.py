"""Page readers that misbehave on purpose, for tests/test_workers.py.

They run inside OCR worker processes, so they must be top-level functions in a module the workers can import.
Which page misbehaves is told by the job itself: its `source` file name is `<anything>-<mark>`, one of the
marks below. Each call appends the worker's pid to `<source>.calls`, so tests can count attempts across
processes.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from pipeline.extract.page import PageRecord
from pipeline.extract.plan import PageJob

STALL, EXIT, SIGKILL, ONCE, RAISE = "stall", "exit", "sigkill", "crash-once", "raise"


def _note(job: PageJob) -> int:
    calls = Path(job.source + ".calls")
    with calls.open("a") as f:
        f.write(f"{os.getpid()}\n")
    return len(calls.read_text().split())


def misbehave(job: PageJob) -> PageRecord:
    """Returns the worker's pid as the page's text, unless the page is marked to stall, crash or raise."""
    attempt = _note(job)
    mark = Path(job.source).name.split("-", 1)[-1]
    if mark == STALL:
        while True:  # also ignores the Tesseract-style timeout: only the parent's deadline can end this
            time.sleep(60)
    if mark == EXIT:
        os._exit(3)
    if mark == SIGKILL:
        os.kill(os.getpid(), signal.SIGKILL)
    if mark == ONCE and attempt == 1:
        os._exit(4)
    if mark == RAISE:
        raise MemoryError("simulated")
    return PageRecord(job.number, "ocr", str(os.getpid()), worker_peak_mb=float(attempt))


def pid(job: PageJob) -> PageRecord:
    """The worker's pid as the page's text; a little work so both workers get pages."""
    time.sleep(0.02)
    return PageRecord(job.number, "ocr", str(os.getpid()))


def stall_with_tesseract(job: PageJob) -> PageRecord:
    """A stalled page whose worker has a child process (as a worker running Tesseract has): writes the child's
    pid to `<source>.child`, then waits for it forever."""
    import subprocess

    child = subprocess.Popen(["sleep", "600"])
    Path(job.source + ".child").write_text(str(child.pid))
    child.wait()
    return PageRecord(job.number, "ocr", "")


class DiesOnArrival:
    """A reader that kills whatever process unpickles it: workers that die while starting up."""

    def __reduce__(self):
        return os._exit, (5,)

    def __call__(self, job: PageJob) -> PageRecord:  # pragma: no cover - never reached in a worker
        return PageRecord(job.number, "ocr", "")
