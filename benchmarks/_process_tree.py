"""A benchmark child's whole process tree: its processes, their memory and their CPU time.

A child running bukti starts a forkserver, OCR workers and (with the command engine) Tesseract processes;
OCRmyPDF starts Tesseract too. To count them all, the benchmark becomes a child subreaper (orphans are
re-parented to it, so their CPU time lands in its RUSAGE_CHILDREN once reaped), and samples the tree's memory
from /proc while the child runs. Linux only, as the project's machines.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from pathlib import Path

SAMPLE_S = 0.1
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SystemExit("prctl(PR_SET_CHILD_SUBREAPER) failed: the CPU time of workers could not be counted")


def tree(root: int) -> list[int]:
    """root and all its descendants now living, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def memory_mb(pids: list[int]) -> tuple[float, float]:
    """Summed RSS and PSS (shared pages divided among the processes sharing them) of `pids`, in MB."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:  # gone meanwhile, or a kernel thread
            continue
    return rss / 1024, pss / 1024


class PeakSampler:
    """The largest summed RSS and PSS of a process tree and its largest number of processes, sampled every
    SAMPLE_S seconds in a thread between start() and stop()."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak = {"rss": 0.0, "pss": 0.0, "processes": 0}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> "PeakSampler":
        self._thread.start()
        return self

    def stop(self) -> dict:
        self._done.set()
        self._thread.join()
        return self.peak

    def _sample(self) -> None:
        while not self._done.is_set():
            pids = tree(self.root)
            rss, pss = memory_mb(pids)
            self.peak["rss"], self.peak["pss"] = max(self.peak["rss"], rss), max(self.peak["pss"], pss)
            self.peak["processes"] = max(self.peak["processes"], len(pids))
            self._done.wait(SAMPLE_S)


def reap_orphans(wait_s: float = 30.0) -> int:
    """Wait for what the child left behind (a forkserver exits after its parent) and count it in."""
    reaped, deadline = 0, time.monotonic() + wait_s
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid:
            reaped += 1
        elif time.monotonic() > deadline:
            print("warning: processes left behind still running; their CPU time is not counted", file=sys.stderr)
            return reaped
        else:
            time.sleep(0.02)
