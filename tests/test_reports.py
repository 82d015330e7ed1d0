"""Reports: the Excel workbook and the self-contained HTML, in Indonesian and English."""

from __future__ import annotations

import re

import openpyxl
import pytest

from flows.cli import main
from pipeline.process import process_inbox

from .conftest import ROOT
from .makers import digital_pdf

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


def test_workbook_sheets_colours_links_and_quarantine(env, tmp_path):
    settings, _ = env
    out = tmp_path / "r.xlsx"
    assert main(["report", "--format", "xlsx", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Ringkasan" and "Permintaan data dukung" in wb.sheetnames
    assert "Berkas karantina" in wb.sheetnames and "kesehatan" in wb.sheetnames
    summary = wb["Ringkasan"]
    rows = {r[0].value: r for r in summary.iter_rows(min_row=5) if r[0].value}
    kesehatan = rows["Hak atas kesehatan"]
    assert kesehatan[1].value == "terpenuhi" and kesehatan[1].fill.start_color.rgb.endswith("C6EFCE")
    assert rows["Hak atas pekerjaan"][1].fill.start_color.rgb.endswith("FFC7CE")
    sheet = wb["kesehatan"]
    link = sheet.cell(3, 1)
    assert link.value == "dinkes/imunisasi.pdf" and link.hyperlink.target.startswith("file://")
    requests = [tuple(c.value for c in r) for r in wb["Permintaan data dukung"].iter_rows(min_row=3)]
    assert ("Dinas Perindustrian dan Tenaga Kerja (Dinperinaker)", "Hak atas pekerjaan", "Struktur",
            "belum ada") in requests
    quarantine = [r[0].value for r in wb["Berkas karantina"].iter_rows(min_row=2)]
    assert quarantine == ["dinkes/rusak.pdf"]


def test_html_is_self_contained_with_a_chart_and_speaks_english_on_request(env, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "--format", "html", "--lang", "en", "-o", str(out)]) == 0
    html = out.read_text()
    assert "<svg" in html and "Evidence by criterion and type" in html and "Right to health" in html
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)  # nothing fetched from outside
    assert "<script" not in html
    assert main(["report", "--format", "html", "-o", str(out)]) == 0
    assert "Permintaan data dukung" in out.read_text() and "Berkas karantina" in out.read_text()
