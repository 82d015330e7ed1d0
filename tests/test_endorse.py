"""The endorsement stage: the detector on drawn pages (OpenCV, real), the stage with a fake detector (no pixels
judged), and one pass end to end with the real detector on a born-digital PDF (no OCR)."""

from __future__ import annotations

import json

import pytest

from pipeline.endorse import stage as endorse_stage
from pipeline.endorse.detect import Mark, detect_page
from pipeline.endorse.store import Endorsement, EndorsementStore
from pipeline.gaps.build import gaps_markdown
from pipeline.ledger.ledger import Ledger
from pipeline.process import anything_new, process_inbox

from .conftest import INDONESIAN
from .endorse_pages import TTE_URL, draw_signature, endorsed_page, endorsed_pdf, text_page
from .makers import digital_pdf

BODY = INDONESIAN * 2


# -- the detector ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("marks, expected", [
    ({}, set()),
    ({"stamp": True}, {"stamp"}),
    ({"signature": True}, {"signature"}),
    ({"qr": TTE_URL}, {"qr"}),
    ({"stamp": True, "signature": True}, {"stamp", "signature"}),
    ({"stamp": True, "signature": True, "qr": TTE_URL}, {"stamp", "signature", "qr"}),
])
def test_the_detector_finds_exactly_the_marks_drawn(marks, expected):
    found = detect_page(endorsed_page(BODY, **marks), 150)
    assert {m for m, mark in found.items() if mark.present} == expected


def test_the_qr_codes_text_is_kept():
    found = detect_page(endorsed_page(BODY, qr=TTE_URL), 150)
    assert found["qr"].text == TTE_URL and found["qr"].confidence > 0.9


def test_a_blue_ballpoint_signature_is_a_signature_not_a_stamp():
    page = text_page(BODY)
    draw_signature(page, (700, 1300), colour=(150, 40, 20))
    found = detect_page(page, 150)
    assert found["signature"].present and not found["stamp"].present


# -- the stage, with a fake detector -----------------------------------------------------------------------------

class FakeDetector:
    """Says every page carries `marks`; counts the pages it was shown."""

    def __init__(self, *marks: str, qr_text: str | None = None) -> None:
        self.marks, self.qr_text, self.pages = marks, qr_text, 0

    def __call__(self, image, dpi):
        self.pages += 1
        assert image.ndim == 3 and dpi > 0  # a colour page at its resolution
        return {m: Mark(m, 0.9 if m in self.marks else 0.1, text=self.qr_text if m == "qr" else None)
                for m in ("stamp", "signature", "qr")}


@pytest.fixture
def fake_detector(monkeypatch):
    def use(*marks: str, qr_text: str | None = None) -> FakeDetector:
        fake = FakeDetector(*marks, qr_text=qr_text)
        monkeypatch.setattr(endorse_stage, "detect_page", fake)
        return fake
    return use


def _endorsement(settings, path: str) -> dict:
    ledger = Ledger(settings.database_url)
    try:
        sha = next(e.sha256 for e in ledger.entries() if e.path == path)
        return EndorsementStore(ledger).of([sha])[sha].as_json()
    finally:
        ledger.close()


def _gap_entries(summary) -> dict[str, dict]:
    return {e["path"]: e for c in summary.gaps.as_json()["criteria"] for e in c["evidence"]}


@pytest.mark.usefixtures("keyword_classifier")
def test_evidence_is_looked_at_once_and_other_documents_never(settings, fake_detector):
    fake = fake_detector()  # no marks anywhere
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)  # evidence (pendidikan)
    digital_pdf(settings.inbox / "umum" / "catatan.pdf", "Catatan rapat biasa tanpa pokok apa pun.")
    first = process_inbox(settings)
    assert first.counts["endorse-documents"] == 1 and fake.pages == 1
    assert _endorsement(settings, "disdik/laporan.pdf")["status"] == "unendorsed"
    assert _endorsement(settings, "umum/catatan.pdf")["status"] == "not-checked"
    # flagged in the gap list, still listed as evidence
    entry = _gap_entries(first)["disdik/laporan.pdf"]
    assert entry["endorsement"] == "unendorsed"
    assert "belum disahkan" in gaps_markdown(first.gaps)
    second = process_inbox(settings)
    assert second.counts["endorse-documents"] == 0 and fake.pages == 1
    assert not anything_new(settings)


@pytest.mark.usefixtures("keyword_classifier")
def test_a_new_detector_version_is_pending_work_on_a_quiet_night(settings, fake_detector, monkeypatch):
    fake_detector("stamp", "signature")
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    process_inbox(settings)
    assert not anything_new(settings)
    monkeypatch.setattr(endorse_stage, "DETECTOR_VERSION", "test-next")
    assert anything_new(settings)  # the stage's pending, from the stage list: not skipped on a quiet night
    assert _gap_entries(process_inbox(settings))["disdik/laporan.pdf"]["endorsement"] == "endorsed"


@pytest.mark.usefixtures("keyword_classifier")
def test_a_reviewer_overrides_what_the_marks_say(settings, fake_detector):
    fake_detector("stamp")  # a stamp without a signature: incomplete
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    assert _gap_entries(process_inbox(settings))["disdik/laporan.pdf"]["endorsement"] == "partial"
    ledger = Ledger(settings.database_url)
    try:
        sha = next(e.sha256 for e in ledger.entries())
        store = EndorsementStore(ledger)
        store.override(sha, Endorsement.ENDORSED, "Ani (Bagian Hukum)", note="tanda tangan basah di arsip")
        decided = store.of([sha])[sha]
        assert decided.status == "endorsed" and decided.detected == "partial" and decided.reviewed_by
        with pytest.raises(ValueError):
            store.override(sha, Endorsement.UNENDORSED, " ")
        store.override(sha, None, "Ani (Bagian Hukum)")  # back to what the marks say
        assert store.of([sha])[sha].status == "partial"
    finally:
        ledger.close()


@pytest.mark.usefixtures("keyword_classifier")
def test_bukti_show_prints_the_marks_and_the_qr_text(cli_env, fake_detector, capsys):
    from flows.cli import main

    fake_detector("qr", qr_text=TTE_URL)
    digital_pdf(cli_env.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    process_inbox(cli_env)
    assert main(["show", "disdik/laporan.pdf"]) == 0
    out = capsys.readouterr().out
    assert "endorsement: disahkan" in out and TTE_URL in out and "page 1: qr 0.90" in out
    assert main(["show", "disdik/laporan.pdf", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["endorsement"]["status"] == "endorsed" and data["endorsement"]["qr_text"] == TTE_URL


# -- end to end, the real detector ---------------------------------------------------------------------------

@pytest.mark.usefixtures("keyword_classifier")
def test_a_pass_finds_the_stamp_signature_and_tte_code_on_a_pdf(settings):
    endorsed_pdf(settings.inbox / "disdik" / "bertanda.pdf", INDONESIAN, stamp=True, signature=True, qr=TTE_URL)
    endorsed_pdf(settings.inbox / "disdik" / "polos.pdf", INDONESIAN + " Salinan tanpa tanda tangan.")
    summary = process_inbox(settings)
    assert summary.counts["endorse-documents"] == 2
    signed = _endorsement(settings, "disdik/bertanda.pdf")
    assert signed["status"] == "endorsed" and signed["qr_text"] == TTE_URL
    assert set(signed["marks"]) == {"stamp", "signature", "qr"}
    assert all(m["confidence"] >= 0.5 for m in signed["marks"].values())
    assert _endorsement(settings, "disdik/polos.pdf")["status"] == "unendorsed"
    entries = _gap_entries(summary)
    assert entries["disdik/bertanda.pdf"]["endorsement"] == "endorsed"
    assert entries["disdik/polos.pdf"]["endorsement"] == "unendorsed"  # flagged, and still evidence


# -- the review page ---------------------------------------------------------------------------------------------

@pytest.mark.usefixtures("keyword_classifier")
def test_a_reviewer_overrides_on_the_review_page(settings, fake_detector):
    import re

    from fastapi.testclient import TestClient

    from review.app import create_app

    fake_detector()  # nothing found
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    process_inbox(settings)
    client = TestClient(create_app(settings), base_url="http://127.0.0.1:8765")
    sha = next(e.sha256 for e in Ledger(settings.database_url).entries())
    page = client.get(f"/dokumen/{sha}/pengesahan")
    assert page.status_code == 200 and "belum disahkan" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.post(f"/dokumen/{sha}/pengesahan", data={"csrf": "wrong", "reviewer": "Ani",
                                                          "choice": "endorsed"}).status_code == 403
    done = client.post(f"/dokumen/{sha}/pengesahan", data={"csrf": csrf, "reviewer": "Ani", "choice": "endorsed"},
                       follow_redirects=True)
    assert done.status_code == 200 and "Ani" in done.text
    assert re.search(r'id="endorsement-status"><b>disahkan', done.text)
    assert _gap_entries(process_inbox(settings))["disdik/laporan.pdf"]["endorsement"] == "endorsed"
