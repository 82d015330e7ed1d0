"""The stage list is the pass: the flow's retries, `anything_new` and the summary's counts come from it."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline import process
from pipeline.ledger.schema import metadata
from pipeline.records import PassSummary
from pipeline.stage import Stage, never, retries_of

from .conftest import INDONESIAN
from .makers import digital_pdf

pytestmark = pytest.mark.usefixtures("keyword_classifier")


def test_every_stage_names_real_tables_and_a_known_part():
    tables = set(metadata.tables)
    for stage in process.STAGES:
        assert set(stage.reads) | set(stage.writes) <= tables, stage.name
        assert stage.part in ("read", "look", "judge", "publish"), stage.name
    assert len({s.name for s in process.STAGES}) == len(process.STAGES)


def test_the_flow_takes_its_retries_from_the_stage_list():
    nightly = pytest.importorskip("flows.nightly")  # Prefect is a dependency: this import does not skip here
    assert not hasattr(nightly, "RETRIES")
    for stage in process.STAGES:
        assert retries_of(nightly.STAGES, stage.name) == stage.retries
    assert retries_of(process.STAGES, "ocr-page") == 0


def test_a_stage_added_to_the_list_is_run_counted_and_asked_by_anything_new(settings, monkeypatch):
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    process.process_inbox(settings)
    assert not process.anything_new(settings)
    ran = []
    extra = Stage("count-documents", lambda ctx: ran.append(1) or 7, reads=("documents",), writes=(),
                  pending=lambda probe: True, part="judge")
    monkeypatch.setattr(process, "STAGES", (*process.STAGES, extra))
    assert process.anything_new(settings)  # its pending is asked, with nothing else changed
    summary = process.process_inbox(settings)
    assert ran == [1] and summary.counts["count-documents"] == 7
    # and its count survives the flow's JSON round trip without a field or a from_json of its own
    assert PassSummary.from_json(summary.as_dict()).counts["count-documents"] == 7


def test_pending_has_no_default():
    with pytest.raises(TypeError):
        Stage("no-pending", lambda ctx: None, reads=(), writes=())  # type: ignore[call-arg]
    assert never(None) is False


def test_summary_round_trip_keeps_the_gap_list(settings):
    digital_pdf(settings.inbox / "dinkes" / "imunisasi.pdf", INDONESIAN)
    summary = process.process_inbox(settings)
    back = PassSummary.from_json(summary.as_dict())
    assert back.gaps is not None and back.gaps.as_json() == summary.gaps.as_json()
    assert dataclasses.replace(back, gaps=None) == dataclasses.replace(summary, gaps=None, province=None)


def test_a_scan_read_by_a_fake_ocr_engine_reaches_the_gap_list_without_tesseract(settings, monkeypatch):
    """The stages after OCR, with OCR faked (tests/fake_ocr.py), the classifier faked (keyword model) and the
    mark detector faked: the pass runs its list, only the real judging of the text is exercised."""
    from pipeline.endorse import stage as endorse_stage
    from pipeline.endorse.detect import Mark

    from .fake_ocr import FakeOcr
    from .makers import scanned_pdf

    monkeypatch.setattr(endorse_stage, "detect_page", lambda image, dpi: {
        m: Mark(m, 0.9) for m in ("stamp", "signature", "qr")})
    scan = scanned_pdf(settings.inbox / "disdik" / "pindaian.pdf", "TIDAK TERBACA", dpi=100)
    import hashlib

    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    fake = FakeOcr({sha: INDONESIAN})
    summary = process.process_inbox(settings, page_executor=fake)
    assert len(fake.jobs) == 1 and summary.ocr_pages == 1 and summary.counts["endorse-documents"] == 1
    evidence = [e for c in summary.gaps.criteria for e in c.evidence]
    assert [e.path for e in evidence] == ["disdik/pindaian.pdf"] and evidence[0].endorsement == "endorsed"
