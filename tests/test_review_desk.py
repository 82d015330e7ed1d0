"""The coordinator's desk on the review page: the document list reaches every file (duplicates and quarantined
ones too) with search and filters, and the weak band comes first with a one-click confirmation that counts at
once and becomes a training row."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from pipeline.ledger.ledger import Ledger, classifications
from pipeline.process import process_inbox
from review.app import create_app

from .conftest import ROOT
from .makers import digital_pdf

pytestmark = pytest.mark.usefixtures("keyword_classifier")
TEXTS = ROOT / "samples" / "texts"


@pytest.fixture
def desk(reviewed):
    """`reviewed` plus a duplicate and a damaged file; two documents put in the informasi weak band by hand
    (threshold 0.5, band 0.15): the invitation 0.05 below it, the immunisation report 0.10 below."""
    inbox = reviewed.inbox
    digital_pdf(inbox / "dinkominfo" / "imunisasi-salinan.pdf", (TEXTS / "laporan-imunisasi.txt").read_text())
    (inbox / "dinkes" / "rusak.pdf").write_bytes(b"%PDF-1.4 rusak")
    process_inbox(reviewed)
    ledger = Ledger(reviewed.database_url)
    shas = {e.path: e.sha256 for e in ledger.entries()}
    with ledger.begin() as conn:
        for path, score in (("bapenda/undangan.pdf", 0.45), ("dinkes/imunisasi.pdf", 0.40)):
            conn.execute(sa.update(classifications).where(classifications.c.sha256 == shas[path],
                                                          classifications.c.criterion == "informasi")
                         .values(confidence=score))
    ledger.close()
    return reviewed, shas


def _client(settings) -> TestClient:
    return TestClient(create_app(settings), base_url="http://127.0.0.1:8765")


def test_every_file_is_listed_and_reachable(desk):
    settings, shas = desk
    client = _client(settings)
    page = client.get("/dokumen").text
    rows = dict(re.findall(r'<tr data-path="([^"]+)" data-status="(\w+)">', page))
    assert rows == {"bapenda/undangan.pdf": "processed", "dinkes/imunisasi.pdf": "processed",
                    "dinkominfo/imunisasi-salinan.pdf": "duplicate", "dinkes/rusak.pdf": "quarantined"}
    for path in rows:
        assert f'href="/dokumen/{shas[path]}"' in page, path
        assert client.get(f"/dokumen/{shas[path]}").status_code == 200
    assert page.index('data-path="dinkes/rusak.pdf"') < page.index('data-path="bapenda/undangan.pdf"')


@pytest.mark.parametrize("query, expected", [
    ({"q": "imunisasi"}, {"dinkes/imunisasi.pdf", "dinkominfo/imunisasi-salinan.pdf"}),
    ({"q": "PAJAK"}, {"bapenda/undangan.pdf"}),  # found in the text, not the name
    ({"opd": "dinkes"}, {"dinkes/imunisasi.pdf", "dinkes/rusak.pdf"}),
    ({"status": "quarantined"}, {"dinkes/rusak.pdf"}),
    ({"kriteria": "kesehatan"}, {"dinkes/imunisasi.pdf"}),
    ({"jenis": "hasil"}, {"dinkes/imunisasi.pdf", "dinkominfo/imunisasi-salinan.pdf"}),
    ({"hanya": "bukan-bukti"}, {"bapenda/undangan.pdf"}),
    ({"hanya": "ragu"}, {"bapenda/undangan.pdf", "dinkes/imunisasi.pdf"}),
])
def test_filters(desk, query, expected):
    page = _client(desk[0]).get("/dokumen", params=query).text
    assert set(re.findall(r'<tr data-path="([^"]+)"', page)) == expected


def test_the_weak_band_comes_first_closest_to_the_threshold_first(desk):
    settings, shas = desk
    page = _client(settings).get("/dokumen").text
    queue = re.findall(r'<li data-criterion="(\w+)" data-sha="(\w+)">', page)
    assert queue == [("informasi", shas["bapenda/undangan.pdf"]), ("informasi", shas["dinkes/imunisasi.pdf"])]
    assert page.index('id="queue"') < page.index('id="documents"')
    assert "ragu-ragu, perlu ditinjau — skor 0,45 (batas 0,50)" in page
    assert "Ya, bukti untuk Hak atas informasi" in page


def test_one_click_confirmation_counts_at_once_and_becomes_a_training_row(desk):
    from pipeline.training.reviews import reviewed_examples

    settings, shas = desk
    client = _client(settings)
    page = client.get("/dokumen").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    sha = shas["bapenda/undangan.pdf"]
    dashboard = client.get("/").text
    assert 'data-criterion="informasi">' in dashboard
    informasi = dashboard[dashboard.index('<tr data-criterion="informasi">'):]
    assert 'data-cell="proses">lemah' in informasi[:informasi.index("</tr>")]
    done = client.post(f"/dokumen/{sha}/tinjau", data={"csrf": token, "action": "confirm", "criterion": "informasi",
                                                        "reviewer": "Sari", "back": "daftar"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/dokumen"
    informasi = client.get("/").text
    informasi = informasi[informasi.index('<tr data-criterion="informasi">'):]
    assert 'data-cell="proses">terpenuhi (' in informasi[:informasi.index("</tr>")]  # counts at once
    queue = re.findall(r'<li data-criterion="(\w+)" data-sha="(\w+)">', client.get("/dokumen").text)
    assert queue == [("informasi", shas["dinkes/imunisasi.pdf"])]
    rows = {r.id: r for r in reviewed_examples(Ledger(settings.database_url))}
    assert rows[f"review-{sha[:16]}"].labels == ("informasi",)  # the shape pipeline/training/reviews.py reads


def test_a_pending_file_says_when_it_will_be_read(desk):
    import dataclasses

    settings, _ = desk
    (settings.inbox / "dinkes" / "baru.pdf").write_bytes(b"%PDF-1.4 masih ditulis")
    process_inbox(dataclasses.replace(settings, stable_seconds=3600))
    page = _client(settings).get("/dokumen").text
    row = page[page.index('data-path="dinkes/baru.pdf"'):]
    assert re.search(r"dibaca pada \d{1,2} \w+ \d{4}, 01\.00 WIB", row[:row.index("</tr>")])


def test_requests_go_to_one_desk_each_under_its_own_name(desk):
    page = _client(desk[0]).get("/permintaan").text
    desks = re.findall(r'data-opd="([\w-]+)"', page)
    assert len(desks) == len(set(desks))  # one letter per desk
    assert "ppid" not in desks and "dinsos" not in desks  # PPID is Dinkominfo; Dinsos is asked with DP3A
    assert "Dinas Pemberdayaan Perempuan dan Perlindungan Anak (DP3A)" in page and "<b>dp3a</b>" in page
    assert "(bersama Dinsos P2KB)" in page
    assert "Perbup" not in page and "Perda/Perwal" in page
