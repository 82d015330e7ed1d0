"""Regions in the ledger, on SQLite and PostgreSQL: the same content in two regions is read once and counted in
each; a reviewer's decision belongs to its region."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.intake.scan import InboxFile
from pipeline.ledger.ledger import Ledger

SHA = "a" * 64
OTHER = "b" * 64
SEEN = dt.datetime(2026, 1, 5, 1, 0)


@pytest.fixture
def ledger(ledger_url):
    ledger = Ledger(ledger_url)
    yield ledger
    ledger.close()


def _classified(ledger: Ledger, sha: str, criterion: str = "kesehatan") -> None:
    with ledger.begin() as conn:
        ledger.add_document(conn, sha256=sha, kind="pdf", size=10)
    ledger.store_extraction(sha, [], "teks", "teks", "3")
    ledger.store_classification(sha, [dict(criterion=criterion, confidence=0.9, assigned=True,
                                           explanation=None)], "m1")


def _scan(ledger: Ledger, found: list[InboxFile], seen: dt.datetime = SEEN) -> None:
    with ledger.begin() as conn:
        ledger.sync_files(conn, found, seen)


def _file(path: str, sha: str | None, region: str) -> InboxFile:
    opd = path.split("/")[-2]
    return InboxFile(path, opd, 10, 1, sha, region=region)


def test_same_content_in_two_regions_is_one_document_counted_in_each(ledger):
    _classified(ledger, SHA)
    _scan(ledger, [_file("kendal/dinkes/a.pdf", SHA, "kendal"), _file("demak/dinkes/a.pdf", SHA, "demak"),
                   _file("demak/dinkes/salinan.pdf", SHA, "demak")])
    assert ledger.document_statuses() == {SHA: "processed"}  # read once
    assert ledger.regions() == ["demak", "kendal"]
    assert {(e.region, e.path, e.status) for e in ledger.entries()} == {
        ("demak", "demak/dinkes/a.pdf", "processed"), ("demak", "demak/dinkes/salinan.pdf", "duplicate"),
        ("kendal", "kendal/dinkes/a.pdf", "processed")}
    # A copy in another region is not a duplicate: each region counts it once.
    assert [e.path for e in ledger.entries(region="kendal")] == ["kendal/dinkes/a.pdf"]
    assert [(r.region, r.path) for r in ledger.evidence_rows()] == [
        ("demak", "demak/dinkes/a.pdf"), ("kendal", "kendal/dinkes/a.pdf")]
    assert [(r.region, r.path) for r in ledger.evidence_rows(region="kendal")] == [("kendal", "kendal/dinkes/a.pdf")]
    assert ledger.evidence_rows(region="batang") == []
    assert ledger.status_counts() == {"processed": 2, "duplicate": 1}
    assert ledger.status_counts(region="kendal") == {"processed": 1}


def test_a_reviewers_decision_belongs_to_its_region(ledger):
    _classified(ledger, SHA)
    _scan(ledger, [_file("kendal/dinkes/a.pdf", SHA, "kendal"), _file("demak/dinkes/a.pdf", SHA, "demak")])
    ledger.set_evidence_override(SHA, "drop", "Sari", region="demak")
    assert [r.region for r in ledger.evidence_rows()] == ["kendal"]
    assert ledger.evidence_state(region="demak")[SHA].counts is False
    assert ledger.evidence_state(region="kendal")[SHA].counts is True
    assert ledger.evidence_state()[SHA].region == "kendal"  # all regions: where it counts
    assert {e.region: e.override for e in ledger.entries()} == {"demak": "drop", "kendal": None}
    ledger.add_review(SHA, "note", "Budi", note="cek", region="kendal")
    assert [(r.region, r.action) for r in ledger.reviews_of()] == [("demak", "evidence"), ("kendal", "note")]
    assert [r.action for r in ledger.reviews_of(SHA, region="kendal")] == ["note"]
    assert ledger.reviews_of(region="batang") == []


def test_single_region_inbox_is_region_empty(ledger):
    _classified(ledger, SHA)
    _scan(ledger, [InboxFile("dinkes/a.pdf", "dinkes", 10, 1, SHA)])
    assert ledger.regions() == [""]
    assert [(e.region, e.status) for e in ledger.entries(region="")] == [("", "processed")]
    assert [r.region for r in ledger.evidence_rows()] == [""]
    ledger.add_review(SHA, "note", "Sari", note="ok")
    assert [r.region for r in ledger.reviews_of(SHA)] == [""]


def test_history_keeps_the_region_of_replaced_content(ledger):
    _classified(ledger, SHA)
    _classified(ledger, OTHER)
    _scan(ledger, [_file("kendal/dinkes/a.pdf", SHA, "kendal")])
    _scan(ledger, [_file("kendal/dinkes/a.pdf", OTHER, "kendal")], SEEN + dt.timedelta(days=1))
    old = [e for e in ledger.entries(include_absent=True, region="kendal") if e.status == "superseded"]
    assert [(e.region, e.sha256) for e in old] == [("kendal", SHA)]
    assert ledger.entries(include_absent=True, region="demak") == []
    assert [e.sha256 for e in ledger.entries(include_absent=True, path="kendal/dinkes/a.pdf")] == [OTHER, SHA]
    # A region whose files all left the inbox is no longer listed.
    _scan(ledger, [_file("demak/dinkes/b.pdf", SHA, "demak")], SEEN + dt.timedelta(days=2))
    assert ledger.regions() == ["demak"]
