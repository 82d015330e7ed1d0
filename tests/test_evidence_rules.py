"""Evidence type and date rules: generated samples, Indonesian date forms, and real first pages from the corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import Dates, parse_dates
from pipeline.evidence import classify_evidence_type, in_period

from .conftest import ROOT, shared_path

TEXTS = ROOT / "samples" / "texts"


@pytest.mark.parametrize("name,expected", [
    ("perwal-bantuan-hukum", "struktur"), ("sk-pendidikan-inklusif", "struktur"),
    ("laporan-imunisasi", "hasil"), ("laporan-bank-sampah", "proses"), ("forum-anak", "proses"),
    ("undangan-rapat-pajak", "proses"),
])
def test_types_of_the_sample_documents(name, expected):
    result = classify_evidence_type((TEXTS / f"{name}.txt").read_text())
    assert result.type == expected and result.reason


def test_a_table_of_figures_is_hasil():
    table = "REKAP\\n" + "\n".join(f"Kelurahan {i}\t{100 + i}\t{90 + i}\t{(90 + i) / (100 + i):.1%}" for i in range(30))
    assert classify_evidence_type("Lampiran\n" + table.replace("REKAP\\n", "")).type == "hasil"
    assert classify_evidence_type("Kegiatan", kind="xlsx").type == "hasil"


@pytest.mark.parametrize("text,date,years", [
    ("Sukamaju, 14 Maret 2022\nKepala Dinas", dt.date(2022, 3, 14), ()),
    ("Ditetapkan di Sukamaju pada tanggal 21/6/2023", dt.date(2023, 6, 21), ()),
    ("LAPORAN KEGIATAN TAHUN ANGGARAN 2022", None, (2022,)),
    ("Rencana Strategis Periode 2022-2024", None, (2022, 2023, 2024)),
    ("Laporan Semester II Tahun 2025", None, (2025,)),
    ("sesuai Undang-Undang Nomor 16 Tahun 2011 tentang Bantuan Hukum", None, ()),
    ("tanggal 31 Februari 2022 dan 5 Mei 2024", dt.date(2024, 5, 5), ()),  # an impossible date is ignored
])
def test_indonesian_dates(text, date, years):
    parsed = parse_dates(text, today=dt.date(2026, 11, 28))
    assert parsed.date == date and parsed.years == years


def test_period_rules():
    assert in_period("struktur", Dates(None, (), 2019), 2025)[0]  # a regulation in force counts
    assert not in_period("struktur", Dates(None, (), 2026), 2025)[0]
    assert in_period("proses", Dates(None, (2025,), None), 2025)[0]
    ok, why = in_period("hasil", Dates(None, (2023,), None), 2025)
    assert not ok and "2023" in why
    assert in_period("proses", Dates(dt.date(2026, 1, 15), (), None), 2025)[0]  # a January report of last year
    assert not in_period("proses", Dates(None, (), None), 2025)[0]


@pytest.mark.corpus
def test_real_regulation_first_pages_are_struktur():
    """National regulations (OCR'd first pages from the corpus) are struktur, with their enactment year."""
    import gzip
    import json

    path = shared_path("corpus", "national.jsonl.gz")
    rows = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    dev = [r for r in rows if r["split"] == "dev"][:300]
    types = [classify_evidence_type(r["text"][:6000]).type for r in dev]
    assert types.count("struktur") / len(types) >= 0.95
    own_years = [parse_dates(r["text"][:6000]).own_number_year for r in dev]
    found = [(y, r["year"]) for y, r in zip(own_years, dev) if y]
    assert len(found) >= 0.5 * len(dev)
    assert sum(y == year for y, year in found) / len(found) >= 0.9
