"""The OPD upload page in a real browser (Playwright, Debian's chromium, headless, no download): an OPD uploads
two files at once through its secret link, the nightly pass (`process_inbox`) reads them, the gap list on the
review page changes, and the OPD sees on its page what became of each file; files dropped on the page are sent
too. Screenshot: docs/screenshots/unggah.png."""

from __future__ import annotations

import pytest

from pipeline.ledger.ledger import Ledger
from pipeline.opd import opd_table_for
from pipeline.portal.links import issue_link
from pipeline.process import process_inbox

from .makers import digital_pdf
from .test_browser_desk import TEXTS, _serve, _shot, browser  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("keyword_classifier")]


@pytest.fixture
def site(reviewed):
    ledger = Ledger(reviewed.database_url)
    token = issue_link(ledger, opd_table_for(reviewed), "dindukcapil", "http://127.0.0.1").token
    ledger.close()
    srv, thread, url = _serve(reviewed)
    yield url, token, reviewed
    srv.should_exit = True
    thread.join(timeout=10)


def test_an_opd_uploads_two_files_and_sees_what_became_of_them(site, browser, tmp_path):  # noqa: F811
    url, token, settings = site
    akta = digital_pdf(tmp_path / "Laporan Akta Kelahiran 2025.pdf", (TEXTS / "laporan-akta-kelahiran.txt").read_text())
    broken = tmp_path / "scan <rusak>.pdf"
    broken.write_bytes(b"%PDF-1.4 rusak")

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url + "/")
    before = page.locator('tr[data-criterion="kependudukan"] td[data-cell="hasil"]').inner_text()
    assert "terpenuhi" not in before

    page.goto(f"{url}/unggah/{token}")
    assert "Dinas Kependudukan" in page.inner_text("h1")
    assert page.locator("#nav-documents").count() == 0  # none of the coordinator's pages
    request = page.locator("#requests tr[data-request^='kependudukan:']").first.get_attribute("data-request")
    page.select_option("#request", request)
    page.set_input_files("#files", [str(akta), str(broken)])
    assert page.locator("#chosen li").count() == 2
    page.click("#send")
    page.wait_for_function("document.getElementById('progress').value === 100")
    page.wait_for_function("document.querySelectorAll('#sent tr[data-upload]').length === 2")
    assert "Laporan Akta Kelahiran 2025.pdf" in page.inner_text("#messages")
    fates = page.locator("#sent tr[data-upload]").evaluate_all("rs => rs.map(r => r.dataset.fate)")
    assert fates == ["waiting", "waiting"]
    assert sorted(p.name for p in (settings.inbox / "dindukcapil").iterdir()) == [
        "Laporan Akta Kelahiran 2025.pdf", "scan <rusak>.pdf"]

    process_inbox(settings)  # the nightly pass reads them from the inbox

    page.goto(url + "/")
    assert "terpenuhi" in page.locator('tr[data-criterion="kependudukan"] td[data-cell="hasil"]').inner_text()
    assert page.locator('#progress tr[data-opd="dindukcapil"] td[data-cell="accepted"]').inner_text() != "0"

    page.goto(f"{url}/unggah/{token}")
    rows = {r["name"]: r for r in page.locator("#sent tr[data-upload]").evaluate_all(
        "rs => rs.map(r => ({name: r.cells[0].innerText, fate: r.dataset.fate, text: r.cells[3].innerText}))")}
    assert rows["Laporan Akta Kelahiran 2025.pdf"]["fate"] == "counted"
    assert "Hak atas kependudukan" in rows["Laporan Akta Kelahiran 2025.pdf"]["text"]
    assert rows["scan <rusak>.pdf"]["fate"] == "quarantined"  # its name shown as text, not markup
    _shot(page, "unggah")

    page.goto(f"{url}/unggah/{token}?lang=en")
    assert "counted as evidence for" in page.inner_text("#sent")
    page.close()


def test_files_dropped_on_the_page_are_sent(site, browser):  # noqa: F811
    url, token, settings = site
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/unggah/{token}")
    # What a drop from the file manager gives the page: a DataTransfer holding files.
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.items.add(new File(["%PDF-1.4 satu"], "satu.pdf", {type: "application/pdf"}));
        data.items.add(new File(["%PDF-1.4 dua"], "dua.pdf", {type: "application/pdf"}));
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true,
                                                                              cancelable: true}));
    }""")
    assert page.locator("#chosen li").all_inner_texts() == ["satu.pdf", "dua.pdf"]
    page.click("#send")
    page.wait_for_function("document.querySelectorAll('#sent tr[data-upload]').length === 2")
    assert sorted(p.name for p in (settings.inbox / "dindukcapil").iterdir()) == ["dua.pdf", "satu.pdf"]
    page.close()
