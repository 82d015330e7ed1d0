"""Every page read well (issue 7, item 4): text layers of figures, poor hidden OCR layers, turned, landscape,
low-resolution and very tall pages, on files the tests make (tests/makers.py). OCR-heavy tests are slow."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.training import synth
from pipeline.extract.normalize import poor_layer, text_quality, usable_text
from pipeline.extract.ocr import split_tall, tesseract_lexicon
from pipeline.extract.page import OCR, OCR_OVER_POOR_LAYER, POOR_LAYER_KEPT, TEXT_LAYER, PageRecord
from pipeline.extract.plan import OcrOptions, PageJob, plan_document
from pipeline.extract.raster import is_blank, load_image_frame
from pipeline.extract.read import better_reading, read_page

from .conftest import INDONESIAN
from .makers import (bad_ocr, budget_rows, budget_table_pdf, landscape_scan_pdf, low_res_scan, phone_photo,
                     rotated_digital_pdf, rotated_scan_pdf, scan_with_text_layer, tall_image)

SHA = "0" * 64


def _plan(path: Path):
    return plan_document(SHA, path, path.name, OcrOptions())


def _read_all(path: Path) -> list[PageRecord]:
    plan = _plan(path)
    return sorted(list(plan.done) + [read_page(job) for job in plan.jobs], key=lambda p: p.number)


# --- Text layers: figures count, garbage does not -------------------------------------------------------------

def test_digital_table_of_figures_is_read_from_its_text_layer(tmp_path):
    plan = _plan(budget_table_pdf(tmp_path / "realisasi.pdf"))
    assert plan.jobs == []  # no OCR for a good digital page
    (page,) = plan.done
    assert page.source == TEXT_LAYER
    text = page.raw_text
    assert "1.137.913.577,00" in text and "5.1.02.02" in text and "REALISASI APBD 2025" in text
    visible = re.sub(r"\s", "", text)
    assert len(re.findall(r"[A-Za-z]", visible)) / len(visible) < 0.1  # mostly figures: the old rule OCR'd it


def test_usable_text_counts_figures_but_not_unmapped_glyphs():
    assert usable_text("\n".join(budget_rows(3)))
    assert usable_text("KATA PENGANTAR ............................ i\nDAFTAR ISI ........................ ii\n"
                       "BAB I PENDAHULUAN ................... 1")  # dotted leaders count once
    assert not usable_text("(cid:25)(cid:18)(cid:3)" * 20)  # unmapped glyphs
    assert not usable_text("\ue000\ue011\ue02a\ue003 12" * 10)  # private-use glyphs
    assert not usable_text('"7+%-' * 40)  # a font without mapping decoded to ASCII punctuation
    assert not usable_text("䴀甀氀琀椀挀漀氀漀爀 䈀氀愀挀欀 倀甀爀攀 䈀氀愀挀欀 ⠀䬀 㴀 ⤀" * 3)  # wrong script
    assert not usable_text("- - - -\n" * 30)  # rules and dashes carry nothing


def test_rotated_digital_page_is_read_from_its_text_layer(tmp_path):
    lines = ["PEMERINTAH KOTA SUKAMAJU", "Laporan pelaksanaan program wajib belajar dua belas tahun."]
    plan = _plan(rotated_digital_pdf(tmp_path / "diputar.pdf", lines))
    assert plan.jobs == [] and plan.done[0].raw_text.split("\n") == lines


# --- Hidden OCR layers of scans: judged, and re-read when poor ------------------------------------------------

def test_good_hidden_ocr_layer_is_kept_without_ocr(tmp_path):
    plan = _plan(scan_with_text_layer(tmp_path / "pindai-ocr.pdf", INDONESIAN, INDONESIAN, noise=4))
    assert plan.jobs == []
    assert plan.done[0].source == TEXT_LAYER
    assert synth.char_error_rate(INDONESIAN, plan.done[0].raw_text) < 0.01


def test_poor_hidden_ocr_layer_becomes_an_ocr_job_carrying_the_layer(tmp_path):
    layer = bad_ocr(INDONESIAN, rate=0.5)
    plan = _plan(scan_with_text_layer(tmp_path / "pindai-ocr-buruk.pdf", INDONESIAN, layer, noise=4))
    assert plan.done == []
    (job,) = plan.jobs
    assert job.layer_text is not None and "Laporan" in job.layer_text


def test_layer_judgement_is_strict_for_hidden_layers_and_lenient_for_visible_ones():
    lexicon = tesseract_lexicon("ind+eng")
    assert len(lexicon) > 100_000  # Tesseract's own ind and eng dictionaries
    text = " ".join([INDONESIAN] * 2)
    good, damaged = text_quality(text, lexicon), text_quality(bad_ocr(text, rate=0.3), lexicon)
    assert good.known_share > 0.9 and good.broken == 0
    assert damaged.known_share < good.known_share and damaged.broken > 0
    assert not poor_layer(good, hidden=True) and poor_layer(damaged, hidden=True)
    assert not poor_layer(damaged, hidden=False)  # a visible layer is only re-read when plainly broken
    assert poor_layer(text_quality(bad_ocr(text, rate=1.0), lexicon), hidden=False)


def _job(layer_text: str) -> PageJob:
    return PageJob(SHA, "x.pdf", "pdf", 0, 200.0, "ind+eng", 60.0, 40_000_000, layer_text)


def test_better_reading_keeps_whichever_reads_more_like_words():
    poor, good = bad_ocr(INDONESIAN, rate=0.5), INDONESIAN
    record = better_reading(_job(poor), PageRecord(1, OCR, good, 91.0))
    assert record.source == OCR_OVER_POOR_LAYER and record.raw_text == good and record.ocr_confidence == 91.0
    assert "kept the OCR" in record.note
    record = better_reading(_job(good), PageRecord(1, OCR, poor, 40.0))
    assert record.source == POOR_LAYER_KEPT and record.raw_text == good and record.ocr_confidence is None
    record = better_reading(_job(poor), PageRecord(1, OCR, "", error="RuntimeError: Tesseract process timeout"))
    assert record.source == POOR_LAYER_KEPT and record.raw_text == poor and record.error is None


@pytest.mark.slow
def test_scan_with_garbage_hidden_layer_is_read_again_and_the_ocr_kept(tmp_path):
    layer = bad_ocr(INDONESIAN, rate=0.5)
    assert synth.char_error_rate(INDONESIAN, layer) > 0.03
    (page,) = _read_all(scan_with_text_layer(tmp_path / "pindai-ocr-buruk.pdf", INDONESIAN, layer, noise=4))
    assert page.source == OCR_OVER_POOR_LAYER and page.error is None
    assert synth.char_error_rate(INDONESIAN, page.raw_text) < 0.01


# --- Turned, landscape, low-resolution and tall pages -----------------------------------------------------------

@pytest.mark.slow
def test_scan_turned_by_rotate_90_is_read_upright_at_its_own_resolution(tmp_path):
    path = rotated_scan_pdf(tmp_path / "diputar.pdf", INDONESIAN, rotate=90, dpi=200)
    (job,) = _plan(path).jobs
    assert job.dpi == pytest.approx(200, abs=3)  # stored on its side: the scan's axes are paired again
    (page,) = _read_all(path)
    assert page.rotation == 0  # PDFium honoured /Rotate: no orientation guessing was needed
    assert synth.char_error_rate(INDONESIAN, page.raw_text) < 0.02


@pytest.mark.slow
def test_landscape_scan_is_read(tmp_path):
    text = " ".join([INDONESIAN.replace("\n", " ")] * 2)
    (page,) = _read_all(landscape_scan_pdf(tmp_path / "lanskap.pdf", text))
    assert page.source == OCR and page.rotation == 0
    assert synth.char_error_rate(text, page.raw_text) < 0.02


@pytest.mark.slow
def test_phone_photo_turned_90_degrees_is_turned_and_read(tmp_path):
    # 900 px for an A4 page (about 75 dpi), 2 degrees off, shaded: OSD alone is unsure which way it lies.
    (page,) = _read_all(phone_photo(tmp_path / "foto.jpg", INDONESIAN, turn=90, long_side=900))
    assert page.rotation == 90
    assert synth.char_error_rate(INDONESIAN, page.raw_text) < 0.03


def test_thin_print_at_96_dpi_is_not_taken_for_a_blank_page(tmp_path):
    img, dpi = load_image_frame(low_res_scan(tmp_path / "pindai-96.png", INDONESIAN, dpi=96), 0, 40_000_000)
    assert dpi is None  # below 100 dpi a file's dpi is not trusted: the letters themselves must tell
    assert not is_blank(img)


@pytest.mark.slow
def test_scan_at_96_dpi_with_small_print_is_enlarged_and_read(tmp_path):
    (page,) = _read_all(low_res_scan(tmp_path / "pindai-96.png", INDONESIAN, dpi=96, font_pt=6))
    assert page.error is None
    assert synth.char_error_rate(INDONESIAN, page.raw_text) < 0.05  # 28% read as it is


def _spread_paragraphs(count: int) -> str:
    sentence = INDONESIAN.split("\n")[-1]
    return "\n".join(f"Bagian {i + 1}. {sentence}" + "\n" * 24 for i in range(count))


@pytest.mark.slow
def test_tall_narrow_screenshot_is_read(tmp_path):
    lines = tall_image(tmp_path / "tangkapan.png", _spread_paragraphs(4), width=1080, height=5000, font_px=22)
    (page,) = _read_all(tmp_path / "tangkapan.png")
    expected = " ".join(line for line in lines if line)
    assert all(f"Bagian {i}." in page.raw_text for i in range(1, 5))
    assert synth.char_error_rate(expected, page.raw_text) < 0.02


def test_very_tall_image_is_cut_between_lines_into_pieces_tesseract_accepts(tmp_path):
    tall_image(tmp_path / "panjang.png", _spread_paragraphs(60), width=400, height=34_000, font_px=18)
    img = Image.open(tmp_path / "panjang.png").convert("L")
    pieces = split_tall(img)
    assert len(pieces) > 10 and sum(p.height for p in pieces) == img.height
    assert all(p.width == 400 and p.height <= 2400 for p in pieces)
    ink = np.asarray(img) < 128
    top = 0
    for piece in pieces[:-1]:
        top += piece.height
        assert not ink[top].any() and not ink[top - 1].any()  # cut through white, not through a line
    assert len(split_tall(Image.new("L", (1000, 1400), 255))) == 1  # a page-shaped image stays whole


def test_tall_image_keeps_the_pieces_read_when_the_page_budget_runs_out(monkeypatch):
    import time

    from PIL import Image, ImageDraw

    from pipeline.extract import ocr

    calls = []

    def piece_that_spends_the_budget(img, languages, budget, dpi):
        calls.append(img.size)
        budget.ends = time.monotonic()  # this piece used all the page's time
        return ocr.Reading("bagian pertama terbaca", 90.0, 3)

    monkeypatch.setattr(ocr, "_read_piece", piece_that_spends_the_budget)
    tall = Image.new("L", (400, 4000), 255)
    draw = ImageDraw.Draw(tall)
    for y in range(20, 4000, 60):  # ink everywhere, so no piece is skipped as blank
        draw.rectangle((20, y, 380, y + 12), fill=0)
    reading = ocr.ocr_image(tall, timeout=5)
    assert len(calls) == 1 and "bagian pertama terbaca" in reading.text
