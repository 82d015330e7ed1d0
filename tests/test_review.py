"""The review page over HTTP: safety points (ids only, CSRF, password off loopback) and reviewer decisions
that win over the model and survive reclassification."""

from __future__ import annotations

import base64
import dataclasses
import re

import pytest
from fastapi.testclient import TestClient

from pipeline.classify import persist
from pipeline.classify.persist import load_model
from pipeline.classify.stage import classify_documents
from pipeline.gaps.build import build_gaps
from pipeline.ledger.ledger import Ledger
from review.app import create_app
from review.safety import UnsafeBinding, check_binding

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")




def _client(settings) -> TestClient:
    return TestClient(create_app(settings), base_url="http://127.0.0.1:8765")


def _sha(client: TestClient, criterion: str) -> str:
    return re.search(r"/dokumen/([0-9a-f]{64})", client.get(f"/kriteria/{criterion}").text).group(1)


def _csrf(client: TestClient, sha: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(f"/dokumen/{sha}").text).group(1)


def _kesehatan_status(settings) -> str:
    ledger = Ledger(settings.database_url)
    # The thresholds of the model that classified them (the keyword stand-in; `persist.load_model` is patched,
    # the module's own `load_model` is the shipped model, whose thresholds are not the stand-in's)
    gaps = build_gaps(ledger, persist.load_model(settings.model_dir).thresholds, 2025)
    return next(c for c in gaps.criteria if c.id == "kesehatan").status


def test_pages_render_in_one_language(reviewed):
    client = _client(reviewed)
    dashboard = client.get("/").text
    assert "Laporan bukti dukung KKP HAM" in dashboard and "Hak atas kesehatan" in dashboard
    # One language per page: no English beside the Indonesian, no criterion ids shown as names.
    for english in ("Outcome", "Right to health", "evidence matrix", "/ "):
        assert english not in re.sub(r"<[^>]+>", " ", dashboard), english
    assert ">kesehatan<" not in dashboard
    sha = _sha(client, "kesehatan")
    page = client.get(f"/dokumen/{sha}").text
    assert "IMUNISASI DASAR LENGKAP" in page and "pratinjau.png" in page
    assert 'id="period-hasil">2025<' in page and "membahas tahun 2025" in page  # the period the gap list uses
    assert "concerns 2025" not in page and "sangat cocok — skor 0,90 (batas 0,50)" in page
    english = client.get(f"/dokumen/{sha}?lang=en")
    assert "concerns 2025" in english.text and "membahas tahun" not in english.text
    assert "clear match — score 0.90 (threshold 0.50)" in english.text
    assert english.cookies.get("bukti_lang") == "en"  # the switch is remembered
    png = client.get(f"/dokumen/{sha}/pratinjau.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(f"/dokumen/{sha}/asli").content.startswith(b"%PDF")


def test_dashboard_counts_a_report_in_each_type_it_carries(reviewed):
    client = _client(reviewed)
    page = client.get("/").text
    counts = dict(re.findall(r'data-status="(\w+)">[^<]+: <b>(\d+)</b>', page))
    assert counts == {"complete": "0", "partial": "1", "weak": "0", "missing": "9"}
    assert page.count("<svg") == 0  # the matrix once, as the table
    row = page[page.index('<tr data-criterion="kesehatan">'):page.index('<tr data-criterion="pendidikan">')]
    # The immunisation report states its coverage (hasil) and what was done to reach it (proses).
    assert 'data-cell="proses">terpenuhi (1)' in row and 'data-cell="hasil">terpenuhi (1)' in row
    assert 'data-need="struktur"' in row and 'data-need="proses"' not in row  # asks only for what is missing
    assert "Perda/Perwal" in row  # the sample city enacts a Perwal, not a Perbup
    criterion = client.get("/kriteria/kesehatan").text
    assert "Hasil, Proses" in criterion and "Dinkes" in criterion


@pytest.mark.parametrize("url", ["/dokumen/..%2F..%2Fetc%2Fpasswd/asli", "/dokumen/%2Fetc%2Fpasswd/asli",
                                 "/dokumen/" + "0" * 64 + "/asli", "/dokumen/imunisasi.pdf/pratinjau.png",
                                 "/kriteria/..%2Fetc"])
def test_files_are_served_only_by_ledger_id(reviewed, url):
    assert _client(reviewed).get(url).status_code == 404


def test_post_without_the_form_token_is_refused(reviewed):
    client = _client(reviewed)
    sha = _sha(client, "kesehatan")
    data = {"action": "confirm", "criterion": "kesehatan", "reviewer": "Sari"}
    assert client.post(f"/dokumen/{sha}/tinjau", data=data).status_code == 403
    assert client.post(f"/dokumen/{sha}/tinjau", data={**data, "csrf": "forged"}).status_code == 403
    token = _csrf(client, sha)
    other_site = client.post(f"/dokumen/{sha}/tinjau", data={**data, "csrf": token},
                             headers={"origin": "http://evil.example"})
    assert other_site.status_code == 403
    assert Ledger(reviewed.database_url).reviews_of(sha) == []


def _reject(client, sha, **extra):
    data = {"csrf": _csrf(client, sha), "action": "reject", "criterion": "kesehatan", "reviewer": "Sari", **extra}
    return client.post(f"/dokumen/{sha}/tinjau", data=data, follow_redirects=False)


def test_rejection_takes_a_reason_and_a_confirmation(reviewed):
    client = _client(reviewed)
    sha = _sha(client, "kesehatan")
    confirm_page = client.get(f"/dokumen/{sha}/tolak?kriteria=kesehatan").text
    assert "Alasan penolakan" in confirm_page and "Ya, tolak sebagai bukti untuk Hak atas kesehatan" in confirm_page
    assert "wajib" in _reject(client, sha, note="", confirm="ya").text  # no reason
    assert "belum dikonfirmasi" in _reject(client, sha, note="bukan laporan kota").text  # not confirmed
    assert Ledger(reviewed.database_url).reviews_of(sha) == []
    assert _reject(client, sha, note="laporan provinsi, bukan kota", confirm="ya").status_code == 303
    (review,) = Ledger(reviewed.database_url).reviews_of(sha)
    assert (review.action, review.note) == ("reject", "laporan provinsi, bukan kota")
    assert "laporan provinsi, bukan kota" in client.get(f"/dokumen/{sha}").text


def test_rejection_wins_over_the_model_and_survives_reclassification(reviewed):
    client = _client(reviewed)
    sha = _sha(client, "kesehatan")
    assert _kesehatan_status(reviewed) == "partial"  # programme and outcome, no regulation
    assert _reject(client, sha, note="salah kirim", confirm="ya").status_code == 303
    assert _kesehatan_status(reviewed) == "missing"
    (review,) = Ledger(reviewed.database_url).reviews_of(sha)
    assert (review.reviewer, review.action, review.criterion, review.before, review.after) == (
        "Sari", "reject", "kesehatan", None, "false")
    assert review.created_at is not None
    model = load_model(reviewed.model_dir)
    model.card = {**model.card, "version": "criteria-next"}
    assert classify_documents(Ledger(reviewed.database_url), model) == 2
    assert _kesehatan_status(reviewed) == "missing"  # the reviewer's decision outlives the new model


def _current_form(client, sha) -> dict:
    """The review form as the page fills it (what a reviewer who changes nothing would send)."""
    page = client.get(f"/dokumen/{sha}").text
    form = page[page.index('id="review-form"'):page.index("</form>", page.index('id="review-form"'))]
    return {"csrf": _csrf(client, sha), "action": "save", "reviewer": "Budi",
            "types": re.findall(r'name="types" value="(\w+)" checked', form),
            "criteria": re.findall(r'name="criteria" value="(\w+)" checked', form),
            "date": re.search(r'name="date" id="date" size="10" value="([^"]*)"', form).group(1),
            "years": re.search(r'name="years" id="years" size="12" value="([^"]*)"', form).group(1)}


def test_the_form_shows_current_values_and_saves_only_what_changed(reviewed):
    client = _client(reviewed)
    sha = _sha(client, "kesehatan")
    form = _current_form(client, sha)
    assert form["types"] == ["proses", "hasil"] and form["criteria"] == ["kesehatan"]
    assert form["date"] == "2026-01-15" and form["years"] == "2025"
    assert client.post(f"/dokumen/{sha}/tinjau", data=form, follow_redirects=False).status_code == 303
    assert Ledger(reviewed.database_url).reviews_of(sha) == []  # nothing changed, nothing recorded
    r = client.post(f"/dokumen/{sha}/tinjau", data={**form, "types": ["hasil"]}, follow_redirects=False)
    assert r.status_code == 303
    (review,) = Ledger(reviewed.database_url).reviews_of(sha)
    assert (review.action, review.before, review.after) == ("type", None, '["hasil"]')
    assert _current_form(client, sha)["types"] == ["hasil"]


def test_change_criteria_types_dates_and_note(reviewed):
    client = _client(reviewed)
    sha = _sha(client, "kesehatan")
    form = {**_current_form(client, sha), "criteria": ["pendidikan"], "types": ["struktur", "hasil"],
            "date": "2023-05-02", "years": "2023", "note": "cek ulang"}
    assert client.post(f"/dokumen/{sha}/tinjau", data=form, follow_redirects=False).status_code == 303
    gaps = {c.id: c for c in build_gaps(Ledger(reviewed.database_url),
                                           persist.load_model(reviewed.model_dir).thresholds, 2025).criteria}
    assert gaps["kesehatan"].status == "missing"
    # The reviewer's types and dates win: enacted in 2023, in force in 2025 (struktur); hasil about 2023 is not.
    assert 'id="period-struktur">2023<' in client.get(f"/dokumen/{sha}").text
    pendidikan = gaps["pendidikan"]
    assert pendidikan.types["struktur"].status == "covered" and pendidikan.types["hasil"].status == "out-of-period"
    (entry,) = pendidikan.evidence
    assert entry.reviewed == "confirmed" and entry.types == ("struktur", "hasil") and entry.date == "2023-05-02"
    actions = [r.action for r in Ledger(reviewed.database_url).reviews_of(sha)]
    assert actions == ["criteria", "type", "dates", "note"]
    bad = client.post(f"/dokumen/{sha}/tinjau", data={**form, "reviewer": "", "note": "x"})
    assert "wajib" in bad.text  # no anonymous decisions


def test_password_is_required_off_loopback(reviewed):
    check_binding("127.0.0.1", "")
    check_binding("localhost", "")
    with pytest.raises(UnsafeBinding):
        check_binding("0.0.0.0", "")
    check_binding("0.0.0.0", "rahasia")
    client = _client(dataclasses.replace(reviewed, ui_password="rahasia"))
    assert client.get("/").status_code == 401
    auth = {"authorization": "Basic " + base64.b64encode(b"koordinator:rahasia").decode()}
    assert client.get("/", headers=auth).status_code == 200
    wrong = {"authorization": "Basic " + base64.b64encode(b"koordinator:salah").decode()}
    assert client.get("/", headers=wrong).status_code == 401


def _basic(password: str) -> dict:
    return {"authorization": "Basic " + base64.b64encode(f"koordinator:{password}".encode()).decode()}


def test_only_configured_host_names_are_served(reviewed):
    client = _client(reviewed)
    assert client.get("/").status_code == 200
    for host in ("localhost:8765", "[::1]:8765", "127.0.0.1"):
        assert client.get("/", headers={"host": host}).status_code == 200
    assert client.get("/", headers={"host": "attacker.example:8765"}).status_code == 400  # DNS rebinding
    lan = _client(dataclasses.replace(reviewed, ui_host="0.0.0.0", ui_allowed_hosts="bukti.pemkot.go.id"))
    assert lan.get("/", headers={"host": "bukti.pemkot.go.id"}).status_code == 200
    assert lan.get("/", headers={"host": "0.0.0.0:8765"}).status_code == 400


def test_any_utf8_password_works_or_fails_with_401_and_tries_are_limited(reviewed):
    client = _client(dataclasses.replace(reviewed, ui_password="kata sandi ñ ü 日本"))
    assert client.get("/", headers=_basic("kata sandi ñ ü 日本")).status_code == 200
    assert client.get("/", headers=_basic("sälah ✓")).status_code == 401
    for _ in range(9):
        assert client.get("/", headers=_basic("salah")).status_code == 401
    limited = client.get("/", headers=_basic("salah"))
    assert limited.status_code == 429 and limited.headers["retry-after"]
    assert client.get("/", headers=_basic("kata sandi ñ ü 日本")).status_code == 429  # even the right one waits
    ascii_only = _client(dataclasses.replace(reviewed, ui_password="rahasia"))
    assert ascii_only.get("/", headers=_basic("ñ")).status_code == 401
    garbage = {"authorization": "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode()}
    assert ascii_only.get("/", headers=garbage).status_code == 401


def test_ui_command_refuses_a_public_address_without_password(settings, monkeypatch, capsys):
    from flows.cli import main

    monkeypatch.setenv("BUKTI_HOME", str(settings.home))
    monkeypatch.delenv("BUKTI_UI_PASSWORD", raising=False)
    assert main(["ui", "--host", "0.0.0.0"]) == 2
    assert "BUKTI_UI_PASSWORD" in capsys.readouterr().err


def test_reviewed_documents_become_training_rows(reviewed):
    from pipeline.gaps.review import record_review
    from pipeline.training.reviews import reviewed_examples

    ledger = Ledger(reviewed.database_url)
    entries = {e.path: e for e in ledger.entries()}
    imunisasi, undangan = entries["dinkes/imunisasi.pdf"].sha256, entries["bapenda/undangan.pdf"].sha256
    record_review(ledger, imunisasi, "reject", "Sari", criterion="kesehatan", note="bukan kota ini")
    record_review(ledger, undangan, "confirm", "Sari", criterion="informasi")
    record_review(ledger, undangan, "note", "Sari", note="undangan saja")
    rows = {r.id: r for r in reviewed_examples(ledger)}
    assert {r.labels for r in rows.values()} == {(), ("informasi",)}
    assert all(r.source == "review" and r.split == "train" and r.weight == 10.0 for r in rows.values())


@pytest.mark.slow
@pytest.mark.corpus
def test_train_with_reviews_counts_them_in_the_card(reviewed, tmp_path):
    import gzip

    from pipeline.training.corpus import find_corpus
    from pipeline.gaps.review import record_review
    from pipeline.training.reviews import reviewed_examples
    from pipeline.training.train import train_model

    from .conftest import shared_path

    # Every 20th row of the corpus: what is tested is that reviewed rows reach the card, not the model's quality
    # (test_corpus.py trains on all of it), so this trains in seconds rather than minutes.
    full, corpus = find_corpus(shared_path("corpus")), tmp_path / "corpus"
    corpus.mkdir()
    for name in ("national.jsonl.gz", "local_titles.jsonl.gz"):
        with gzip.open(full / name, "rt") as rows, gzip.open(corpus / name, "wt") as sample:
            sample.writelines(row for i, row in enumerate(rows) if i % 20 == 0)
    ledger = Ledger(reviewed.database_url)
    sha = next(e.sha256 for e in ledger.entries() if e.path == "bapenda/undangan.pdf")
    record_review(ledger, sha, "confirm", "Sari", criterion="informasi")
    model, _ = train_model(corpus, progress=lambda _: None, extra=reviewed_examples(ledger))
    assert model.card["data"]["reviewed_documents"] == 1
    assert model.card["data"]["rows_by_label_source"]["review"] == 1


def test_document_page_with_a_reviewed_type_but_no_described_facts(reviewed):
    """A reviewer may type a document the rules never described (the model was missing that night)."""
    import sqlalchemy as sa

    from pipeline.ledger.ledger import document_facts
    from pipeline.gaps.review import record_review

    ledger = Ledger(reviewed.database_url)
    sha = ledger.entries()[0].sha256
    with ledger.begin() as conn:
        conn.execute(sa.delete(document_facts).where(document_facts.c.sha256 == sha))
    record_review(ledger, sha, "type", "tester", evidence_type="hasil")
    ledger.close()
    page = _client(reviewed).get(f"/dokumen/{sha}")
    assert page.status_code == 200
