"""The ledger on PostgreSQL: a whole pass, a second pass that reads nothing again, the gap list."""

from __future__ import annotations

import pytest

import dataclasses

from pipeline.ledger.ledger import Ledger
from pipeline.process import process_inbox

from .conftest import ROOT
from .makers import digital_pdf

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")


def test_a_pass_on_postgresql(settings, pg_url):
    settings = dataclasses.replace(settings, db_url=pg_url, assessment_year=2025)
    digital_pdf(settings.inbox / "dinkes" / "imunisasi.pdf",
                (ROOT / "samples" / "texts" / "laporan-imunisasi.txt").read_text())
    (settings.inbox / "dinkes" / "kosong.pdf").write_bytes(b"")
    (settings.inbox / "dinkes" / "salinan.pdf").write_bytes((settings.inbox / "dinkes" / "imunisasi.pdf").read_bytes())
    first = process_inbox(settings)
    assert first.new_documents == 2 and first.statuses == {"duplicate": 1, "processed": 1, "quarantined": 1}
    assert [e.path for e in first.gaps.criterion("kesehatan").evidence] == ["dinkes/imunisasi.pdf"]
    second = process_inbox(settings)
    assert second.new_documents == 0 and second.classified == 0
    ledger = Ledger(pg_url)
    try:
        assert {e.path: e.status for e in ledger.entries()}["dinkes/kosong.pdf"] == "quarantined"
    finally:
        ledger.close()
