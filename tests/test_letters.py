"""Request letters (issue 16): one per OPD asked for something, as DOCX and PDF, read back: letterhead from the
configuration, number, date, perihal, every missing criterion x type with what counts, the deadline, the upload
link, the signature; names with markup characters stay text; unchanged requests write nothing new."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import zipfile

import pdfplumber
import pytest
from docx import Document

from pipeline.classify.persist import load_model
from pipeline.ledger.ledger import Ledger
from pipeline.letters.write import write_letters
from pipeline.opd import opd_table_for
from pipeline.process import judge_documents
from pipeline.words import long_date

from .conftest import ROOT

pytestmark = pytest.mark.usefixtures("keyword_classifier")


def _gaps(settings):
    ledger = Ledger(settings.database_url)
    try:
        return judge_documents(ledger, load_model(settings.model_dir, settings.trust_file),
                               settings.assessment_year, opds=opd_table_for(settings))[1]
    finally:
        ledger.close()


def _docx_text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pdf_text(path) -> str:
    """The pages' text, then each table cell's (a cell's lines wrap beside its neighbours' in the page text)."""
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        cells = [cell or "" for page in pdf.pages for table in page.extract_tables() for row in table
                 for cell in row]
    return " ".join(" ".join(text.split()) for text in pages + cells)


@pytest.fixture
def letters(reviewed, cli_env, monkeypatch, capsys):
    from flows.cli import main

    monkeypatch.setenv("BUKTI_LETTER_GOVERNMENT", "PEMERINTAH KOTA SUKAMAJU")
    monkeypatch.setenv("BUKTI_LETTER_ADDRESS", "Jl. Merdeka No. 1, Sukamaju")
    monkeypatch.setenv("BUKTI_SIGNER_NAME", "Dra. Sri Rahayu, M.H.")
    monkeypatch.setenv("BUKTI_SIGNER_NIP", "197001012000032001")
    due = dt.date.today() + dt.timedelta(days=30)
    monkeypatch.setenv("BUKTI_DEADLINES", json.dumps([
        {"date": due.isoformat(), "name": "Batas kiriman OPD", "opd": True},
        {"date": (due + dt.timedelta(days=10)).isoformat(), "name": "Data ke Kanwil"}]))
    assert main(["letters", "--with-links"]) == 0
    assert "surat ditulis" in capsys.readouterr().out
    return dataclasses.replace(reviewed, assessment_year=2025), reviewed.home / "letters"


def test_one_letter_per_opd_in_both_formats(letters):
    settings, folder = letters
    asked = list(_gaps(settings).requests_by_opd())
    assert asked
    assert sorted(p.name for p in folder.glob("surat-*")) == sorted(
        f"surat-{opd}.{ext}" for opd in asked for ext in ("docx", "pdf"))


def test_the_letter_says_what_a_bagian_hukum_letter_says(letters):
    settings, folder = letters
    gaps = _gaps(settings)
    opd, requests = next(iter(gaps.requests_by_opd().items()))
    for path, read in ((folder / f"surat-{opd}.docx", _docx_text), (folder / f"surat-{opd}.pdf", _pdf_text)):
        _says_it_all(settings, gaps, opd, requests, " ".join(read(path).split()))


def _says_it_all(settings, gaps, opd, requests, flat: str) -> None:
    due = long_date(dt.date.today() + dt.timedelta(days=30))
    for expected in ("PEMERINTAH KOTA SUKAMAJU", "BAGIAN HUKUM", "Jl. Merdeka No. 1, Sukamaju",
                     f"180/1/Hukum/{dt.date.today().year}",
                     "Permintaan data dukung Penilaian Kabupaten/Kota Peduli HAM Tahun 2025",
                     f"Kepala {gaps.opds.by_id(opd).name}", f"{due} (Batas kiriman OPD)", "Kepala Bagian Hukum",
                     "Dra. Sri Rahayu, M.H.", "NIP 197001012000032001"):
        assert expected in flat, expected
    for r in requests:  # every missing cell with what counts as evidence
        assert " ".join(r.name.split()) in flat and " ".join(gaps.opds.wording(r.need).split()) in flat, r
    token = re.search(r"/unggah/([A-Za-z0-9_-]{20,})", flat).group(1)
    ledger = Ledger(settings.database_url)
    link = ledger.link_by_token_hash(hashlib.sha256(token.encode()).hexdigest())
    assert link is not None and link.opd == opd  # the letter's link opens this OPD's page


def test_names_with_markup_characters_stay_text(reviewed, tmp_path):
    table = tmp_path / "opd.toml"
    table.write_text('[wilayah]\nnama = "Kota <Sukamaju> & Co"\njenis = "kota"\n\n'
                     '[[opd]]\nid = "dinkes"\nnama = "Dinas <b>Kesehatan</b> & KB"\nsingkatan = "Dinkes"\n'
                     'folder = "dinkes"\n', encoding="utf-8")
    settings = dataclasses.replace(reviewed, opd_file=str(table), signer_name="A & B <C>")
    folder = tmp_path / "surat"
    write_letters(settings, _gaps(settings), folder)
    docx = folder / "surat-dinkes.docx"
    assert "Kepala Dinas <b>Kesehatan</b> & KB" in _docx_text(docx)
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert "Dinas &lt;b&gt;Kesehatan&lt;/b&gt; &amp; KB" in xml and "<b>Kesehatan" not in xml
    assert "Kepala Dinas <b>Kesehatan</b> & KB" in _pdf_text(folder / "surat-dinkes.pdf")
    assert "A & B <C>" in _pdf_text(folder / "surat-dinkes.pdf")


def test_letters_are_rewritten_only_when_the_requests_change(reviewed, tmp_path):
    folder = tmp_path / "surat"
    gaps = _gaps(reviewed)
    first = write_letters(reviewed, gaps, folder, today=dt.date(2026, 2, 1))
    stamps = {p: p.stat().st_mtime_ns for p in first}
    write_letters(reviewed, gaps, folder, today=dt.date(2026, 2, 2))  # a new day, the same requests
    assert {p: p.stat().st_mtime_ns for p in first} == stamps
    fewer = dataclasses.replace(gaps, criteria=gaps.criteria[1:])
    write_letters(reviewed, fewer, folder, today=dt.date(2026, 2, 3))
    assert any(p.stat().st_mtime_ns != stamps[p] for p in first if p.exists())


def test_the_nightly_pass_writes_the_letters_when_the_requests_changed(reviewed, tmp_path):
    from pipeline.process import process_inbox

    from .makers import digital_pdf

    settings = dataclasses.replace(reviewed, nightly_letters=True)
    first = process_inbox(settings)
    assert first.letters and all(p.endswith((".docx", ".pdf")) for p in first.letters)
    docx = settings.home / "letters" / "surat-dindukcapil.docx"
    assert "Hak atas kependudukan" in _docx_text(docx)
    stamp = docx.stat().st_mtime_ns
    process_inbox(settings)  # nothing changed
    assert docx.stat().st_mtime_ns == stamp
    text = (ROOT / "samples" / "texts" / "laporan-akta-kelahiran.txt").read_text()
    digital_pdf(settings.inbox / "dindukcapil" / "akta.pdf", text)
    process_inbox(settings)  # the birth-certificate report fills some of dindukcapil's requests
    assert docx.stat().st_mtime_ns != stamp
