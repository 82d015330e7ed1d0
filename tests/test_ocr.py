"""OCR on scans the tests make: known Indonesian text, rendered, damaged, read back. Character error rate bounds."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.training import synth
from pipeline.ledger.ledger import Ledger
from pipeline.extract.ocr import ocr_image
from pipeline.process import process_inbox

from .conftest import INDONESIAN
from .makers import mixed_pdf, scanned_pdf

pytestmark = pytest.mark.slow


def _page(dpi: int = 200):
    return synth.render_page(synth.wrap(INDONESIAN, 80), dpi=dpi)


def test_straight_scan_reads_cleanly():
    reading = ocr_image(synth.degrade(_page(), noise=6, blur=0.3), dpi=200)
    assert synth.char_error_rate(INDONESIAN, reading.text) < 0.02
    assert reading.rotation == 0 and reading.confidence > 85


@pytest.mark.parametrize("angle", [4.5, -4.0])
def test_skewed_scan_is_straightened(angle):
    reading = ocr_image(synth.degrade(_page(), angle=angle, noise=6), dpi=200)
    assert abs(reading.skew + angle) < 0.6  # measured skew undoes the damage
    assert synth.char_error_rate(INDONESIAN, reading.text) < 0.03


@pytest.mark.parametrize("turn", [180, 90])
def test_page_scanned_in_the_wrong_orientation_is_turned(turn):
    reading = ocr_image(synth.degrade(_page(), noise=5).rotate(turn, expand=True), dpi=200)
    assert reading.rotation in (turn, 360 - turn)
    assert synth.char_error_rate(INDONESIAN, reading.text) < 0.03


def test_phone_photo_off_square_with_uneven_light(tmp_path):
    photo = synth.degrade(_page(dpi=150), angle=-4.0, noise=10, blur=0.6, shade=True)
    synth.save_jpeg(photo, tmp_path / "foto.jpg", quality=70)
    from pipeline.extract.raster import load_image_frame
    img, dpi = load_image_frame(tmp_path / "foto.jpg", 0, 40_000_000)
    reading = ocr_image(img, dpi=dpi)
    assert synth.char_error_rate(INDONESIAN, reading.text) < 0.04


def test_mixed_pdf_multipage_tiff_and_scans_in_one_pass(settings):
    mixed_pdf(settings.inbox / "disdik" / "campuran.pdf", "Halaman pertama digital: " + INDONESIAN, INDONESIAN)
    pages = [synth.degrade(synth.render_page(synth.wrap(INDONESIAN), dpi=200), noise=4, seed=i) for i in range(2)]
    synth.save_tiff(pages, settings.inbox / "disdik" / "dua-halaman.tif", 200)
    scanned_pdf(settings.inbox / "disdik" / "pindaian.pdf", INDONESIAN, noise=5)
    summary = process_inbox(settings)
    assert summary.ocr_pages == 4 and summary.text_layer_pages == 1 and summary.failed_pages == 0
    ledger = Ledger(settings.database_url)
    entries = {e.path: e for e in ledger.entries()}
    assert [p["source"] for p in entries["disdik/campuran.pdf"].pages] == ["text-layer", "ocr"]
    assert [p["number"] for p in entries["disdik/dua-halaman.tif"].pages] == [1, 2]
    for entry in entries.values():
        for page in entry.pages:
            assert page["chars"] > 300
            assert (page["ocr_confidence"] is None) == (page["source"] == "text-layer")
    doc = ledger.document(entries["disdik/pindaian.pdf"].sha256)
    assert synth.char_error_rate(INDONESIAN, doc.text) < 0.02
    mixed = ledger.document(entries["disdik/campuran.pdf"].sha256)
    assert mixed.raw_text.count("\f") == 1 and "\f" not in mixed.text  # raw kept, pages marked; text normalised


def test_tesseract_timeout_fails_the_page_not_the_document(settings):
    mixed_pdf(settings.inbox / "dinkes" / "campuran.pdf", "Halaman digital: " + INDONESIAN, INDONESIAN)
    scanned_pdf(settings.inbox / "dinkes" / "pindaian.pdf", INDONESIAN)
    summary = process_inbox(dataclasses.replace(settings, ocr_timeout=0.01))
    assert summary.failed_pages == 2
    entries = {e.path: e for e in Ledger(settings.database_url).entries()}
    mixed = entries["dinkes/campuran.pdf"]
    assert mixed.status == "processed"  # its text page still counts
    assert mixed.pages[1]["error"] and "timeout" in mixed.pages[1]["error"].lower()
    assert entries["dinkes/pindaian.pdf"].status == "quarantined"  # no page could be read at all


def test_blank_scanned_page_gives_empty_text_without_error(settings):
    synth.save_scanned_pdf([synth.render_page([], dpi=150)], settings.inbox / "kosong.pdf", 150)
    process_inbox(settings)
    (entry,) = Ledger(settings.database_url).entries()
    assert entry.status == "processed"
    assert entry.pages == [{"number": 1, "source": "ocr", "chars": 0, "ocr_confidence": None}]
