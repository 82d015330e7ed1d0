"""Evidence type and period rules: the title block decides the type, the document's own structure its period.
Sample documents, traps from real inboxes, Indonesian date forms, the generated labelled set (targets asserted),
the hand labels of the real set, and real regulation first pages from the corpus."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.describe.dates import Dates, parse_dates
from pipeline.describe.evidence import classify_evidence_type, describe, in_period, period_of

from .conftest import ROOT, shared_path
from .describe_set import FAMILIES, generated_documents

TEXTS = ROOT / "samples" / "texts"
TODAY = dt.date(2026, 11, 28)

ISSUE_REPORT = """PEMERINTAH KOTA SUKAMAJU
SEKRETARIAT DAERAH
BAGIAN HUKUM
LAPORAN KEGIATAN
PENYULUHAN HUKUM DAN PEMBERIAN BANTUAN HUKUM
BAGI MASYARAKAT MISKIN KOTA SUKAMAJU
TAHUN ANGGARAN 2022
I. PENDAHULUAN
Berdasarkan Undang-Undang Nomor 16 Tahun 2011 tentang Bantuan Hukum dan Peraturan Daerah Kota Sukamaju
Nomor 3 Tahun 2019 tentang Penyelenggaraan Bantuan Hukum, Bagian Hukum melaksanakan penyuluhan hukum di 27
kelurahan dan memberikan bantuan hukum kepada 41 warga miskin melalui pemberi bantuan hukum terakreditasi.
II. PENUTUP
Demikian laporan ini disampaikan.
Sukamaju, 16 Januari 2023
Kepala Bagian Hukum,
H. MUHAMMAD YUSUF, S.H., M.H."""


@pytest.mark.parametrize("name,expected", [
    ("perwal-bantuan-hukum", "struktur"), ("sk-pendidikan-inklusif", "struktur"),
    ("laporan-imunisasi", "hasil"), ("laporan-bank-sampah", "proses"), ("forum-anak", "proses"),
    ("undangan-rapat-pajak", "proses"), ("laporan-akta-kelahiran", "proses"), ("laporan-ppid", "proses"),
])
def test_types_of_the_sample_documents(name, expected):
    result = classify_evidence_type((TEXTS / f"{name}.txt").read_text())
    assert result.type == expected and result.reason


def test_the_issues_report_is_a_2022_programme_not_a_2023_regulation():
    found = describe(ISSUE_REPORT, today=TODAY)
    assert found.type == "proses" and "LAPORAN KEGIATAN" in found.reason  # the title, not the cited law
    assert found.dates.years == (2022,) and found.dates.date == dt.date(2023, 1, 16)
    assert in_period(found.type, found.dates, 2022)[0]  # signed in January 2023, about 2022
    assert not in_period(found.type, found.dates, 2023)[0]


@pytest.mark.parametrize("text,expected", [
    # A regulation named in the title of a report is its subject, not its kind.
    ("DINAS SOSIAL\nLAPORAN SOSIALISASI\nPERATURAN DAERAH NOMOR 5 TAHUN 2019\nTENTANG PERLINDUNGAN ANAK\n"
     "TAHUN 2022\nKegiatan dilaksanakan di aula dinas sosial bersama kader.", "proses"),
    # Two columns read out of order: the labels of the left column come first.
    ("Menimbang\nMengingat\nBUPATI DONGGALA\nPROVINSI SULAWESI TENGAH\nKEPUTUSAN BUPATI DONGGALA\n"
     "NOMOR 188.45/123/BAG.HUKUM/2025\nTENTANG\nPENETAPAN BUNDA LITERASI\nBUPATI DONGGALA,\n"
     "bahwa berdasarkan ketentuan Pasal 6 ayat (5) Peraturan Perpustakaan Nasional perlu menetapkan", "struktur"),
    # A circular after the addressees of its letter form.
    ("BUPATI WONOSOBO\nWonosobo, 16 Maret 2020\nKepada Yth.\n1. Kepala Perangkat Daerah se-\nKabupaten Wonosobo\n"
     "SURAT EDARAN\nNOMOR 019/12/2020\nTENTANG\nPENINGKATAN KEWASPADAAN\nDalam rangka meningkatkan kewaspadaan "
     "terhadap risiko penularan penyakit.", "struktur"),
    # A cover letter sending a regulation is a letter.
    ("PEMERINTAH KOTA SUKAMAJU\nDINAS KESEHATAN\nNomor : 440/12/Dinkes/2022\nPerihal : Penyampaian Peraturan "
     "Wali Kota Nomor 3 Tahun 2022\nDengan hormat, bersama ini kami sampaikan salinan peraturan.", "proses"),
    # A bold letterhead read twice, then a letter.
    ("PPEEMMEERRIINNTTAAHH KKAABBUUPPAATTEENN WWOONNOOSSOOBBOO\nWonosobo, 17 Desember 2020\nNomor : 556/1116\n"
     "Perihal : Kewajiban Penunjukan Hasil Rapid Test\nBerdasarkan surat Kepala Dinas Provinsi tanggal 16 "
     "Desember 2020 perihal pengawasan wisatawan.", "proses"),
    # A budget is a programme however many figures it holds.
    ("DOKUMEN PELAKSANAAN ANGGARAN\nSATUAN KERJA PERANGKAT DAERAH\nTAHUN ANGGARAN 2019\n"
     + "\n".join(f"5.1.02.{k:02d} Belanja {k * 3} OK 1.500.000 {k * 4_500_000}" for k in range(1, 30)), "proses"),
    ("LAPORAN KINERJA INSTANSI PEMERINTAH ( LKjIP )\nDINAS KOMUNIKASI DAN INFORMATIKA\nTAHUN 2019\nKATA PENGANTAR\n"
     "Laporan ini menyajikan capaian kinerja selama tahun 2019.", "hasil"),
    ("PROFIL KESEHATAN\nKOTA SUKAMAJU\nTAHUN 2022\nKATA PENGANTAR\nProfil ini menyajikan data kesehatan.", "hasil"),
    ("RANCANGAN PERATURAN DAERAH KOTA SUKAMAJU\nNOMOR ... TAHUN 2024\nTENTANG\nPERLINDUNGAN ANAK", "proses"),
    ("PERJANJIAN KERJA SAMA\nANTARA\nPEMERINTAH KOTA SUKAMAJU\nDENGAN\nLEMBAGA BANTUAN HUKUM RAKYAT\nTENTANG\n"
     "PEMBERIAN BANTUAN HUKUM\nPada hari ini Senin tanggal sepuluh bulan Januari tahun dua ribu dua puluh dua, "
     "kami yang bertanda tangan di bawah ini", "proses"),
    ("NOTULEN RAPAT\nKOORDINASI FORUM ANAK\nHari/Tanggal : Kamis, 9 Juni 2022\nJalannya rapat: pimpinan rapat "
     "membuka rapat dan menyampaikan agenda.", "proses"),
    ("INSTRUKSl WALI KOTA SUKAMAJU\nNOMOR 4 TAHUN 2020\nTENTANG\nPERCEPATAN PENANGANAN STUNTING", "struktur"),
])
def test_type_comes_from_the_title_block(text, expected):
    assert classify_evidence_type(text).type == expected


def test_without_a_title_the_layout_decides():
    table = "\n".join(f"Kelurahan {i}\t{100 + i}\t{90 + i}\t{(90 + i) / (100 + i):.1%}" for i in range(30))
    assert classify_evidence_type("Lampiran\n" + table).type == "hasil"
    assert classify_evidence_type("Kegiatan", kind="xlsx").type == "hasil"
    decree = ("a. bahwa perlu menetapkan tim;\nb. bahwa berdasarkan pertimbangan tersebut;\nMengingat : 1. Undang-Undang "
              "Nomor 23 Tahun 2014;\nMEMUTUSKAN:\nMenetapkan : KEPUTUSAN TENTANG TIM")
    assert classify_evidence_type(decree).type == "struktur"


@pytest.mark.parametrize("text,kind,date,years", [
    # Regulations: the "Ditetapkan" date, not the promulgation in the next year.
    ("PERATURAN WALI KOTA SUKAMAJU\nNOMOR 14 TAHUN 2022\nTENTANG\nBANTUAN HUKUM\nDitetapkan di Sukamaju\n"
     "pada tanggal 30 Desember 2022\nWALI KOTA SUKAMAJU,\nDiundangkan di Sukamaju\npada tanggal 3 Januari 2023\n"
     "BERITA DAERAH KOTA SUKAMAJU TAHUN 2023 NOMOR 1", "struktur", dt.date(2022, 12, 30), (2022,)),
    # A title's budget year is not the enactment ("TAHUN ANGGARAN 2023" of a decree set in December 2022).
    ("KEPUTUSAN BUPATI LEMBAH HIJAU\nNOMOR : 188.45/77/HUK/2022\nTENTANG\nTIM PELAKSANA TAHUN ANGGARAN 2023\n"
     "Ditetapkan di Sidomulyo\npada tanggal : 28 Desember 2022", "struktur", dt.date(2022, 12, 28), (2022,)),
    # The day is illegible: the year on the line still says when.
    ("PERATURAN DAERAH KABUPATEN TANJUNG JABUNG TIMUR\nNOMOR 14 TAHUN 2013\nTENTANG\nLEMBAGA LAIN\n"
     "Ditetapkan di Muara Sabak\npada tanggal 2013", "struktur", None, (2013,)),
    # OCR cut the month short; "Tahun" inside a date.
    ("PERATURAN BUPATI BALANGAN\nNOMOR 2 TAHUN 2024\nTENTANG\nRUMAH SWADAYA\nDitetapkan di Paringin\n"
     "pada tanggal 16 Januar 2024", "struktur", dt.date(2024, 1, 16), (2024,)),
    ("KEPUTUSAN BUPATI BOVEN DIGOEL\nNOMOR: 500.14/784/BUP/VI/TAHUN 2024\nTENTANG\nWALIDATA\n"
     "Ditetapkan di Tanah Merah.\nPada tanggal: 5 Juni Tahun 2024", "struktur", dt.date(2024, 6, 5), (2024,)),
    # The head number reads 2020, the decree cites a 2023 law and its annex repeats the number with 2025.
    ("KEPUTUSAN BUPATI DONGGALA\nNOMOR : 188-45/123/2020\nTENTANG\nTIM PENCEGAHAN KECURANGAN\nMengingat : "
     "Undang-Undang Nomor 6 Tahun 2023 tentang Cipta Kerja;\nDitetapkan di Donggala\npada tanggal |2 wevember ere\n"
     "LAMPIRAN\nNOMOR : 188-45/123/2025", "struktur", None, (2025,)),
    # Reports: the period in the title wins over the signature.
    (ISSUE_REPORT, "proses", dt.date(2023, 1, 16), (2022,)),
    ("RENCANA STRATEGIS\nDINAS SOSIAL\nPERIODE 2022-2024\nKATA PENGANTAR\nBandung, Februari 2021", "proses",
     dt.date(2021, 2, 1), (2022, 2023, 2024)),
    ("LAPORAN PELAYANAN AKTA KELAHIRAN\nSEMESTER II TAHUN 2025\nPada semester kedua pelayanan dilaksanakan.",
     "proses", None, (2025,)),
    ("STATISTIK PESERTA DIDIK BERKEBUTUHAN KHUSUS\nTAHUN PELAJARAN 2022/2023\n1 SD Negeri 1 12 10 83,3",
     "hasil", None, (2022, 2023)),
    ("REKAPITULASI KASUS KEKERASAN TERHADAP PEREMPUAN DAN ANAK\nPERIODE JANUARI - DESEMBER 2022\n"
     "Sumber : DP3A, 2023", "hasil", None, (2022,)),
    # A regulation cited in a report's title (and wrapped over two lines) is not its period.
    ("LAPORAN SOSIALISASI PERATURAN DAERAH NOMOR 3 TAHUN\n2019 TENTANG BANTUAN HUKUM\nTAHUN 2022\n"
     "Kegiatan dilaksanakan bersama kader hukum di kelurahan.", "proses", None, (2022,)),
    # No period in the title: what the body speaks about, citations aside.
    ("LAPORAN KEGIATAN DIALOG LINTAS AGAMA\nSesuai Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah,"
     " dialog dilaksanakan pada tanggal 12 Agustus 2022 selama tahun 2022 di empat kecamatan.\n"
     "Sukamaju, 2 September 2022", "proses", dt.date(2022, 9, 2), (2022,)),
    # Letters: their own date; a meeting's day is not where and when the letter was signed.
    ("PEMERINTAH KABUPATEN WONOSOBO\nSEKRETARIAT DAERAH\nWonosobo, 17 Mei 2018\nNomor : 005/223/2018 Kepada Yth.\n"
     "Perihal : Undangan Desk PPID\nDengan hormat, kami mengundang Bapak/Ibu pada:\nSenin, 21 Mei 2018\n"
     "LRA dan DPA OPD tahun 2016 dan 2017", "proses", dt.date(2018, 5, 17), ()),
    ("PERJANJIAN KERJA SAMA\nANTARA\nPEMERINTAH KOTA SUKAMAJU\nDENGAN\nLBH RAKYAT\nTENTANG\nBANTUAN HUKUM\n"
     "Pada hari ini Senin tanggal sepuluh bulan Januari tahun dua ribu dua\npuluh dua, kami yang bertanda tangan",
     "proses", dt.date(2022, 1, 10), ()),
])
def test_dates_and_periods(text, kind, date, years):
    found = describe(text, today=TODAY)
    assert found.type == kind
    assert (found.dates.date, found.dates.years) == (date, years)


def test_indonesian_date_forms():
    parsed = parse_dates("Sukamaju, 14 Maret 2022\nKepala Dinas", today=TODAY)
    assert parsed.date == dt.date(2022, 3, 14)
    assert parse_dates("Tanggal : 21/6/2023", today=TODAY).date == dt.date(2023, 6, 21)
    # An impossible day keeps only its month; a date after next year is a misreading.
    assert parse_dates("Sukamaju, 31 Februari 2022\nKepala", today=TODAY).date == dt.date(2022, 2, 1)
    assert parse_dates("dicetak 5 Mei 2092", today=TODAY).date is None
    # COVID-19's name is not a year anyone reports on.
    assert parse_dates("Hal : Pencegahan Corona Virus Disease 2019\nSukamaju, 9 Maret 2020", today=TODAY).years == ()


def test_period_rules():
    assert in_period("struktur", Dates(None, (), 2019), 2025)[0]  # a regulation in force counts
    assert not in_period("struktur", Dates(None, (), 2026), 2025)[0]
    assert not in_period("struktur", Dates(dt.date(2026, 1, 5), (2026,), 2025), 2025)[0]  # the date wins
    assert in_period("struktur", Dates(None, (), None), 2025)[0]  # unread: assumed in force, said so
    assert in_period("proses", Dates(None, (2025,), None), 2025)[0]
    ok, why = in_period("hasil", Dates(None, (2023,), None), 2025)
    assert not ok and "2023" in why
    assert in_period("proses", Dates(dt.date(2026, 1, 15), (), None), 2025)[0]  # a January report of last year
    assert not in_period("proses", Dates(dt.date(2026, 4, 15), (), None), 2025)[0]
    assert not in_period("proses", Dates(None, (), None), 2025)[0]
    assert period_of("struktur", Dates(dt.date(2022, 12, 30), (2022,), 2023)) == (2022,)
    assert period_of("proses", Dates(dt.date(2023, 1, 16), (2022,), None)) == (2022,)
    assert period_of("hasil", Dates(dt.date(2023, 1, 16), (), None)) == (2023,)


def test_the_generated_set_is_varied_and_deterministic():
    docs = generated_documents()
    assert len(docs) >= 120 and len({d.id for d in docs}) == len(docs)
    assert {d.type for d in docs} == {"struktur", "proses", "hasil"}
    assert len({d.family for d in docs}) >= len(FAMILIES)
    assert [d.text for d in generated_documents()] == [d.text for d in docs]
    assert len({d.text.splitlines()[0] for d in docs}) >= 40  # not one template: many different openings


def test_targets_on_the_generated_set():
    """Type and period of the generated labelled set (benchmarks/describe_accuracy.py reports the real set too)."""
    docs = generated_documents()
    found = [describe(d.text, d.kind) for d in docs]
    type_ok = sum(f.type == d.type for f, d in zip(found, docs)) / len(docs)
    period_ok = sum(f.period == d.period for f, d in zip(found, docs)) / len(docs)
    assert type_ok >= 0.95, type_ok
    assert period_ok >= 0.95, period_ok


def test_real_labels_match_the_real_set():
    """The hand labels name real files by path and content; every label is a type and a period."""
    folder = shared_path("testdata", "real")
    expected = {row["path"]: row["sha256"] for row in map(json.loads, (folder / "expected.jsonl").open())}
    labels = [json.loads(line) for line in (ROOT / "benchmarks" / "describe_labels_real.jsonl").open()]
    assert len(labels) >= 80
    for label in labels:
        assert expected[label["path"]] == label["sha256"], label["path"]
        assert label["type"] in ("struktur", "proses", "hasil") and all(1945 <= y <= 2030 for y in label["period"])
        assert label["note"]


@pytest.mark.corpus
def test_real_regulation_first_pages_are_struktur():
    """National regulations (OCR'd first pages from the corpus) are struktur, with their enactment year."""
    import gzip

    path = shared_path("corpus", "national.jsonl.gz")
    rows = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    dev = [r for r in rows if r["split"] == "dev"][:300]
    types = [classify_evidence_type(r["text"][:6000]).type for r in dev]
    assert types.count("struktur") / len(types) >= 0.95
    own_years = [parse_dates(r["text"][:6000]).own_number_year for r in dev]
    found = [(y, r["year"]) for y, r in zip(own_years, dev) if y]
    assert len(found) >= 0.5 * len(dev)
    assert sum(y == year for y, year in found) / len(found) >= 0.9


# -- a second type for reports that carry programme and outcome (pipeline/describe/also.py, issue 18) ----------

@pytest.mark.parametrize("sample, types", [
    ("laporan-akta-kelahiran", ("proses", "hasil")),  # a service report that states the coverage reached
    ("laporan-imunisasi", ("hasil", "proses")),  # an outcome report that tells what was done
    ("laporan-ppid", ("proses",)),  # counts, no outcome figure: one type
    ("forum-anak", ("proses",)),
    ("perwal-bantuan-hukum", ("struktur",)),  # a regulation's body orders programmes; it is one thing
    ("undangan-rapat-pajak", ("proses",)),
])
def test_reports_carry_a_second_type_only_from_their_own_sentences(sample, types):
    from pathlib import Path

    from pipeline.describe.evidence import describe

    text = (Path(__file__).resolve().parent.parent / "samples" / "texts" / f"{sample}.txt").read_text()
    assert describe(text).types == types


def test_a_percentage_without_an_outcome_word_is_no_outcome():
    from pipeline.describe.also import also_types

    assert also_types("proses", True, "Anggaran terserap 40 persen untuk perjalanan dinas.") == ()
    assert also_types("proses", False, "Cakupan imunisasi mencapai 96 persen.") == ()  # not a report
    assert also_types("proses", True, "Cakupan imunisasi mencapai 96 persen.")[0][0] == "hasil"
