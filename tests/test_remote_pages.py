"""Pages read elsewhere (issue 9, item 2), without Prefect or Dask: the archive path as workers see it, the
worker-side reader, and the task-runner executor over fake tasks and futures (each page's failure is its own;
a stalled runner cannot hang the run)."""

from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path

import pytest

from pipeline.extract.page import PageRecord
from pipeline.extract.plan import PageJob
from pipeline.extract.remote import NotInArchive, PageReading, prepare_jobs, read_page_on_worker, worker_path

SHA = "ab" + "c" * 62


def _job(source: Path | str, index: int = 0) -> PageJob:
    return PageJob(SHA, str(source), "pdf", index, 200.0, "ind", 1.0, 1000)


def test_worker_path_maps_the_archive_folder_to_where_workers_mount_it(tmp_path, monkeypatch):
    originals = tmp_path / "home" / "originals"
    source = originals / "ab" / SHA
    assert worker_path(str(source), originals, "/mnt/bukti-originals") == f"/mnt/bukti-originals/ab/{SHA}"
    assert worker_path(str(source), originals) == str(source)  # same mount path: unchanged, absolute
    monkeypatch.chdir(tmp_path)  # the default home is relative ("data"): workers get an absolute path
    assert worker_path(f"home/originals/ab/{SHA}", Path("home/originals")) == str(source)
    with pytest.raises(NotInArchive, match="not in the archive folder"):
        worker_path(str(tmp_path / "inbox" / "x.pdf"), originals)


def test_prepare_jobs_keeps_order_and_turns_outsiders_into_reasons(tmp_path):
    originals = tmp_path / "originals"
    inside, outside = _job(originals / "ab" / SHA, 0), _job(tmp_path / "elsewhere.pdf", 1)
    prepared = prepare_jobs([inside, outside], originals, "/w")
    assert prepared[0] == PageJob(SHA, f"/w/ab/{SHA}", "pdf", 0, 200.0, "ind", 1.0, 1000)
    assert isinstance(prepared[1], NotInArchive)


def test_a_worker_without_the_archive_fails_the_page_and_says_what_to_mount(tmp_path):
    reading = read_page_on_worker(_job(tmp_path / "missing" / SHA))
    assert isinstance(reading, PageReading) and reading.record.number == 1
    assert "not found" in reading.record.error and "BUKTI_WORKER_ORIGINALS_DIR" in reading.record.error
    assert reading.worker  # host:pid outside Dask


class _Future:
    """What the executor uses of a Prefect future, over a concurrent.futures.Future."""

    def __init__(self, inner: concurrent.futures.Future) -> None:
        self.wrapped_future = inner

    def add_done_callback(self, fn) -> None:
        self.wrapped_future.add_done_callback(lambda _: fn(self))

    def result(self):
        return self.wrapped_future.result()


class _Task:
    """A fake `ocr-page` task: `map(jobs)` runs `reader` on threads."""

    def __init__(self, reader, pool: concurrent.futures.ThreadPoolExecutor) -> None:
        self.reader, self.pool = reader, pool

    def map(self, jobs):
        return [_Future(self.pool.submit(self.reader, job)) for job in jobs]


def _reader(release: threading.Event):
    def read(job: PageJob):
        name = Path(job.source).name
        if name == "raises":
            raise RuntimeError("decoder exploded")
        if name == "wrong":
            return "not a reading"
        if name == "stalls":
            release.wait(30)
        return PageReading(PageRecord(job.number, "ocr", f"text of {name}"), "tcp://w1:1", 0.5)
    return read


@pytest.fixture
def ocr_tasks():
    # Imported here, not at collection: Prefect reads its home at import (tests/prefect_harness.py sets it).
    from flows import ocr_tasks

    return ocr_tasks


@pytest.fixture
def pool():
    with concurrent.futures.ThreadPoolExecutor(4) as threads:
        yield threads


def test_each_failure_costs_only_its_page(tmp_path, pool, ocr_tasks):
    originals = tmp_path / "originals"
    jobs = [_job(originals / "ok", 0), _job(originals / "raises", 1), _job(originals / "wrong", 2),
            _job(tmp_path / "outside", 3)]
    progress = []
    task = _Task(_reader(threading.Event()), pool)
    executor = ocr_tasks.TaskRunnerPageExecutor(originals, page_task=task)
    records = {job.number: record for job, record in executor.map(jobs, lambda d, t: progress.append((d, t)))}
    assert records[1].raw_text == "text of ok" and records[1].error is None
    assert "RuntimeError: decoder exploded" in records[2].error
    assert "not a PageReading" in records[3].error
    assert "not in the archive folder" in records[4].error
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [r.worker for r in executor.readings] == ["tcp://w1:1"]


def test_a_stalled_runner_fails_the_pages_still_out_and_cancels_them(tmp_path, pool, ocr_tasks, monkeypatch):
    monkeypatch.setattr(ocr_tasks, "POLL_S", 0.05)
    originals = tmp_path / "originals"
    release = threading.Event()
    task = _Task(_reader(release), pool)
    executor = ocr_tasks.TaskRunnerPageExecutor(originals, stall_s=0.5, page_task=task)
    try:
        records = dict((job.number, r) for job, r in executor.map([_job(originals / "ok", 0),
                                                                    _job(originals / "stalls", 1)]))
    finally:
        release.set()
    assert records[1].error is None
    assert "no result from the task runner" in records[2].error


def test_closing_the_results_early_cancels_the_pages_not_yet_started(tmp_path, ocr_tasks):
    originals = tmp_path / "originals"
    release = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(1) as one:  # pages run one after another
        task = _Task(_reader(release), one)
        futures = []
        task_map = task.map
        task.map = lambda jobs: futures.extend(task_map(jobs)) or futures
        records = ocr_tasks.TaskRunnerPageExecutor(originals, page_task=task).map(
            [_job(originals / "ok", 0), _job(originals / "stalls", 1), _job(originals / "later", 2)])
        first = next(records)  # the first page; the second holds the only thread; the third waits in line
        records.close()
        release.set()
    assert first[0].number == 1
    assert futures[2].wrapped_future.cancelled()
