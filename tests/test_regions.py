"""Regions on a hand-built ledger (no OCR, no classifier): each region's gap list counts its own files, a content
filed in two regions counts in each, a reviewer's decision stays in its region, the province summary puts the
regions at risk first, and the typed gap list serialises to the public JSON shape and back."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from pipeline.criteria import IDS
from pipeline.gaps.build import build_gaps
from pipeline.gaps.province import build_province, province_markdown, province_table_rows, region_risk
from pipeline.gaps.records import GapList
from pipeline.gaps.review import record_review
from pipeline.ledger.ledger import Ledger, now
from pipeline.reports.province import write_province_reports

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")

THRESHOLDS = {c: 0.6 for c in IDS}


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(f"sqlite:///{tmp_path / 'l.sqlite3'}")
    yield led
    led.close()


def add(ledger: Ledger, path: str, sha: str, scores: dict[str, float], evidence_type: str = "proses") -> None:
    """A classified, described document filed under `region/opd/...` (the region/opd layout)."""
    region, opd = path.split("/")[:2]
    with ledger.begin() as conn:
        ledger.add_document(conn, sha256=sha, kind="pdf", size=1)
        ledger.upsert_file(conn, path=path, opd=opd, sha256=sha, size=1, mtime_ns=1, seen=now(), region=region)
    ledger.store_classification(sha, [dict(criterion=c, confidence=scores.get(c, 0.01),
                                           assigned=scores.get(c, 0.01) >= 0.6, explanation=None) for c in IDS],
                                "criteria-test")
    ledger.store_facts(sha, evidence_type=evidence_type, type_reason="test", doc_date=None,
                       years=json.dumps([2025]), own_number_year=None, rules_version="test")


def paths(gaps: GapList, criterion: str) -> list[str]:
    return [e.path for e in gaps.criterion(criterion).evidence]


def test_each_region_counts_its_own_files_and_a_shared_content_in_each(ledger):
    add(ledger, "kota-a/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})
    add(ledger, "kota-b/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})  # the same content, both regions
    add(ledger, "kota-b/disdik/sekolah.pdf", "b" * 64, {"pendidikan": 0.9})
    a = build_gaps(ledger, THRESHOLDS, 2025, region="kota-a")
    b = build_gaps(ledger, THRESHOLDS, 2025, region="kota-b")
    assert (a.region, b.region) == ("kota-a", "kota-b")
    assert paths(a, "kesehatan") == ["kota-a/dinkes/imunisasi.pdf"]
    assert paths(b, "kesehatan") == ["kota-b/dinkes/imunisasi.pdf"]
    assert paths(a, "pendidikan") == [] and paths(b, "pendidikan") == ["kota-b/disdik/sekolah.pdf"]
    assert a.summary == {"complete": 0, "partial": 1, "weak": 0, "missing": 9}
    assert b.summary == {"complete": 0, "partial": 2, "weak": 0, "missing": 8}


def test_a_reviewers_decision_stays_in_its_region(ledger):
    add(ledger, "kota-a/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})
    add(ledger, "kota-b/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})
    record_review(ledger, "a" * 64, "reject", "Sari", criterion="kesehatan", note="salah wilayah", region="kota-a")
    assert paths(build_gaps(ledger, THRESHOLDS, 2025, region="kota-a"), "kesehatan") == []
    assert paths(build_gaps(ledger, THRESHOLDS, 2025, region="kota-b"), "kesehatan") == ["kota-b/dinkes/imunisasi.pdf"]
    (review,) = ledger.reviews_of("a" * 64)
    assert review.region == "kota-a"


def test_gap_list_json_is_todays_shape_and_reads_back(ledger):
    add(ledger, "kota-a/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})
    gaps = build_gaps(ledger, THRESHOLDS, 2025, region="kota-a")
    data = gaps.as_json()
    # No region key: a region's list looks the same as a single region's; "opd" is the region's OPD table.
    assert list(data) == ["assessment_year", "summary", "criteria", "opd"]
    c = data["criteria"][[x["id"] for x in data["criteria"]].index("kesehatan")]
    assert list(c) == ["id", "name", "name_en", "group", "status", "evidence", "ask", "types"]
    assert list(c["types"]) == ["struktur", "proses", "hasil"]
    assert list(c["types"]["proses"]) == ["status", "evidence", "ask", "need", "need_en"]
    assert list(c["evidence"][0]) == ["path", "opd", "sha256", "confidence", "type", "types", "type_reason", "date", "years",
                                      "in_period", "period_reason", "reviewed", "why", "endorsement"]
    assert c["evidence"][0]["type"] == "proses" and c["evidence"][0]["years"] == [2025]
    again = GapList.from_json(json.loads(json.dumps(data)), region="kota-a")
    assert again == gaps and again.as_json() == data


def test_province_puts_regions_at_risk_first(ledger):
    # kota-a: every criterion complete (three types); kota-b: kesehatan by one type only; kota-c: nothing.
    for t, sha in (("struktur", "1"), ("proses", "2"), ("hasil", "3")):
        add(ledger, f"kota-a/dinkes/{t}.pdf", sha * 64, {c: 0.9 for c in IDS}, evidence_type=t)
    add(ledger, "kota-b/dinkes/laporan.pdf", "4" * 64, {"kesehatan": 0.9})
    add(ledger, "kota-c/dinkes/undangan.pdf", "5" * 64, {})
    province = build_province(ledger, THRESHOLDS, 2025)
    # Ten critical criteria each in b and c; c has one more cell to fill, so it comes first.
    assert [g.region for g in province.regions] == ["kota-c", "kota-b", "kota-a"]
    assert [region_risk(g).critical for g in province.regions] == [10, 10, 0]
    assert [region_risk(g).uncovered_cells for g in province.regions] == [30, 29, 0]
    assert not region_risk(province.region("kota-a")).at_risk
    data = province.as_json()
    assert list(data) == ["assessment_year", "regions"] and data["assessment_year"] == 2025
    assert data["regions"][2] == {"region": "kota-a", "criteria": [{"id": c, "status": "complete"} for c in IDS]}
    assert data["regions"][1]["criteria"][IDS.index("kesehatan")] == {"id": "kesehatan", "status": "partial"}
    rows = province_table_rows(province)
    assert [(r["wilayah"], r["berisiko"], r["kesehatan"]) for r in rows] == [
        ("kota-c", "ya", "belum ada"), ("kota-b", "ya", "sebagian"), ("kota-a", "tidak", "lengkap")]
    md = province_markdown(province)
    assert md.index("| kota-c |") < md.index("| kota-b |") < md.index("| kota-a |")


def test_province_reports_are_written_with_a_report_per_region(ledger, tmp_path):
    add(ledger, "kota-a/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})
    add(ledger, "Kota B 'x'/dinkes/imunisasi.pdf", "b" * 64, {})  # a folder name that is no file name
    province = build_province(ledger, THRESHOLDS, 2025)
    written = sorted(p.name for p in write_province_reports(ledger, province, tmp_path / "out"))
    assert "bukti-kkp-ham-2025-kota-a.html" in written and "bukti-kkp-ham-2025-provinsi.xlsx" in written
    odd = [n for n in written if n.startswith("bukti-kkp-ham-2025-kota-b-x-")]
    assert len(odd) == 2 and all("'" not in n and " " not in n for n in odd)
    ws = load_workbook(tmp_path / "out" / "bukti-kkp-ham-2025-provinsi.xlsx").active
    table = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[0] for r in table] == ["Kota B 'x'", "kota-a"]  # nothing covered at all ranks first
    html = (tmp_path / "out" / "bukti-kkp-ham-2025-provinsi.html").read_text()
    assert 'href="bukti-kkp-ham-2025-kota-a.html"' in html
    assert "Kota B &#39;x&#39;" in html  # escaped, as every name from the inbox
