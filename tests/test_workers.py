"""The OCR page executor: every run ends, whatever its pages do (issue 7: no hang, ever).

Fake readers (tests/fake_readers.py) stall or crash on chosen pages; one slow test reads 300 real pages with
Tesseract. Runs go through `bounded`, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.training import synth
from pipeline.extract.page import PageRecord
from pipeline.extract.plan import OcrOptions, PageJob, plan_document
from pipeline.extract.workers import LocalProcessExecutor, WorkerStartError, ocr_pages, page_deadline

from . import fake_readers

SHA = "f" * 64


def _jobs(folder: Path, count: int, marks: dict[int, str] | None = None) -> list[PageJob]:
    """Pages 1..count; a page's mark (in `source`) tells the fake reader how to misbehave on it."""
    marks = marks or {}
    return [PageJob(SHA, str(folder / f"page{n}-{marks.get(n, 'ok')}"), "pdf", n - 1, 200.0, "ind", 1.0, 1000)
            for n in range(1, count + 1)]


def _calls(job: PageJob) -> list[int]:
    """Pids of the workers that started reading `job`, in order."""
    path = Path(job.source + ".calls")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def _dead(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # a zombie has stopped; reaping it is its new parent's business


def _wait_dead(pids, seconds: float = 10.0) -> list[int]:
    """Pids still alive after `seconds`."""
    limit = time.monotonic() + seconds
    alive = [p for p in pids if not _dead(p)]
    while alive and time.monotonic() < limit:
        time.sleep(0.1)
        alive = [p for p in alive if not _dead(p)]
    return alive


def bounded(fn, seconds: float):
    """fn(), or a test failure if it has not returned within `seconds`."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the run did not return within {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _read_by_fakes(results: dict, jobs: list[PageJob], skip: set[int]) -> None:
    for job in jobs:
        if job.number in skip:
            continue
        record = results[(SHA, job.number)]
        assert record.error is None, (job.number, record.error)
        assert int(record.raw_text) in _calls(job)  # read, by a worker that was given this page


def test_stalled_page_costs_only_that_page(tmp_path):
    jobs = _jobs(tmp_path, 12, {5: fake_readers.STALL})
    executor = LocalProcessExecutor(2, reader=fake_readers.misbehave, deadline=lambda job: 3.0)
    started = time.monotonic()
    results = bounded(lambda: ocr_pages(jobs, 2, executor=executor), 60)
    assert time.monotonic() - started < 30
    assert len(results) == 12
    stalled = results[(SHA, 5)]
    assert stalled.error == "page took longer than 3 s (stalled); worker stopped" and stalled.raw_text == ""
    assert len(_calls(jobs[4])) == 1  # a stall is not retried: it would only stall again
    _read_by_fakes(results, jobs, skip={5})
    assert [life.end for life in executor.lives].count("stalled") == 1
    assert _wait_dead(_calls(jobs[4])) == []


def test_stalled_page_takes_its_worker_children_down_too(tmp_path):
    # A worker killed for a stall must not leave its Tesseract running: it would hold a core for nothing.
    jobs = _jobs(tmp_path, 1)
    executor = LocalProcessExecutor(1, reader=fake_readers.stall_with_tesseract, deadline=lambda job: 2.0)
    results = bounded(lambda: ocr_pages(jobs, 1, executor=executor), 60)
    assert "stalled" in results[(SHA, 1)].error
    child = int(Path(jobs[0].source + ".child").read_text())
    assert _wait_dead([child]) == [], "the stalled worker's child process is still running"


@pytest.mark.parametrize("mark, how", [(fake_readers.EXIT, "exit code 3"),
                                       (fake_readers.SIGKILL, "killed by SIGKILL")])
def test_page_that_kills_its_worker_is_retried_once_then_failed(tmp_path, mark, how):
    jobs = _jobs(tmp_path, 10, {4: mark})
    executor = LocalProcessExecutor(2, reader=fake_readers.misbehave, deadline=lambda job: 30.0)
    results = bounded(lambda: ocr_pages(jobs, 2, executor=executor), 60)
    record = results[(SHA, 4)]
    assert record.error.startswith("worker process died while reading this page")
    assert how in record.error and "tried 2 times" in record.error
    attempts = _calls(jobs[3])
    assert len(attempts) == 2 and attempts[0] != attempts[1]  # once more, on another (fresh) worker
    _read_by_fakes(results, jobs, skip={4})


def test_page_that_crashed_a_worker_once_is_read_on_the_retry(tmp_path):
    jobs = _jobs(tmp_path, 6, {2: fake_readers.ONCE})
    executor = LocalProcessExecutor(2, reader=fake_readers.misbehave)
    results = bounded(lambda: ocr_pages(jobs, 2, executor=executor), 60)
    first, second = _calls(jobs[1])
    assert results[(SHA, 2)] == PageRecord(2, "ocr", str(second), worker_peak_mb=2.0)  # the 2nd attempt's
    assert first != second
    _read_by_fakes(results, jobs, skip=set())


def test_reader_exception_costs_only_that_page(tmp_path):
    jobs = _jobs(tmp_path, 4, {3: fake_readers.RAISE})
    executor = LocalProcessExecutor(2, reader=fake_readers.misbehave)
    results = bounded(lambda: ocr_pages(jobs, 2, executor=executor), 60)
    assert results[(SHA, 3)].error == "MemoryError: simulated"
    assert len(_calls(jobs[2])) == 1  # the worker survived it: nothing to retry
    assert not any(life.end == "died" for life in executor.lives)
    _read_by_fakes(results, jobs, skip={3})


def test_workers_are_recycled_after_k_pages(tmp_path):
    jobs, k = _jobs(tmp_path, 25), 3
    executor = LocalProcessExecutor(2, reader=fake_readers.pid, pages_per_worker=k)
    results = bounded(lambda: ocr_pages(jobs, 2, executor=executor), 60)
    pages_by_pid = Counter(int(r.raw_text) for r in results.values())
    assert sum(pages_by_pid.values()) == 25
    assert len(pages_by_pid) >= math.ceil(25 / k) > 2  # more workers than slots: they were replaced
    assert max(pages_by_pid.values()) <= k
    assert sorted(pages_by_pid) == sorted(life.pid for life in executor.lives)
    assert {life.end for life in executor.lives} <= {"retired", "finished"}
    assert _wait_dead(pages_by_pid) == []


def test_workers_that_cannot_start_end_the_run_with_an_error(tmp_path):
    # Not a page's fault, so no page is marked failed: the run stops and says why.
    jobs = _jobs(tmp_path, 5)
    executor = LocalProcessExecutor(2, reader=fake_readers.DiesOnArrival())
    with pytest.raises(WorkerStartError, match="exit code 5"):
        bounded(lambda: ocr_pages(jobs, 2, executor=executor), 60)
    assert [life.end for life in executor.lives].count("died") == 3  # MAX_START_FAILURES, then it gives up
    assert all(life.pages == 0 and life.end in ("died", "stopped") for life in executor.lives)
    assert _wait_dead([life.pid for life in executor.lives]) == []


def test_interrupted_run_kills_its_workers(tmp_path):
    jobs = _jobs(tmp_path, 8, {n: fake_readers.STALL for n in range(3, 9)})

    def progress(done, total):
        if done == 2:
            raise KeyboardInterrupt

    executor = LocalProcessExecutor(2, reader=fake_readers.misbehave)  # default deadline: minutes
    with pytest.raises(KeyboardInterrupt):
        bounded(lambda: ocr_pages(jobs, 2, progress, executor=executor), 60)
    assert len(executor.lives) >= 2 and "stopped" in [life.end for life in executor.lives]
    assert _wait_dead([life.pid for life in executor.lives]) == []


def test_workers_do_not_outlive_a_killed_run(tmp_path):
    # SIGKILL, or SIGTERM from a service manager, gives the run no chance to clean up: the workers must
    # notice on their own, even a worker stuck on a page.
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(f"""
        from pathlib import Path
        from pipeline.extract.plan import PageJob
        from pipeline.extract.workers import LocalProcessExecutor, ocr_pages
        from tests import fake_readers

        if __name__ == "__main__":
            folder = Path({str(tmp_path)!r})
            jobs = [PageJob("f" * 64, str(folder / f"page{{n}}-stall"), "pdf", n - 1, 200.0, "ind", 1.0, 1000)
                    for n in (1, 2)]
            ocr_pages(jobs, 2, executor=LocalProcessExecutor(2, reader=fake_readers.misbehave))
    """))
    run = subprocess.Popen([sys.executable, str(script)], cwd=Path(__file__).resolve().parent.parent)
    pages = [tmp_path / "page1-stall.calls", tmp_path / "page2-stall.calls"]
    limit = time.monotonic() + 60
    while not all(p.exists() and p.read_text().strip() for p in pages) and time.monotonic() < limit:
        time.sleep(0.1)
    run.kill()
    run.wait(10)
    workers = [int(p.read_text().split()[0]) for p in pages if p.exists() and p.read_text().strip()]
    assert len(workers) == 2, "the workers never started"
    alive = _wait_dead(workers)
    for pid in alive:  # the test failed; do not leave its workers behind
        os.kill(pid, signal.SIGKILL)
    assert alive == [], "workers kept running after their run was killed"


def test_ocr_pages_takes_any_executor_and_fills_what_it_misses(tmp_path):
    class InProcess:  # what a Dask or Prefect executor has to provide
        def map(self, jobs, progress=None):
            for job in jobs[:-1]:
                yield job, fake_readers.pid(job)

    jobs = _jobs(tmp_path, 3)
    results = ocr_pages(jobs, 1, executor=InProcess())
    assert [results[(SHA, n)].raw_text for n in (1, 2)] == [str(os.getpid())] * 2
    assert results[(SHA, 3)].error.startswith("page was not read")


def test_deadline_covers_every_tesseract_call_of_a_page():
    job = _jobs(Path("/nonexistent"), 1)[0]
    # ocr_image may call Tesseract three times (read, orientation, read again), each up to job.timeout
    assert page_deadline(job) > 3 * job.timeout
    assert page_deadline(PageJob(SHA, "x", "pdf", 0, None, "ind", 180.0, 1)) < 15 * 60


@pytest.mark.slow
def test_three_hundred_real_pages_are_all_read(tmp_path):
    font = ImageFont.truetype(str(synth.font_path()), 36)
    texts = [f"Halaman {n} laporan pelaksanaan program wajib belajar dua belas tahun" for n in range(1, 301)]
    pages = []
    for text in texts:
        img = Image.new("L", (1500, 90), 255)
        ImageDraw.Draw(img).text((20, 20), text, fill=0, font=font)
        pages.append(img)
    synth.save_scanned_pdf(pages, tmp_path / "tiga-ratus.pdf", 200)
    plan = plan_document(SHA, tmp_path / "tiga-ratus.pdf", "tiga-ratus.pdf", OcrOptions(timeout=60))
    assert len(plan.jobs) == 300 and not plan.done

    executor = LocalProcessExecutor(2)  # the real reader, the default recycling
    seen = []
    results = bounded(lambda: ocr_pages(plan.jobs, 2, lambda done, total: seen.append(done), executor), 240)
    assert seen == list(range(1, 301))
    assert len(results) == 300
    for n, text in enumerate(texts, start=1):
        record = results[(SHA, n)]
        assert record.error is None and record.source == "ocr"
        assert " ".join(record.raw_text.split()) == text, n
        assert record.worker_peak_mb and record.worker_peak_mb > 10
    assert len(executor.lives) >= 300 // 50 and sum(life.pages for life in executor.lives) == 300
    assert _wait_dead([life.pid for life in executor.lives]) == []
