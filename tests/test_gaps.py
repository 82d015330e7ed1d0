"""Gap statuses on small synthetic ledgers: completeness per criterion (complete / partial / weak / missing) from
the criterion x type cells (covered / weak / missing / out-of-period); what to ask for; duplicates once;
quarantine never; a reviewer's dates win."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from pipeline.criteria import IDS, load_criteria
from pipeline.gaps.build import build_gaps, gaps_csv, gaps_markdown, requests_by_opd
from pipeline.ledger.ledger import Ledger, now

THRESHOLDS = {c: 0.6 for c in IDS}


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(f"sqlite:///{tmp_path / 'l.sqlite3'}")
    yield led
    led.close()


def add(ledger: Ledger, path: str, sha: str, scores: dict[str, float], status: str = "processed",
        duplicate_of: str | None = None, present: bool = True, evidence_type: str = "proses",
        years: tuple[int, ...] = (2025,), own_year: int | None = None, types: tuple[str, ...] | None = None) -> None:
    opd = path.split("/")[0]
    with ledger.begin() as conn:
        if ledger.document(sha) is None:
            ledger.add_document(conn, sha256=sha, kind="pdf", size=1)
        ledger.upsert_file(conn, path=path, opd=opd, sha256=sha, size=1, mtime_ns=1, seen=now())
        from pipeline.ledger.ledger import files
        conn.execute(files.update().where(files.c.path == path).values(duplicate_of=duplicate_of, present=present))
    if status != "processed":
        ledger.reject(sha, status, "x", "alasan", "reason")
        return
    ledger.store_classification(sha, [dict(criterion=c, confidence=scores.get(c, 0.01),
                                           assigned=scores.get(c, 0.01) >= 0.6, explanation=None) for c in IDS],
                                "criteria-test")
    import json
    ledger.store_facts(sha, evidence_type=evidence_type, type_reason="test", doc_date=None,
                       years=json.dumps(list(years)), own_number_year=own_year, rules_version="test",
                       evidence_types=json.dumps(list(types)) if types else None)


def by_id(gaps):
    return {c.id: c for c in gaps.criteria}


def test_statuses_and_who_to_ask(ledger):
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})
    add(ledger, "disdik/ragu.pdf", "b" * 64, {"pendidikan": 0.5})  # within the review band (0.15) below 0.6
    add(ledger, "bapenda/pajak.pdf", "c" * 64, {"pekerjaan": 0.3})  # far below: not even weak
    gaps = build_gaps(ledger, THRESHOLDS, 2025)
    assert gaps.assessment_year == 2025
    c = by_id(gaps)
    assert list(c) == list(IDS)
    # One type of evidence out of three: the assessment scores the other two as zero, so it is only partial.
    assert c["kesehatan"].status == "partial" and c["kesehatan"].ask == ("dinkes",)
    first = c["kesehatan"].evidence[0]
    assert {k: first.as_json()[k] for k in ("path", "opd", "confidence", "type", "years", "in_period")} == {
        "path": "dinkes/imunisasi.pdf", "opd": "dinkes", "confidence": 0.93, "type": "proses", "years": [2025],
        "in_period": True}
    assert c["pendidikan"].status == "weak" and c["pendidikan"].ask == ("disdik",)
    assert c["pekerjaan"].status == "missing" and c["pekerjaan"].evidence == ()
    # Responsible first; Dinas PMD is left out: the sample city has no villages, so its table has no such desk.
    assert c["partisipasi_pemerintahan"].ask == ("bappeda", "bakesbangpol")
    assert c["partisipasi_pemerintahan"].types["hasil"].responsible == "bakesbangpol"
    for key in ("id", "name", "status", "evidence", "ask", "types"):
        assert key in c["informasi"].as_json()
    assert gaps.summary == {"complete": 0, "partial": 1, "weak": 1, "missing": 8}


def test_complete_needs_all_three_types_and_each_gap_says_what_to_ask_for(ledger):
    add(ledger, "bagian-hukum/perbup.pdf", "a" * 64, {"bantuan_hukum": 0.9}, evidence_type="struktur", years=(),
        own_year=2021)
    add(ledger, "bagian-hukum/penyuluhan.pdf", "b" * 64, {"bantuan_hukum": 0.8}, years=(2025,))
    add(ledger, "bagian-hukum/rekap.pdf", "c" * 64, {"bantuan_hukum": 0.7}, evidence_type="hasil", years=(2025,))
    add(ledger, "dinkes/perda.pdf", "d" * 64, {"kesehatan": 0.9}, evidence_type="struktur", years=(), own_year=2020)
    add(ledger, "dinkes/laporan.pdf", "e" * 64, {"kesehatan": 0.9}, years=(2025,))
    gaps = build_gaps(ledger, THRESHOLDS, 2025)
    c = by_id(gaps)
    bh = c["bantuan_hukum"]
    assert bh.status == "complete" and bh.ask == ()
    assert all(cell.status == "covered" and cell.ask == () for cell in bh.types.values())
    kes = c["kesehatan"]
    assert kes.status == "partial"  # a regulation and a programme, but no outcome figures
    assert [t for t, cell in kes.types.items() if cell.ask] == ["hasil"]
    criteria = {x.id: x for x in load_criteria()}
    assert kes.types["hasil"].need == criteria["kesehatan"].need["hasil"].replace("{perkada}", "Perwal")
    assert "imunisasi" in kes.types["hasil"].need and kes.types["hasil"].need_en
    assert gaps.summary == {"complete": 1, "partial": 1, "weak": 0, "missing": 8}
    requests = requests_by_opd(gaps)
    assert [(r.criterion, r.evidence_type) for r in requests["dinkes"]] == [("kesehatan", "hasil")]
    assert "bagian-hukum" not in requests  # nothing left to ask for legal aid
    assert requests["disdik"][0].need == criteria["pendidikan"].need["struktur"].replace("{perkada}", "Perwal")


def test_every_criterion_says_what_each_type_needs(tmp_path):
    for c in load_criteria():
        assert set(c.need) == set(c.need_en) == {"struktur", "proses", "hasil"}
    text = (load_criteria.__wrapped__.__defaults__[0]).read_text()
    broken = tmp_path / "criteria.toml"
    broken.write_text(text.replace('need.hasil = "jumlah warga miskin', 'needs.hasil = "jumlah warga miskin', 1))
    with pytest.raises(ValueError, match="bantuan_hukum needs need.struktur"):
        load_criteria(broken)


def test_duplicates_count_once_and_quarantine_never(ledger):
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.9})
    add(ledger, "bappeda/salinan.pdf", "a" * 64, {"kesehatan": 0.9}, duplicate_of="dinkes/imunisasi.pdf")
    add(ledger, "dinkes/rusak.pdf", "d" * 64, {}, status="quarantined")
    add(ledger, "dinkes/lama.pdf", "e" * 64, {"kesehatan": 0.95}, present=False)  # left the inbox
    c = by_id(build_gaps(ledger, THRESHOLDS, 2025))
    # A file that left the inbox still counts until the coordinator drops it (README: what counts when files
    # leave or change).
    assert [e.path for e in c["kesehatan"].evidence] == ["dinkes/lama.pdf", "dinkes/imunisasi.pdf"]
    ledger.set_evidence_override("e" * 64, "drop", "koordinator")
    c = by_id(build_gaps(ledger, THRESHOLDS, 2025))
    assert [e.path for e in c["kesehatan"].evidence] == ["dinkes/imunisasi.pdf"]


def test_min_documents_from_the_criteria_file(ledger, tmp_path):
    text = (load_criteria.__wrapped__.__defaults__[0]).read_text().replace("min_documents = 1", "min_documents = 2")
    custom = tmp_path / "criteria.toml"
    custom.write_text(text)
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.9})
    c = by_id(build_gaps(ledger, THRESHOLDS, 2025, criteria=load_criteria(custom)))
    assert c["kesehatan"].types["proses"].status == "weak"  # one strong document is not enough for two
    assert c["kesehatan"].status == "weak"


def test_markdown_and_csv_speak_indonesian_and_list_everything(ledger):
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.9})
    gaps = build_gaps(ledger, THRESHOLDS, 2025)
    md = gaps_markdown(gaps)
    assert "tahun penilaian 2025" in md and "0 lengkap, 1 sebagian, 0 lemah, 9 belum ada" in md
    assert "| Hak atas kesehatan | **sebagian** | belum ada | terpenuhi | belum ada |" in md
    assert "### Dinas Kesehatan (Dinkes) — folder dinkes" in md and "- Hak atas kesehatan — hasil (belum ada): cakupan imunisasi" in md
    rows = list(csv.reader(io.StringIO(gaps_csv(gaps))))
    assert rows[0][:3] == ["criterion", "name", "status"] and len(rows) == 1 + len(IDS)
    kes = next(r for r in rows if r[0] == "kesehatan")
    header = rows[0]
    assert kes[header.index("status")] == "partial"
    assert kes[header.index("need_proses")] == ""  # covered: nothing to ask for
    assert kes[header.index("need_hasil")].startswith("cakupan imunisasi")


def test_matrix_by_evidence_type_and_period(ledger):
    add(ledger, "dinkes/perda-kesehatan.pdf", "a" * 64, {"kesehatan": 0.9}, evidence_type="struktur",
        years=(), own_year=2019)  # a regulation still in force: counts whatever its year
    add(ledger, "dinkes/laporan-2023.pdf", "b" * 64, {"kesehatan": 0.9}, evidence_type="proses", years=(2023,))
    add(ledger, "dinkes/data-2025.pdf", "c" * 64, {"kesehatan": 0.5}, evidence_type="hasil", years=(2025,))
    add(ledger, "disdik/perwal-2026.pdf", "d" * 64, {"pendidikan": 0.9}, evidence_type="struktur",
        years=(), own_year=2026)  # enacted after the assessment year
    c = by_id(build_gaps(ledger, THRESHOLDS, 2025))
    kes = c["kesehatan"]
    assert {t: kes.types[t].status for t in ("struktur", "proses", "hasil")} == {
        "struktur": "covered", "proses": "out-of-period", "hasil": "weak"}
    assert kes.status == "partial"  # one type covered, one weak, one out of period
    assert kes.types["proses"].ask == ("dinkes",) and kes.types["struktur"].ask == ()
    late = kes.types["proses"].evidence[0]
    assert late.in_period is False and "2023" in late.period_reason
    pend = c["pendidikan"]
    assert pend.status == "missing" and pend.types["struktur"].status == "out-of-period"
    assert [e.in_period for e in pend.evidence] == [False]  # listed, but it covers nothing


def test_a_reviewers_dates_win_over_the_regulation_number(ledger):
    from pipeline.gaps.review import record_review

    add(ledger, "disdik/perwal.pdf", "d" * 64, {"pendidikan": 0.9}, evidence_type="struktur", years=(),
        own_year=2026)  # read as enacted after the assessment year
    assert by_id(build_gaps(ledger, THRESHOLDS, 2025))["pendidikan"].types["struktur"].status == "out-of-period"
    record_review(ledger, "d" * 64, "dates", "Sari", date="2024-11-02", years=[])
    cell = by_id(build_gaps(ledger, THRESHOLDS, 2025))["pendidikan"].types["struktur"]
    assert cell.status == "covered" and cell.evidence[0].date == dt.date(2024, 11, 2).isoformat()


def test_a_document_of_two_types_counts_in_each(ledger):
    add(ledger, "dindukcapil/akta.pdf", "a" * 64, {"kependudukan": 0.9}, evidence_type="proses", years=(2025,),
        types=("proses", "hasil"))
    kep = by_id(build_gaps(ledger, THRESHOLDS, 2025))["kependudukan"]
    assert {t: kep.types[t].status for t in ("struktur", "proses", "hasil")} == {
        "struktur": "missing", "proses": "covered", "hasil": "covered"}
    assert kep.types["hasil"].ask == () and kep.status == "partial"
    (entry,) = kep.evidence  # listed once, with both its types
    assert entry.types == ("proses", "hasil") and entry.as_json()["types"] == ["proses", "hasil"]


def test_a_reviewer_sets_several_types_and_the_latest_wins(ledger):
    from pipeline.gaps.review import record_review

    add(ledger, "dinkes/laporan.pdf", "a" * 64, {"kesehatan": 0.9}, evidence_type="proses", years=(2025,))
    record_review(ledger, "a" * 64, "type", "Sari", evidence_type=["hasil", "proses"])
    kes = by_id(build_gaps(ledger, THRESHOLDS, 2025))["kesehatan"]
    assert [t for t in ("struktur", "proses", "hasil") if kes.types[t].status == "covered"] == ["proses", "hasil"]
    record_review(ledger, "a" * 64, "type", "Sari", evidence_type="hasil")  # one type, as before issue 18
    kes = by_id(build_gaps(ledger, THRESHOLDS, 2025))["kesehatan"]
    assert [t for t in ("struktur", "proses", "hasil") if kes.types[t].status == "covered"] == ["hasil"]
