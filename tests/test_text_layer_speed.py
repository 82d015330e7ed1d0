"""Text layers are read with PDFium (issue 11, item 3); pdfplumber only where its layout reading is needed: a
table of figures that PDFium would read in drawing order, column by column."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from pipeline.training import synth
from pipeline.extract.page import TEXT_LAYER
from pipeline.extract.plan import OcrOptions, plan_document

from .conftest import INDONESIAN
from .makers import budget_rows, digital_pdf, scanned_pdf

SHA = "0" * 64


def _plan(path: Path):
    return plan_document(SHA, path, path.name, OcrOptions())


def _no_pdfplumber(monkeypatch) -> list[str]:
    import pdfplumber

    opened: list[str] = []

    def refuse(path, *args, **kwargs):
        opened.append(str(path))
        raise AssertionError("pdfplumber opened on the fast path")
    monkeypatch.setattr(pdfplumber, "open", refuse)
    return opened


def test_plain_digital_pdf_is_read_from_its_text_layer_without_pdfplumber(tmp_path, monkeypatch):
    opened = _no_pdfplumber(monkeypatch)
    text = "\n".join([INDONESIAN] * 3 + ["pelaksana-", "an program kerja."])
    plan = _plan(digital_pdf(tmp_path / "laporan.pdf", text))
    assert opened == [] and plan.jobs == []
    assert plan.done and all(p.source == TEXT_LAYER for p in plan.done)
    raw = "\f".join(p.raw_text for p in plan.done)
    assert "Laporan" in raw and "\r" not in raw and "\ufffe" not in raw


def _columnwise_table(path: Path, rows: int = 30) -> Path:
    """A budget table as some spreadsheet exports draw it: column after column, so that the content stream holds
    every code, then every budget, then every figure spent."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(synth.font_path())))
    cells = [line.split(" ") for line in budget_rows(rows)]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("DejaVuSerif", 9)
    c.drawString(50, A4[1] - 50, "REALISASI APBD 2025")
    for col, x in enumerate((50, 160, 300, 440)):
        for row, cell in enumerate(cells):
            c.drawString(x, A4[1] - 80 - 13 * row, cell[col])
    c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def test_table_of_figures_read_out_of_order_by_pdfium_is_read_row_by_row_with_pdfplumber(tmp_path, monkeypatch):
    import pdfplumber

    opened = []
    real_open = pdfplumber.open
    monkeypatch.setattr(pdfplumber, "open", lambda path, *a, **k: opened.append(path) or real_open(path, *a, **k))
    plan = _plan(_columnwise_table(tmp_path / "realisasi.pdf"))
    assert len(opened) == 1 and plan.jobs == []
    (page,) = plan.done
    first = budget_rows(1)[0]  # "5.1.01.01 1.000.000.000,00 ..." : the code beside its figures, as printed
    assert first in page.raw_text.split("\n")


def test_table_of_figures_keeps_pdfiums_text_when_pdfplumber_fails(tmp_path, monkeypatch):
    opened = _no_pdfplumber(monkeypatch)
    plan = _plan(_columnwise_table(tmp_path / "realisasi.pdf"))
    assert len(opened) == 1  # asked for, failed: the page is still read from its layer, not OCR'd
    assert plan.jobs == [] and "1.000.000.000,00" in plan.done[0].raw_text


def test_scan_resolution_is_found_without_pdfplumber(tmp_path, monkeypatch):
    opened = _no_pdfplumber(monkeypatch)
    (job,) = _plan(scanned_pdf(tmp_path / "pindai.pdf", INDONESIAN, dpi=150)).jobs
    assert opened == [] and job.dpi == pytest.approx(150, abs=2) and job.layer_text is None


def test_scan_inside_a_form_xobject_is_placed_on_the_page(tmp_path):
    """PDFium gives an object's bounds in its form's space; the form's matrix must be applied, or a scan drawn
    through a scaled form reads as a small image (no cover, no resolution)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    dpi = 200
    image = synth.render_page(synth.wrap(INDONESIAN, 80), dpi=dpi).convert("RGB")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.beginForm("scan")
    c.drawImage(ImageReader(image), 0, 0, A4[0] / 4, A4[1] / 4)  # the form is drawn 4 times larger
    c.endForm()
    c.saveState()
    c.scale(4, 4)
    c.doForm("scan")
    c.restoreState()
    c.showPage()
    c.save()
    path = tmp_path / "formulir.pdf"
    path.write_bytes(buf.getvalue())
    assert isinstance(image, Image.Image)
    (job,) = _plan(path).jobs
    assert job.dpi == pytest.approx(dpi, abs=3)  # in form space the image would read as 800 dpi
