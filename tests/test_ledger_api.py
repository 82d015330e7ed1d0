"""The Ledger API on SQLite and PostgreSQL (the `ledger_url` fixture): files, documents, extraction, classification,
facts, evidence, reviews and history, on a ledger built by hand (no OCR, no model)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.page import PageRecord
from pipeline.intake.scan import InboxFile, Known
from pipeline.ledger.ledger import Ledger

A, B, C = "a" * 64, "b" * 64, "c" * 64
DAY = dt.datetime(2026, 1, 5, 1, 0)


@pytest.fixture
def ledger(ledger_url):
    ledger = Ledger(ledger_url)
    yield ledger
    ledger.close()


def _scan(ledger: Ledger, found: list[InboxFile], seen: dt.datetime) -> None:
    with ledger.begin() as conn:
        ledger.sync_files(conn, found, seen)


def _new(ledger: Ledger, sha: str, kind: str = "pdf") -> None:
    with ledger.begin() as conn:
        ledger.add_document(conn, sha256=sha, kind=kind, size=3)


def test_files_documents_and_statuses(ledger):
    _new(ledger, A)
    _new(ledger, B)
    _scan(ledger, [InboxFile("dinkes/a.pdf", "dinkes", 3, 7, A), InboxFile("dinkes/salinan.pdf", "dinkes", 3, 8, A),
                   InboxFile("dinsos/b.pdf", "dinsos", 3, 9, B), InboxFile("dinsos/c.pdf", "dinsos", 3, 9, None)], DAY)
    assert ledger.known_files()["dinkes/a.pdf"] == Known(3, 7, None, None, None, A)
    assert ledger.present_paths() == {"dinkes/a.pdf", "dinkes/salinan.pdf", "dinsos/b.pdf", "dinsos/c.pdf"}
    assert ledger.document_statuses() == {A: "pending", B: "pending"}
    ledger.store_extraction(A, [PageRecord(1, "text-layer", "Laporan imunisasi")], "Laporan imunisasi",
                            "laporan imunisasi", "3")
    ledger.reject(B, "quarantined", "empty", "Berkas kosong.", "Empty file.")
    assert ledger.document(A).text == "laporan imunisasi"
    with ledger.begin() as conn:
        assert ledger.pages_of(conn, [A])[A][0]["source"] == "text-layer"
    entries = {e.path: e for e in ledger.entries()}
    assert {p: e.status for p, e in entries.items()} == {
        "dinkes/a.pdf": "processed", "dinkes/salinan.pdf": "duplicate", "dinsos/b.pdf": "quarantined",
        "dinsos/c.pdf": "pending"}
    assert entries["dinsos/b.pdf"].reason_en == "Empty file."
    assert ledger.status_counts() == {"processed": 1, "duplicate": 1, "quarantined": 1, "pending": 1}
    # The original leaves: the copy becomes the original; the one that left is listed only with --all.
    _scan(ledger, [InboxFile("dinkes/salinan.pdf", "dinkes", 3, 8, A)], DAY + dt.timedelta(days=1))
    assert [(e.path, e.status) for e in ledger.entries()] == [("dinkes/salinan.pdf", "processed")]
    assert {e.path: e.status for e in ledger.entries(include_absent=True)}["dinkes/a.pdf"] == "moved"


def test_classification_facts_evidence_and_reviews(ledger):
    _new(ledger, A)
    _scan(ledger, [InboxFile("dinkes/a.pdf", "dinkes", 3, 7, A)], DAY)
    ledger.store_extraction(A, [], "teks", "teks", "3")
    assert ledger.texts_to_classify("m1") == [(A, "teks")]
    ledger.store_classification(A, [dict(criterion="kesehatan", confidence=0.8, assigned=True,
                                         explanation='{"terms": ["imunisasi"]}')], "m1")
    assert ledger.texts_to_classify("m1") == []
    assert ledger.classifications_of(A)["kesehatan"].assigned is True
    assert ledger.documents_without_facts("r1") == [(A, "pdf", "teks")]
    ledger.store_facts(A, evidence_type="hasil", type_reason="laporan", doc_date=dt.date(2025, 3, 1),
                       years="[2025]", own_number_year=None, rules_version="r1")
    assert ledger.documents_without_facts("r1") == []
    assert ledger.facts_of(A).evidence_type == "hasil"
    [row] = ledger.evidence_rows()
    assert (row.path, row.criterion, row.evidence_type, row.doc_date, row.state) == (
        "dinkes/a.pdf", "kesehatan", "hasil", dt.date(2025, 3, 1), "present")
    assert (row.year_list, row.why) == ((2025,), {"terms": ["imunisasi"]})  # JSON columns, parsed
    ledger.set_evidence_override(A, "drop", "Sari", note="bukan bukti")
    assert ledger.evidence_rows() == []
    [review] = ledger.reviews_of(A)
    assert (review.action, review.reviewer, review.after, review.note) == ("evidence", "Sari", '"drop"',
                                                                           "bukan bukti")
    with pytest.raises(ValueError):
        ledger.set_evidence_override(A, "keep", " ")


def test_history_of_a_replaced_file(ledger):
    for sha in (A, C):
        _new(ledger, sha)
        ledger.store_extraction(sha, [], "teks", "teks", "3")
        ledger.store_classification(sha, [dict(criterion="kesehatan", confidence=0.9, assigned=True,
                                               explanation=None)], "m1")
    _scan(ledger, [InboxFile("dinkes/a.pdf", "dinkes", 3, 7, A)], DAY)
    _scan(ledger, [InboxFile("dinkes/a.pdf", "dinkes", 4, 8, C)], DAY + dt.timedelta(days=1))
    listed = [(e.sha256, e.status, e.counts) for e in ledger.entries(include_absent=True)]
    assert listed == [(C, "processed", True), (A, "superseded", False)]
    assert [r.sha256 for r in ledger.evidence_rows()] == [C]
    ledger.set_evidence_override(A, "keep", "Sari")
    assert sorted(r.sha256 for r in ledger.evidence_rows()) == [A, C]
