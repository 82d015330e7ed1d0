"""The Prefect flow itself, against a temporary Prefect server (prefect_test_harness)."""

from __future__ import annotations

import pytest

from . import prefect_harness
from .conftest import INDONESIAN
from .makers import digital_pdf, scanned_pdf

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def prefect(tmp_path_factory):
    # Prefect reads its home at import: the harness points it at a temporary folder before the first import.
    prefect_harness.acquire(tmp_path_factory.mktemp("prefect-home"))
    yield
    prefect_harness.release()


def test_nightly_flow_runs_every_stage_and_is_incremental(prefect, settings, monkeypatch):
    monkeypatch.setenv("BUKTI_HOME", str(settings.home))
    monkeypatch.setenv("BUKTI_STABLE_SECONDS", "0")
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    scanned_pdf(settings.inbox / "dinkes" / "pindaian.pdf", INDONESIAN)
    (settings.inbox / "rusak.pdf").write_bytes(b"%PDF-1.4\n%%EOF")
    from flows.nightly import nightly

    state = nightly(inbox=str(settings.inbox), return_state=True)
    assert state.is_completed()
    first = state.result()
    assert first["new_documents"] == 3 and first["ocr_pages"] == 1 and first["text_layer_pages"] == 1
    assert first["statuses"] == {"processed": 2, "quarantined": 1}  # the bad file did not fail the flow
    second = nightly(inbox=str(settings.inbox))
    assert second["new_documents"] == 0 and second["ocr_pages"] == 0


def test_flow_publishes_progress_and_summary_artifacts(prefect, settings, monkeypatch, keyword_classifier):
    # The artifacts are under test, not the model: the stand-in classifier decides, so retraining changes nothing here.
    monkeypatch.setenv("BUKTI_HOME", str(settings.home))
    monkeypatch.setenv("BUKTI_STABLE_SECONDS", "0")
    scanned_pdf(settings.inbox / "dinkes" / "pindaian.pdf", INDONESIAN)
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.nightly import nightly

    state = nightly(inbox=str(settings.inbox), return_state=True)
    this_run = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
    with get_client(sync_client=True) as client:
        keys = {a.key: a for a in client.read_artifacts(artifact_filter=this_run)}
    assert set(keys) == {"bukti-ocr-progress", "bukti-ringkasan", "bukti-celah-bukti", "bukti-celah-bukti-ringkasan"}
    assert float(keys["bukti-ocr-progress"].data) == 100.0
    assert "Dokumen baru dibaca: **1**" in keys["bukti-ringkasan"].data
    summary = keys["bukti-celah-bukti-ringkasan"].data
    assert "| Hak atas pendidikan | **sebagian** | belum ada | terpenuhi | belum ada |" in summary
    assert "0 lengkap, 1 sebagian, 0 lemah, 9 belum ada" in summary
    table = keys["bukti-celah-bukti"].data
    assert "pendidikan" in table and "belum ada" in table and "angka partisipasi sekolah" in table


def test_a_province_inbox_publishes_the_province_summary(prefect, settings, monkeypatch, keyword_classifier):
    monkeypatch.setenv("BUKTI_HOME", str(settings.home))
    monkeypatch.setenv("BUKTI_STABLE_SECONDS", "0")
    monkeypatch.setenv("BUKTI_INBOX_LAYOUT", "region/opd")
    digital_pdf(settings.inbox / "kab-semarang" / "disdik" / "laporan.pdf", INDONESIAN)
    shared = settings.inbox / "kota-tegal" / "disdik" / "laporan-sama.pdf"  # the same content in another region
    digital_pdf(shared, INDONESIAN)
    digital_pdf(settings.inbox / "kota-tegal" / "dinkes" / "imunisasi.pdf",
                "LAPORAN CAKUPAN IMUNISASI DASAR LENGKAP TAHUN 2025\nPuskesmas melaksanakan imunisasi.")
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.nightly import nightly

    state = nightly(inbox=str(settings.inbox), return_state=True)
    result = state.result()
    assert result["gaps"] is None and result["new_documents"] == 2  # the shared content is read once
    regions = {r["region"]: {c["id"]: c["status"] for c in r["criteria"]} for r in result["province"]["regions"]}
    assert set(regions) == {"kab-semarang", "kota-tegal"}
    assert regions["kab-semarang"]["pendidikan"] != "missing" and regions["kota-tegal"]["pendidikan"] != "missing"
    assert regions["kab-semarang"]["kesehatan"] == "missing" and regions["kota-tegal"]["kesehatan"] != "missing"
    this_run = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
    with get_client(sync_client=True) as client:
        keys = {a.key: a for a in client.read_artifacts(artifact_filter=this_run)}
    assert {"bukti-provinsi", "bukti-provinsi-tabel"} <= set(keys)
    assert "kab-semarang" in keys["bukti-provinsi"].data and "kota-tegal" in keys["bukti-provinsi-tabel"].data
