"""The title block: what a document says it is about, found as OCR really lays it out."""

from __future__ import annotations

from pipeline.classify.guideline import named_subjects, none_subject
from pipeline.classify.titleblock import title_block

# A scanned Perbup as Tesseract reads it: the left column's labels land inside the two-line title.
INTERLEAVED_PERBUP = """BUPATI BALANGAN
PROVINSI KALIMANTAN SELATAN

PERATURAN BUPATI BALANGAN
NOMOR 2 TAHUN 2024

TENTANG

PERUBAHAN ATAS PERATURAN BUPATI BALANGAN
NOMOR 46 TAHUN 2022 TENTANG PEDOMAN PELAKSANAAN

Menimbang :

Mengingat : 1.

PEMBERIAN BANTUAN RUMAH SWADAYA

DENGAN RAHMAT TUHAN YANG MAHA ESA

BUPATI BALANGAN,

a. bahwa sebagai perwujudan pelaksanaan kewajiban Pemerintah Daerah dalam menjamin pemenuhan hak dasar
Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan
"""

DECREE = """Menimbang

Mengingat

BUPATI DONGGALA
PROVINSI SULAWESI TENGAH

KEPUTUSAN BUPATI DONGGALA
NOMOR 188.45/ 303 /Bag. Hukum/2025

TENTANG

PEMBENTUKAN TIM PENYUSUN NASKAH AKADEMIK
RANCANGAN PERATURAN DAERAH TENTANG
PENYELENGGARAAN KABUPATEN LAYAK ANAK

BUPATI DONGGALA,

bahwa Kabupaten Layak Anak adalah kabupaten dengan sistem pembangunan yang menjamin pemenuhan hak Anak
"""

LETTER = """PEMERINTAH KABUPATEN WONOSOBO
SEKRETARIAT DAERAH
Jalan Soekarno-Hatta Nomor 2-4 Telp. (0286) 321345

Nomor : 005/223/2018 Kepada Yth.
Lampiran : 1 (satu) lembar KEPALA OPD SE-KABUPATEN
Perihal : Undangan Desk PPID &
Penyusunan Website di
WONOSOBO

Dengan hormat, menindaklanjuti surat tentang hasil evaluasi website badan publik ...
"""

REPORT = """PEMERINTAH KOTA SUKAMAJU
DINAS LINGKUNGAN HIDUP
Jl. Merdeka No. 4 Telp. (0261) 1234

LAPORAN PELAKSANAAN PROGRAM BANK SAMPAH
TAHUN ANGGARAN 2025

Pada tahun 2025 Dinas Lingkungan Hidup membina 42 bank sampah sesuai Peraturan Daerah tentang Pengelolaan Sampah.
"""


def test_title_survives_interleaved_side_labels():
    block = title_block(INTERLEAVED_PERBUP)
    assert block.source == "tentang"
    assert block.kind == "PERATURAN BUPATI"
    assert block.subject.endswith("PEDOMAN PELAKSANAAN PEMBERIAN BANTUAN RUMAH SWADAYA")
    assert "Menimbang" not in block.subject and "RAHMAT" not in block.subject
    # An amendment is about what it amends: the subject after the last TENTANG.
    assert block.core == "PEDOMAN PELAKSANAAN PEMBERIAN BANTUAN RUMAH SWADAYA"


def test_decree_title_ends_at_the_issuer_and_core_is_the_innermost_subject():
    block = title_block(DECREE)
    assert block.kind == "KEPUTUSAN"
    assert block.subject.startswith("PEMBENTUKAN TIM PENYUSUN") and "bahwa" not in block.subject
    assert block.core == "PENYELENGGARAAN KABUPATEN LAYAK ANAK"


def test_letter_subject_comes_from_perihal_and_runs_onto_the_next_line():
    block = title_block(LETTER)
    assert block.source == "perihal"
    assert block.subject.startswith("Undangan Desk PPID & Penyusunan Website")


def test_report_heading_skips_the_letterhead():
    block = title_block(REPORT)
    assert block.source == "heading"
    assert block.subject == "LAPORAN PELAKSANAAN PROGRAM BANK SAMPAH TAHUN ANGGARAN 2025"


def test_a_tentang_in_running_text_is_a_citation_not_a_title():
    text = "Laporan singkat.\nKegiatan ini dilaksanakan berdasarkan Undang-Undang Nomor 16 Tahun 2011 tentang Bantuan Hukum.\n"
    assert title_block(text).source != "tentang"


def test_a_tentang_misread_by_ocr_still_opens_the_title():
    for misread in ("TENANG", "TENTAN G", "TFNTANG", "T E N T A N G"):
        block = title_block(f"PERATURAN WALI KOTA SUKAMAJU\nNOMOR 14 TAHUN 2025\n{misread}\n"
                            "PEDOMAN PEMBERIAN BANTUAN HUKUM\nDENGAN RAHMAT TUHAN YANG MAHA ESA")
        assert (block.source, block.subject) == ("tentang", "PEDOMAN PEMBERIAN BANTUAN HUKUM"), misread
    # not after an instrument's kind, nor a word one letter from it in running capitals
    assert title_block("LAPORAN KEGIATAN\nTENANG\nSUASANA KERJA").source != "tentang"
    assert title_block("PERATURAN BUPATI SUKAMAJU\nTENAGA\nKERJA HONORER").source != "tentang"


def test_a_guideline_subject_misread_by_one_letter_is_still_named():
    assert named_subjects("PEDOMAN PEMBERIAN BANTUN HUKUM BAGI MASYARAKAT MISKIN") == {"bantuan_hukum": "bantun hukum"}
    assert named_subjects("KETERBUKAAN INFORMASl PUBLIK") == {"informasi": "keterbukaan informasl"}
    # two edits away, or a short term, is another word
    assert named_subjects("DASAR HUKUM PEMBENTUKAN PANITIA") == {}
    assert named_subjects("PENGUMUMAN PERS0NIL") == {}


def test_guideline_none_subjects():
    assert none_subject("KEDUDUKAN, SUSUNAN ORGANISASI, TUGAS DAN FUNGSI DINAS PEMBERDAYAAN PEREMPUAN")
    assert none_subject("Organisasi dan Tata Kerja Rumah Sakit Umum Daerah")
    assert none_subject("Retribusi Pelayanan Kesehatan")  # "fees/retribution for health services ... none"
    assert none_subject("PERJANJIAN KINERJA TAHUN 2025") is None  # a plan: a kind of document (stack.NONE_KINDS)
    # a regional company's affairs are none, a service it runs for citizens is not
    assert none_subject("Pendirian Perusahaan Umum Daerah Air Minum Tirta Sukamaju") == "perusahaan umum daerah"
    assert none_subject("Pelayanan Air Minum Perusahaan Daerah Air Minum") is None
    assert none_subject("PENYELENGGARAAN KABUPATEN LAYAK ANAK") is None
    assert none_subject("MODAL AWAL UNTUK BADAN PENYELENGGARA JAMINAN SOSIAL KESEHATAN")  # capital, not health
    assert none_subject("Penyertaan Modal Pemerintah Daerah kepada Perusahaan Daerah Air Minum")
    assert none_subject("Bantuan Modal Usaha bagi Perempuan Kepala Keluarga") is None  # a programme


def test_guideline_subjects_for_complaint_services_and_civil_registration():
    # LABELLING.md: informasi covers "information and complaint services for citizens"; kependudukan covers
    # "birth/death/marriage certificates ... pencatatan sipil ... population data". Only the guideline's own
    # words: what else names such a subject ("data kelahiran" on an SPTJM form) is learnt from real documents.
    assert named_subjects("SOP Penanganan Pengaduan Pelayanan Publik") == {"informasi": "penanganan pengaduan"}
    assert named_subjects("Laporan Pengelolaan Pengaduan SP4N-LAPOR 2025")["informasi"] == "pengelolaan pengaduan"
    assert named_subjects("Persyaratan Penerbitan Akta Kelahiran")["kependudukan"] == "akta kelahiran"
    assert named_subjects("SPTJM Kebenaran Data Kelahiran") == {}
    assert named_subjects("Angka Kelahiran Total 2024") == {}  # a demographic rate is not a registration event
    assert named_subjects("Pengaduan Pegawai tentang Tunjangan") == {}  # no complaint service is named


def test_a_chart_read_box_by_box_is_found_by_the_heading_that_names_its_kind():
    text = ("BIDANG\nPENGARUSUTAMAAN\nGENDER DAN\nPEMBERDAYAAN\nPEREMPUAN\nSEKRETARIAT\n\n"
            "LAMPIRAN XVIII PERATURAN GUBERNUR SUMATERA UTARA\nNOMOR\nTANGGAL\nBAGAN STRUKTUR ORGANISASI\n"
            "DINAS PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK\n")
    block = title_block(text)
    assert block.source == "heading" and block.subject.startswith("BAGAN STRUKTUR ORGANISASI")
    assert none_subject(block.subject)
