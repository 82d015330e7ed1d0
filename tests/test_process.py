"""The core pass without Prefect: ledger, incremental behaviour, duplicates, quarantine."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from pipeline.training import synth
from pipeline.ledger.ledger import Ledger
from pipeline.process import process_inbox

from .conftest import INDONESIAN
from .makers import digital_pdf, encrypted_pdf, png_header_only

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")


def _entries(settings):
    ledger = Ledger(settings.database_url)
    try:
        return {e.path: e for e in ledger.entries(include_absent=True)}
    finally:
        ledger.close()


def _tree_state(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_second_pass_extracts_nothing(settings):
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    first = process_inbox(settings)
    assert first.new_documents == 1 and first.text_layer_pages == 1
    second = process_inbox(settings)
    assert second.new_documents == 0 and second.text_layer_pages == 0 and second.ocr_pages == 0
    assert second.statuses == {"processed": 1}


def test_same_content_under_another_name_is_a_duplicate(settings):
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    process_inbox(settings)
    (settings.inbox / "bappeda").mkdir()
    (settings.inbox / "bappeda" / "salinan.pdf").write_bytes((settings.inbox / "disdik" / "laporan.pdf").read_bytes())
    summary = process_inbox(settings)
    assert summary.new_documents == 0
    entries = _entries(settings)
    assert entries["bappeda/salinan.pdf"].status == "duplicate"
    assert entries["bappeda/salinan.pdf"].duplicate_of == "disdik/laporan.pdf"
    assert entries["disdik/laporan.pdf"].status == "processed"


def test_moved_file_is_not_extracted_again_and_is_not_a_duplicate(settings):
    src = digital_pdf(settings.inbox / "unsorted.pdf", INDONESIAN)
    process_inbox(settings)
    (settings.inbox / "disdik").mkdir()
    src.rename(settings.inbox / "disdik" / "laporan-final.pdf")
    summary = process_inbox(settings)
    assert summary.new_documents == 0
    entries = _entries(settings)
    assert entries["disdik/laporan-final.pdf"].status == "processed"
    assert entries["disdik/laporan-final.pdf"].opd == "disdik"
    assert not entries["unsorted.pdf"].present


def test_original_is_archived_and_inbox_untouched(settings):
    f = digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    before = _tree_state(settings.inbox)
    process_inbox(settings)
    assert _tree_state(settings.inbox) == before
    sha = hashlib.sha256(f.read_bytes()).hexdigest()
    assert (settings.originals_dir / sha[:2] / sha).read_bytes() == f.read_bytes()


def _write_bad_files(inbox: Path) -> dict[str, tuple[str, str]]:
    """name -> (expected status, expected reason code)"""
    bad = inbox / "bad"
    bad.mkdir()
    (bad / "kosong.pdf").write_bytes(b"")
    good = digital_pdf(bad / "utuh.pdf", INDONESIAN).read_bytes()
    (bad / "terpotong.pdf").write_bytes(good[: len(good) // 3])
    (bad / "rusak.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    encrypted_pdf(bad / "terkunci.pdf", "Laporan rahasia", user_password="rahasia")
    (bad / "notulen.pdf").write_text("Notulen rapat koordinasi KKP HAM, bukan PDF.\n")
    png_header_only(bad / "raksasa.png", 40000, 40000)
    (bad / "galat.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    photo = io.BytesIO()
    synth.save_jpeg(synth.render_page(synth.wrap(INDONESIAN), dpi=100), photo)
    (bad / "foto-terpotong.jpg").write_bytes(photo.getvalue()[:4000])  # header fine, pixels missing
    (bad / "kiriman.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (bad / "lama.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    return {
        "bad/kosong.pdf": ("quarantined", "empty"),
        "bad/terpotong.pdf": ("quarantined", "damaged-pdf"),
        "bad/rusak.pdf": ("quarantined", "damaged-pdf"),
        "bad/terkunci.pdf": ("quarantined", "encrypted-pdf"),
        "bad/notulen.pdf": ("quarantined", "type-mismatch"),
        "bad/raksasa.png": ("quarantined", "image-too-large"),
        "bad/galat.jpg": ("quarantined", "damaged-image"),
        "bad/foto-terpotong.jpg": ("quarantined", "no-readable-page"),
        "bad/kiriman.zip": ("unsupported", "unsupported"),
        "bad/lama.doc": ("unsupported", "unsupported"),
        "bad/utuh.pdf": ("processed", None),
    }


def test_every_bad_file_gets_its_reason_and_the_run_goes_on(settings):
    expected = _write_bad_files(settings.inbox)
    summary = process_inbox(settings)
    assert summary.files == len(expected)
    ledger = Ledger(settings.database_url)
    for path, entry in _entries(settings).items():
        status, code = expected[path]
        assert entry.status == status, path
        row = ledger.document(entry.sha256)
        assert row.reason_code == code, path
        if code:  # a human-readable reason in both languages
            assert row.reason_id and row.reason_en and row.reason_id != row.reason_en


def test_encrypted_pdf_that_opens_without_password_is_processed(settings):
    encrypted_pdf(settings.inbox / "dinkes" / "dibatasi.pdf",
                  "Laporan pelayanan kesehatan puskesmas tahun 2025 untuk seluruh warga kota", user_password="")
    process_inbox(settings)
    (entry,) = _entries(settings).values()
    assert entry.status == "processed"
    assert entry.pages == [{"number": 1, "source": "text-layer", "chars": entry.pages[0]["chars"],
                            "ocr_confidence": None}]


def test_docx_xlsx_and_txt_are_read_without_ocr(settings):
    import openpyxl
    from .docx_maker import write_docx

    d = settings.inbox / "dp3a"
    d.mkdir()
    write_docx(d / "laporan.docx", ["Laporan Forum Anak 2025", "Forum anak mengikuti musrenbang."],
               table=[["Kecamatan", "Anggota"], ["Utara", "12"]])
    wb = openpyxl.Workbook()
    wb.active.title = "Imunisasi"
    wb.active.append(["Puskesmas", "Sasaran", "Lengkap"])
    wb.active.append(["Kraton", 655, 618])
    wb.save(d / "data.xlsx")
    (d / "catatan.txt").write_text("Catatan rapat forum anak.", encoding="utf-8")
    process_inbox(settings)
    ledger = Ledger(settings.database_url)
    texts = {p: ledger.document(e.sha256).text for p, e in _entries(settings).items()}
    assert "Forum anak mengikuti musrenbang." in texts["dp3a/laporan.docx"]
    assert "Kecamatan\tAnggota" in texts["dp3a/laporan.docx"]
    assert "Kraton\t655\t618" in texts["dp3a/data.xlsx"]
    assert texts["dp3a/catatan.txt"] == "Catatan rapat forum anak."


@pytest.mark.parametrize("name", ["Laporan Kegiatan (final) — revisi 2 é.pdf", "spasi  ganda.pdf"])
def test_unusual_names_are_kept_exactly(settings, name):
    digital_pdf(settings.inbox / "dinkes" / name, INDONESIAN)
    process_inbox(settings)
    assert f"dinkes/{name}" in _entries(settings)


def test_anything_new_tells_a_quiet_night_from_one_with_work(settings, keyword_classifier):
    from pipeline.process import anything_new

    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    assert anything_new(settings)  # a file the ledger has not seen
    process_inbox(settings)
    assert not anything_new(settings)
    keyword_classifier.version = "keywords-next"  # a new model: everything is to be classified again
    assert anything_new(settings)
    process_inbox(settings)
    assert not anything_new(settings)
    digital_pdf(settings.inbox / "disdik" / "laporan.pdf", INDONESIAN + " Tambahan.")  # new content, same name
    assert anything_new(settings)
    process_inbox(settings)
    (settings.inbox / "disdik" / "laporan.pdf").unlink()  # a file left
    assert anything_new(settings)


def test_bukti_run_skips_the_temporary_prefect_server_only_when_nothing_is_new(cli_env, keyword_classifier,
                                                                            monkeypatch, capsys):
    from flows.cli import _nothing_new_without_a_server

    digital_pdf(cli_env.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert not _nothing_new_without_a_server(cli_env)
    process_inbox(cli_env)
    assert _nothing_new_without_a_server(cli_env)
    assert "tanpa server Prefect" in capsys.readouterr().err
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")  # a server that stays up records every run
    assert not _nothing_new_without_a_server(cli_env)
