"""The review page in a real browser: Playwright for Python driving Debian's chromium, headless, no download."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(reviewed):
    import uvicorn

    from review.app import create_app

    settings = reviewed
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_reject_a_document_and_see_the_cell_change(server):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: scripts/test.sh installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server + "/")
        cell = page.locator('tr[data-criterion="kesehatan"] td[data-cell="hasil"]')
        assert "terpenuhi" in cell.inner_text()
        page.screenshot(path=str(OUTPUT / "dashboard.png"), full_page=True)

        page.click('tr[data-criterion="kesehatan"] a')  # open the criterion
        assert page.url.endswith("/kriteria/kesehatan")
        page.click("#evidence a")  # open its document
        page.click('tr[data-criterion="kesehatan"] a.reject')  # rejecting asks for a reason and a confirmation
        page.fill("#reviewer", "Sari (Bagian Hukum)")
        page.fill("#reason", "bukan laporan kota ini")
        page.click("#reject-confirm")
        page.wait_for_load_state()
        assert "ditolak" in page.locator('tr[data-criterion="kesehatan"] td[data-cell="decision"]').inner_text()
        assert "Sari (Bagian Hukum)" in page.locator("#history").inner_text()

        page.goto(server + "/")
        cell = page.locator('tr[data-criterion="kesehatan"] td[data-cell="hasil"]')
        assert "belum ada" in cell.inner_text()  # the cell changed
        assert "missing" in (cell.get_attribute("class") or "")
        page.screenshot(path=str(OUTPUT / "dashboard-after-reject.png"), full_page=True)
        browser.close()
    assert (OUTPUT / "dashboard.png").stat().st_size > 10_000
