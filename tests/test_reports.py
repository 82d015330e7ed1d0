"""Reports: the Excel workbook and the self-contained HTML, in Indonesian and English."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from flows.cli import main
from pipeline.criteria import load_criteria
from pipeline.process import process_inbox

from .conftest import ROOT
from .makers import digital_pdf

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")

TEXTS = ROOT / "samples" / "texts"


@pytest.fixture
def env(cli_env):
    digital_pdf(cli_env.inbox / "dinkes" / "imunisasi.pdf", (TEXTS / "laporan-imunisasi.txt").read_text())
    (cli_env.inbox / "dinkes" / "rusak.pdf").write_bytes(b"")
    return cli_env, process_inbox(cli_env)


def test_nightly_pass_writes_both_reports(env):
    settings, summary = env
    assert sorted(p.rsplit("/", 1)[-1] for p in summary.reports) == ["bukti-kkp-ham-2025.html",
                                                                   "bukti-kkp-ham-2025.xlsx"]


def test_reports_are_rewritten_only_when_what_they_show_changed(env):
    settings, first = env
    before = {p: Path(p).stat().st_mtime_ns for p in first.reports}
    second = process_inbox(settings)  # nothing new: the reports stay as they are
    assert second.new_documents == 0 and {p: Path(p).stat().st_mtime_ns for p in second.reports} == before
    (settings.inbox / "dinkes" / "rusak.pdf").unlink()  # the quarantine sheet changes
    third = process_inbox(settings)
    assert all(Path(p).stat().st_mtime_ns != before[p] for p in third.reports)
    assert "rusak.pdf" not in Path(next(p for p in third.reports if p.endswith(".html"))).read_text()


def test_workbook_sheets_colours_links_and_quarantine(env, tmp_path, monkeypatch):
    settings, _ = env
    monkeypatch.setenv("BUKTI_PUBLIC_URL", "https://bukti.sukamajukota.go.id/")
    out = tmp_path / "r.xlsx"
    assert main(["report", "--format", "xlsx", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Ringkasan" and "Permintaan data dukung" in wb.sheetnames
    assert "Berkas karantina" in wb.sheetnames and "Kesehatan" in wb.sheetnames  # names, not ids
    assert "Turut serta dalam pemerintahan" in wb.sheetnames
    summary = wb["Ringkasan"]
    assert "0 lengkap, 1 sebagian, 0 lemah, 9 belum ada" in summary["A3"].value
    rows = {r[0].value: r for r in summary.iter_rows(min_row=5) if r[0].value}
    kesehatan = rows["Hak atas kesehatan"]
    # Programme and outcome, no regulation: partly evidenced, in words and in orange (not a blue that reads fine).
    assert kesehatan[1].value == "sebagian" and kesehatan[1].fill.start_color.rgb.endswith("FFD8A8")
    assert [c.value for c in kesehatan[2:5]] == ["belum ada", "terpenuhi", "terpenuhi"]
    assert kesehatan[4].fill.start_color.rgb.endswith("C6EFCE")
    assert rows["Hak atas pekerjaan"][1].value == "belum ada"
    assert rows["Hak atas pekerjaan"][1].fill.start_color.rgb.endswith("FFC7CE")
    assert {k: rows[f"Jumlah {k}"][1].value for k in ("lengkap", "sebagian", "lemah", "belum ada")} == {
        "lengkap": 0, "sebagian": 1, "lemah": 0, "belum ada": 9}
    sheet = wb["Kesehatan"]
    types = {sheet.cell(r, 1).value: (sheet.cell(r, 2).value, sheet.cell(r, 3).value, sheet.cell(r, 4).value)
             for r in (2, 3, 4)}
    assert types["Hasil"] == ("terpenuhi", None, None) and types["Proses"][0] == "terpenuhi"
    assert types["Struktur"][:2] == ("belum ada", "Dinkes") and types["Struktur"][2].startswith("Perda/Perwal")
    evidence_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "dinkes/imunisasi.pdf")
    link = sheet.cell(evidence_row, 1)
    sha = re.search(r"/dokumen/([0-9a-f]{64})/asli$", link.hyperlink.target).group(1)
    assert link.hyperlink.target == f"https://bukti.sukamajukota.go.id/dokumen/{sha}/asli"  # the server, no path
    assert sheet.cell(evidence_row - 1, 1).value == "Berkas" and sheet.cell(evidence_row, 3).value == "Hasil, Proses"
    requests = [tuple(c.value for c in r) for r in wb["Permintaan data dukung"].iter_rows(min_row=3)]
    assert ("Dinas Tenaga Kerja dan Perindustrian", "disnaker", "Hak atas pekerjaan", "Struktur", "belum ada",
            load_criteria()[7].need["struktur"].replace("{perkada}", "Perwal"), None) in requests
    assert not any(r[1] == "dinkes" and r[3] == "Hasil" for r in requests)  # covered: not asked for
    assert ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dp3a") == requests[-1][:2] or any(
        r[1] == "dp3a" and r[6] == "Dinsos P2KB" for r in requests)
    assert not any(r[1] == "dinsos" for r in requests)  # asked jointly, never as a desk of its own
    quarantine = [r[0].value for r in wb["Berkas karantina"].iter_rows(min_row=2)]
    assert quarantine == ["dinkes/rusak.pdf"]


def test_workbook_is_ready_to_send_frozen_filtered_and_set_up_for_print(env, tmp_path):
    out = tmp_path / "r.xlsx"
    assert main(["report", "--format", "xlsx", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert ws.freeze_panes and ws.auto_filter.ref, ws.title
        assert ws.print_area and ws.print_title_rows, ws.title
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    header = int(wb["Kesehatan"].freeze_panes[1:]) - 1
    assert wb["Kesehatan"].cell(header, 1).value == "Berkas"
    assert wb["Kesehatan"].auto_filter.ref.startswith(f"A{header}:H")  # the endorsement column is the eighth
    assert all(len(name) <= 31 and not re.search(r"[_\[\]:*?/\\]", name) for name in wb.sheetnames)


def test_html_is_self_contained_printable_and_speaks_one_language(env, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "--format", "html", "--lang", "en", "-o", str(out)]) == 0
    html = out.read_text()
    assert html.count("<svg") == 1 and "Completeness by criterion and evidence type" in html
    assert "Right to health" in html and "Hak atas kesehatan" not in html and "membahas" not in html
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)  # nothing fetched from outside
    assert "<script" not in html and "file://" not in html
    assert "@page { size: A4" in html and "@media print" in html
    assert "0 complete, 1 partial, 0 weak, 9 missing" in html
    # The matrix: one row per criterion with its completeness, one cell per type with its status and count.
    rows = re.findall(r'<g data-criterion="(\w+)" data-status="(\w+)">', html)
    assert len(rows) == 10 and ("kesehatan", "partial") in rows and ("pekerjaan", "missing") in rows
    kesehatan = html[html.index('data-criterion="kesehatan"'):html.index('data-criterion="pendidikan"')]
    assert re.findall(r'data-type="(\w+)" data-cell-status="([\w-]+)"', kesehatan) == [
        ("struktur", "missing"), ("proses", "covered"), ("hasil", "covered")]
    assert "What to ask for: a Perda/Perwal on the regional health system" in kesehatan
    # Links open the review page (here, the default on this machine, and the report says so).
    assert re.search(r'href="http://127\.0\.0\.1:8765/dokumen/[0-9a-f]{64}/asli">dinkes/imunisasi\.pdf<', html)
    assert "open on this computer only" in html
    assert main(["report", "--format", "html", "-o", str(out)]) == 0
    html = out.read_text()
    assert "Permintaan data dukung" in html and "Berkas karantina" in html and ">terpenuhi (1)<" in html
    assert "Dinas Kesehatan (Dinkes) — folder kotak masuk dinkes" in html
    assert "concerns" not in html and "Right to" not in html
