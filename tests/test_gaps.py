"""Gap statuses on small synthetic ledgers: covered, weak, missing; duplicates once; quarantine never."""

from __future__ import annotations

import pytest

from pipeline.criteria import IDS, load_criteria
from pipeline.gaps import build_gaps, gaps_csv, gaps_markdown
from pipeline.ledger import Ledger, now

THRESHOLDS = {c: 0.6 for c in IDS}


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(f"sqlite:///{tmp_path / 'l.sqlite3'}")
    yield led
    led.close()


def add(ledger: Ledger, path: str, sha: str, scores: dict[str, float], status: str = "processed",
        duplicate_of: str | None = None, present: bool = True, evidence_type: str = "proses",
        years: tuple[int, ...] = (2025,), own_year: int | None = None) -> None:
    opd = path.split("/")[0]
    with ledger.begin() as conn:
        if ledger.document(sha) is None:
            ledger.add_document(conn, sha256=sha, kind="pdf", size=1)
        ledger.upsert_file(conn, path=path, opd=opd, sha256=sha, size=1, mtime_ns=1, seen=now())
        from pipeline.ledger import files
        conn.execute(files.update().where(files.c.path == path).values(duplicate_of=duplicate_of, present=present))
    if status != "processed":
        ledger.reject(sha, status, "x", "alasan", "reason")
        return
    ledger.store_classification(sha, [dict(criterion=c, confidence=scores.get(c, 0.01),
                                           assigned=scores.get(c, 0.01) >= 0.6, explanation=None) for c in IDS],
                                "criteria-test")
    import json
    ledger.store_facts(sha, evidence_type=evidence_type, type_reason="test", doc_date=None,
                       years=json.dumps(list(years)), own_number_year=own_year, rules_version="test")


def by_id(gaps):
    return {c["id"]: c for c in gaps["criteria"]}


def test_statuses_and_who_to_ask(ledger):
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.93})
    add(ledger, "disdik/ragu.pdf", "b" * 64, {"pendidikan": 0.5})  # within the review band (0.15) below 0.6
    add(ledger, "bapenda/pajak.pdf", "c" * 64, {"pekerjaan": 0.3})  # far below: not even weak
    gaps = build_gaps(ledger, THRESHOLDS, 2025)
    assert gaps["assessment_year"] == 2025
    c = by_id(gaps)
    assert list(c) == list(IDS)
    assert c["kesehatan"]["status"] == "covered" and c["kesehatan"]["ask"] == []
    first = c["kesehatan"]["evidence"][0]
    assert {k: first[k] for k in ("path", "opd", "confidence", "type", "years", "in_period")} == {
        "path": "dinkes/imunisasi.pdf", "opd": "dinkes", "confidence": 0.93, "type": "proses", "years": [2025],
        "in_period": True}
    assert c["pendidikan"]["status"] == "weak" and c["pendidikan"]["ask"] == ["Dinas Pendidikan"]
    assert c["pekerjaan"]["status"] == "missing" and c["pekerjaan"]["evidence"] == []
    criteria = {x.id: x for x in load_criteria()}
    assert c["partisipasi_pemerintahan"]["ask"] == list(criteria["partisipasi_pemerintahan"].opd)
    for key in ("id", "name", "status", "evidence", "ask"):
        assert key in c["informasi"]


def test_duplicates_count_once_and_quarantine_never(ledger):
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.9})
    add(ledger, "bappeda/salinan.pdf", "a" * 64, {"kesehatan": 0.9}, duplicate_of="dinkes/imunisasi.pdf")
    add(ledger, "dinkes/rusak.pdf", "d" * 64, {}, status="quarantined")
    add(ledger, "dinkes/lama.pdf", "e" * 64, {"kesehatan": 0.95}, present=False)  # left the inbox
    c = by_id(build_gaps(ledger, THRESHOLDS, 2025))
    assert [e["path"] for e in c["kesehatan"]["evidence"]] == ["dinkes/imunisasi.pdf"]


def test_min_documents_from_the_criteria_file(ledger, tmp_path):
    text = (load_criteria.__wrapped__.__defaults__[0]).read_text().replace("min_documents = 1", "min_documents = 2")
    custom = tmp_path / "criteria.toml"
    custom.write_text(text)
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.9})
    c = by_id(build_gaps(ledger, THRESHOLDS, 2025, criteria=load_criteria(custom)))
    assert c["kesehatan"]["status"] == "weak"  # one strong document is not enough when two are required


def test_markdown_and_csv_speak_indonesian_and_list_everything(ledger):
    add(ledger, "dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.9})
    gaps = build_gaps(ledger, THRESHOLDS, 2025)
    md = gaps_markdown(gaps)
    assert "tahun penilaian 2025" in md and "terpenuhi" in md and "belum ada" in md
    rows = gaps_csv(gaps).strip().splitlines()
    assert rows[0].startswith("criterion,name,status") and len(rows) == 1 + len(IDS)


def test_matrix_by_evidence_type_and_period(ledger):
    add(ledger, "dinkes/perda-kesehatan.pdf", "a" * 64, {"kesehatan": 0.9}, evidence_type="struktur",
        years=(), own_year=2019)  # a regulation still in force: counts whatever its year
    add(ledger, "dinkes/laporan-2023.pdf", "b" * 64, {"kesehatan": 0.9}, evidence_type="proses", years=(2023,))
    add(ledger, "dinkes/data-2025.pdf", "c" * 64, {"kesehatan": 0.5}, evidence_type="hasil", years=(2025,))
    add(ledger, "disdik/perwal-2026.pdf", "d" * 64, {"pendidikan": 0.9}, evidence_type="struktur",
        years=(), own_year=2026)  # enacted after the assessment year
    c = by_id(build_gaps(ledger, THRESHOLDS, 2025))
    kes = c["kesehatan"]
    assert {t: kes["types"][t]["status"] for t in ("struktur", "proses", "hasil")} == {
        "struktur": "covered", "proses": "out-of-period", "hasil": "weak"}
    assert kes["status"] == "covered"  # at least one type covered
    assert kes["types"]["proses"]["ask"] == ["Dinas Kesehatan"] and kes["types"]["struktur"]["ask"] == []
    late = kes["types"]["proses"]["evidence"][0]
    assert late["in_period"] is False and "2023" in late["period_reason"]
    pend = c["pendidikan"]
    assert pend["status"] == "missing" and pend["types"]["struktur"]["status"] == "out-of-period"
    assert [e["in_period"] for e in pend["evidence"]] == [False]  # listed, but it covers nothing
