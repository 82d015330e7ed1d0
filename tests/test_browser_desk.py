"""The coordinator's desk in a real browser (Playwright for Python, Debian's chromium, headless, no download):
the weak band confirmed in one click, the review form keeping what the reviewer did not touch, a rejection with
its reason and confirmation, the requests, the page in English by the switch, the province page at 1366 px.
Screenshots of each page go to docs/screenshots/ (shown in the README), kept small."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from .conftest import ROOT
from .test_browser import CHROMIUM, _free_port
from .test_regions import add

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("keyword_classifier")]
SHOTS = ROOT / "docs" / "screenshots"
TEXTS = ROOT / "samples" / "texts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _serve(settings):
    import uvicorn

    from review.app import create_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.1)
    return srv, thread, f"http://127.0.0.1:{port}"


@pytest.fixture
def city(reviewed):
    """The sample city's health report and invitation, the birth-certificate report, a duplicate and a damaged
    file; the invitation in the informasi weak band (0.45 against 0.5)."""
    from pipeline.ledger.ledger import Ledger, classifications
    from pipeline.process import process_inbox

    from .makers import digital_pdf

    inbox = reviewed.inbox
    digital_pdf(inbox / "dindukcapil" / "laporan-akta-kelahiran.pdf", (TEXTS / "laporan-akta-kelahiran.txt").read_text())
    digital_pdf(inbox / "dinkominfo" / "imunisasi-salinan.pdf", (TEXTS / "laporan-imunisasi.txt").read_text())
    (inbox / "dinkes" / "rusak.pdf").write_bytes(b"%PDF-1.4 rusak")
    process_inbox(reviewed)
    ledger = Ledger(reviewed.database_url)
    shas = {e.path: e.sha256 for e in ledger.entries()}
    with ledger.begin() as conn:
        conn.execute(sa.update(classifications).where(classifications.c.sha256 == shas["bapenda/undangan.pdf"],
                                                      classifications.c.criterion == "informasi")
                     .values(confidence=0.45))
    ledger.close()
    srv, thread, url = _serve(reviewed)
    yield url, shas, reviewed
    srv.should_exit = True
    thread.join(timeout=10)


def _shot(page, name: str) -> None:
    """A full-page screenshot, stored as a 256-colour PNG so that the committed pictures stay small."""
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    with Image.open(target) as img:
        img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    assert 10_000 < target.stat().st_size < 600_000, target


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: scripts/test.sh installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


def test_the_coordinators_desk(city, browser):
    url, shas, settings = city
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url + "/")
    kesehatan = page.locator('tr[data-criterion="kesehatan"]')
    assert "terpenuhi" in kesehatan.locator('td[data-cell="proses"]').inner_text()
    assert "terpenuhi" in kesehatan.locator('td[data-cell="hasil"]').inner_text()
    kependudukan = page.locator('tr[data-criterion="kependudukan"]')  # proses and hasil from one report
    assert "terpenuhi" in kependudukan.locator('td[data-cell="hasil"]').inner_text()
    _shot(page, "beranda")

    # The weak band first, confirmed in one click; it counts at once.
    page.click("#nav-documents")
    assert page.locator("#queue li").count() == 1
    _shot(page, "dokumen")
    page.fill("#queue input[name=reviewer]", "Sari (Bagian Hukum)")
    page.click("#queue button.confirm-weak")
    page.wait_for_load_state()
    assert page.locator("#queue").count() == 0
    page.goto(url + "/")
    assert "terpenuhi" in page.locator('tr[data-criterion="informasi"] td[data-cell="proses"]').inner_text()

    # The form shows the current values; unticking one type records that and nothing else.
    page.goto(f"{url}/dokumen/{shas['dinkes/imunisasi.pdf']}")
    assert page.is_checked('#review-form input[name=types][value=proses]')
    assert page.is_checked('#review-form input[name=types][value=hasil]')
    assert not page.is_checked('#review-form input[name=types][value=struktur]')
    assert page.input_value("#date") == "2026-01-15" and page.input_value("#years") == "2025"
    _shot(page, "dokumen-rinci")
    page.fill("#reviewer", "Sari (Bagian Hukum)")
    page.uncheck('#review-form input[name=types][value=proses]')
    page.click("#save")
    page.wait_for_load_state()
    history = page.locator("#history").inner_text()
    assert history.count("ubah jenis") == 1 and "ubah tanggal" not in history and "ubah kriteria" not in history
    assert page.locator("#current-type").inner_text().startswith("Hasil")
    assert page.input_value("#date") == "2026-01-15"

    # Rejecting takes a reason and a confirmation.
    page.click('tr[data-criterion="kesehatan"] a.reject')
    assert "Alasan penolakan" in page.inner_text("main")
    page.fill("#reason", "Laporan provinsi, bukan kota")
    _shot(page, "tolak")
    page.click("#reject-confirm")
    page.wait_for_load_state()
    decision = page.locator('tr[data-criterion="kesehatan"] td[data-cell="decision"]').inner_text()
    assert "ditolak" in decision and "Laporan provinsi, bukan kota" in decision
    assert "WIB" in page.locator("#history").inner_text()

    page.goto(url + "/permintaan")
    assert page.locator("section.letter").count() == len(set(page.locator("section.letter").evaluate_all(
        "els => els.map(e => e.dataset.opd)")))
    _shot(page, "permintaan")

    # English by the switch, and only English.
    page.goto(url + "/")
    page.click("#lang-switch")
    text = page.inner_text("main")
    assert "Right to health" in text and "Hak atas kesehatan" not in text and "belum ada" not in text
    _shot(page, "beranda-en")
    page.close()


@pytest.fixture
def province(settings):
    from pipeline.ledger.ledger import Ledger

    from .test_regions import THRESHOLDS  # noqa: F401  (the same hand-built rows as the region tests)

    settings = dataclasses.replace(settings, inbox_layout="region/opd", assessment_year=2025)
    ledger = Ledger(settings.database_url)
    for t, sha in (("struktur", "1"), ("proses", "2"), ("hasil", "3")):
        add(ledger, f"kota-sukamaju/dinkes/{t}.pdf", sha * 64, {"kesehatan": 0.9, "pendidikan": 0.9},
            evidence_type=t)
    add(ledger, "kab-sukamakmur/dinkes/laporan.pdf", "4" * 64, {"kesehatan": 0.9})
    ledger.close()
    srv, thread, url = _serve(settings)
    yield url
    srv.should_exit = True
    thread.join(timeout=10)


def test_the_province_page_fits_1366_and_tells_regions_apart(province, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    page.goto(province + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    headers = page.locator("#province th").all_inner_texts()
    assert "Hak atas kesehatan" in headers and "kesehatan" not in headers  # names, not ids
    percent = dict(zip(page.locator("#province tr[data-region]").evaluate_all("rs => rs.map(r => r.dataset.region)"),
                       page.locator('#province td[data-cell="percent"] b').all_inner_texts()))
    assert percent == {"kab-sukamakmur": "3%", "kota-sukamaju": "20%"}
    assert "WIB" in page.locator('td[data-cell="last-upload"]').first.inner_text()
    _shot(page, "provinsi")
    page.close()
