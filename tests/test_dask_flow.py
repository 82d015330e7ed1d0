"""The nightly flow with its page OCR on a Dask cluster (issue 9, item 2): a `distributed.LocalCluster` of two
worker processes started here, real Tesseract on a few generated scans, and the result compared with a
local pass over the same inbox."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from pipeline.extract.page import PageRecord
from pipeline.extract.plan import PageJob
from pipeline.extract.remote import PageReading

from pipeline.config import load_settings
from pipeline.ledger.ledger import Ledger
from pipeline.process import process_inbox

from . import prefect_harness
from .conftest import ROOT
from .makers import digital_pdf, scanned_pdf

pytestmark = pytest.mark.slow

SCANS = {"dinkes/imunisasi.pdf": "laporan-imunisasi.txt", "disdukcapil/akta.pdf": "laporan-akta-kelahiran.txt",
         "diskominfo/ppid.pdf": "laporan-ppid.txt", "dlh/bank-sampah.pdf": "laporan-bank-sampah.txt"}


@pytest.fixture(scope="session")
def prefect(tmp_path_factory):
    prefect_harness.acquire(tmp_path_factory.mktemp("prefect-home"))
    yield
    prefect_harness.release()


@pytest.fixture(scope="module")
def cluster():
    import dask
    from distributed import Client, LocalCluster

    # As deployed (docs/cluster.md): worker processes of one thread each; no dashboard port to collide on.
    # A page that kills its worker is given up after 2 deaths instead of Dask's 4, to keep the test short.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      env={"OMP_THREAD_LIMIT": "1"}) as local, Client(local) as client:
        client.get_task_stream()  # installs the scheduler's task-stream plugin before any task runs
        yield local, client


def _first_page(text_file: str) -> str:
    return "\n".join((ROOT / "samples" / "texts" / text_file).read_text(encoding="utf-8").split("\n")[:30])


def _ledger_view(settings) -> list[tuple]:
    """What a pass left in the ledger, without times or anything else that differs between two passes."""
    ledger = Ledger(settings.database_url)
    try:
        return [(e.path, e.status, e.sha256, ledger.document(e.sha256).text if e.sha256 else None)
                for e in ledger.entries()]
    finally:
        ledger.close()


def test_page_ocr_runs_as_mapped_tasks_on_the_dask_cluster(prefect, cluster, settings, tmp_path, monkeypatch):
    local, client = cluster
    for path, text_file in SCANS.items():
        scanned_pdf(settings.inbox / path, _first_page(text_file))
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", _first_page("sk-pendidikan-inklusif.txt"))

    settings = dataclasses.replace(settings, assessment_year=2025)
    here = process_inbox(settings)  # the local run: supervised worker processes on this machine
    assert here.ocr_pages == len(SCANS) and here.failed_pages == 0

    cluster_home = tmp_path / "cluster-home"
    monkeypatch.setenv("BUKTI_HOME", str(cluster_home))
    monkeypatch.setenv("BUKTI_STABLE_SECONDS", "0")
    monkeypatch.setenv("BUKTI_ASSESSMENT_YEAR", "2025")
    monkeypatch.setenv("BUKTI_DASK_ADDRESS", local.scheduler_address)
    from flows.nightly import flow_for

    there_settings = load_settings(inbox=settings.inbox)
    state = flow_for(there_settings)(inbox=str(settings.inbox), return_state=True)
    assert state.is_completed()
    there = state.result()

    assert there["ocr_pages"] == len(SCANS) and there["failed_pages"] == 0
    assert there["statuses"] == here.statuses == {"processed": len(SCANS) + 1}
    assert _ledger_view(there_settings) == _ledger_view(settings)
    assert there["gaps"] == here.as_dict()["gaps"]  # the flow returns the summary as plain data

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    this_run = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
    with get_client(sync_client=True) as prefect_client:
        artifacts = {a.key: a for a in prefect_client.read_artifacts(artifact_filter=this_run)}
    assert float(artifacts["bukti-ocr-progress"].data) == 100.0  # progress reported as pages come back

    # The pages were read by the cluster's two worker processes, one task per page.
    workers = set(client.scheduler_info()["workers"])
    ran = client.get_task_stream()  # every task this cluster ran since the fixture started it
    assert len(ran) == len(SCANS), ran
    assert {t["worker"] for t in ran} == workers


def _fake_page(job: PageJob) -> PageReading:
    if Path(job.source).name == "kills-its-worker":
        os._exit(1)  # as a segfault in PDFium or the kernel's OOM killer would
    return PageReading(PageRecord(job.number, "ocr", "read"), "fake", 0.0)


def test_a_page_that_kills_its_workers_fails_alone(prefect, cluster, tmp_path):
    # Runs after the flow test: the workers it kills are restarted by their nannies.
    from prefect import flow, task
    from prefect_dask import DaskTaskRunner

    from flows.ocr_tasks import TaskRunnerPageExecutor

    local, _ = cluster
    jobs = [PageJob("a" * 64, str(tmp_path / name), "pdf", i, 200.0, "ind", 1.0, 1000)
            for i, name in enumerate(["fine", "kills-its-worker", "also-fine"])]

    @flow(task_runner=DaskTaskRunner(address=local.scheduler_address))
    def read_pages() -> dict[int, PageRecord]:
        executor = TaskRunnerPageExecutor(tmp_path, page_task=task(_fake_page, name="ocr-page-fake"))
        return {job.number: record for job, record in executor.map(jobs)}

    records = read_pages()
    assert records[1].raw_text == records[3].raw_text == "read" and not records[1].error
    assert "KilledWorker" in records[2].error  # rescheduled once on a fresh worker, died again: given up
