"""The OPD upload page (issue 16): secret links stored hashed and revocable, files into the inbox atomically with
their names and an audit row, limits before storing, one OPD sees only its own, CSRF, the Host allowlist, the
rate limit, and what became of each file after the nightly pass (counted, quarantined, rejected with its
reason, superseded by a new upload)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from pipeline.gaps.review import record_review
from pipeline.ledger.ledger import Ledger
from pipeline.ledger.schema import opd_links, uploads
from pipeline.opd import opd_table_for
from pipeline.portal.links import issue_link
from pipeline.process import process_inbox
from review.app import create_app

from .conftest import ROOT
from .makers import digital_pdf

pytestmark = pytest.mark.usefixtures("keyword_classifier")
TEXTS = ROOT / "samples" / "texts"


def _pdf_bytes(tmp_path, text: str, name: str = "x.pdf") -> bytes:
    return digital_pdf(tmp_path / "made" / name, text).read_bytes()


def _link(settings, opd: str) -> str:
    ledger = Ledger(settings.database_url)
    try:
        return issue_link(ledger, opd_table_for(settings), opd, "http://127.0.0.1:8765").token
    finally:
        ledger.close()


def _gaps(settings):
    from pipeline.classify.persist import load_model
    from pipeline.process import judge_documents

    ledger = Ledger(settings.database_url)
    try:
        return judge_documents(ledger, load_model(settings.model_dir, settings.trust_file),
                               settings.assessment_year, opds=opd_table_for(settings))[1]
    finally:
        ledger.close()


def _client(settings) -> TestClient:
    return TestClient(create_app(settings), base_url="http://127.0.0.1:8765")


def _csrf(client, token) -> str:
    page = client.get(f"/unggah/{token}")
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _send(client, token, files, request: str = "", csrf: str | None = None, json=True):
    data = {"csrf": _csrf(client, token) if csrf is None else csrf, "permintaan": request}
    headers = {"Accept": "application/json"} if json else {}
    return client.post(f"/unggah/{token}", data=data, headers=headers,
                       files=[("berkas", (name, io.BytesIO(body), "application/octet-stream")) for name, body in files])


def test_the_link_is_stored_only_as_its_hash_and_revoking_closes_the_page(cli_env, capsys):
    from flows.cli import main

    assert main(["opd", "link", "Dinkes"]) == 0
    url = capsys.readouterr().out.strip().splitlines()[-1]
    token = url.rsplit("/unggah/", 1)[1]
    ledger = Ledger(cli_env.database_url)
    with ledger.begin() as conn:
        rows = conn.execute(sa.select(opd_links)).all()
    assert [(r.opd, r.token_sha256) for r in rows] == [("dinkes", hashlib.sha256(token.encode()).hexdigest())]
    assert token.encode() not in (cli_env.home / "bukti.sqlite3").read_bytes()
    client = _client(cli_env)
    assert client.get(f"/unggah/{token}").status_code == 200
    assert main(["opd", "link", "dinkes", "--revoke"]) == 0
    assert client.get(f"/unggah/{token}").status_code == 404


def test_a_new_link_revokes_the_old_one(settings):
    old, new = _link(settings, "dinkes"), _link(settings, "dinkes")
    client = _client(settings)
    assert client.get(f"/unggah/{old}").status_code == 404
    assert client.get(f"/unggah/{new}").status_code == 200


def test_two_files_land_in_the_inbox_under_their_names_and_are_logged(settings, tmp_path):
    token = _link(settings, "dinkes")
    body = _pdf_bytes(tmp_path, (TEXTS / "laporan-imunisasi.txt").read_text())
    (settings.inbox / "dinkes").mkdir()
    (settings.inbox / "dinkes" / "laporan.pdf").write_bytes(b"%PDF-1.4 already here")
    answer = _send(_client(settings), token, [("laporan.pdf", body), ("Laporan Imunisasi 2025.pdf", body)])
    assert answer.json() == {"stored": ["laporan (2).pdf", "Laporan Imunisasi 2025.pdf"], "refused": []}
    assert (settings.inbox / "dinkes" / "laporan.pdf").read_bytes() == b"%PDF-1.4 already here"  # not overwritten
    assert (settings.inbox / "dinkes" / "laporan (2).pdf").read_bytes() == body
    assert sorted(p.name for p in (settings.inbox / "dinkes").iterdir()) == [
        "Laporan Imunisasi 2025.pdf", "laporan (2).pdf", "laporan.pdf"]  # no temporary file left
    ledger = Ledger(settings.database_url)
    with ledger.begin() as conn:
        rows = conn.execute(sa.select(uploads).order_by(uploads.c.id)).all()
    assert [(r.opd, r.name, r.path, r.sha256, r.size, r.address) for r in rows] == [
        ("dinkes", "laporan.pdf", "dinkes/laporan (2).pdf", hashlib.sha256(body).hexdigest(), len(body),
         "testclient"),
        ("dinkes", "Laporan Imunisasi 2025.pdf", "dinkes/Laporan Imunisasi 2025.pdf",
         hashlib.sha256(body).hexdigest(), len(body), "testclient")]
    assert all(r.uploaded_at is not None for r in rows)


@pytest.mark.parametrize("name, body, why", [
    ("halaman.html", b"<html><script>alert(1)</script></html>", "jenis berkas tidak diterima"),
    ("menyamar.pdf", b"<html><script>alert(1)</script></html>", "isi berkas bukan PDF"),
    ("kosong.pdf", b"", "berkas kosong"),
    ("besar.pdf", b"%PDF-1.4 " + b"0" * 3000, "terlalu besar"),
])
def test_files_over_the_limits_are_refused_and_nothing_is_stored(settings, name, body, why):
    settings = dataclasses.replace(settings, upload_max_bytes=2000)
    token = _link(settings, "dinkes")
    answer = _send(_client(settings), token, [(name, body)]).json()
    assert answer["stored"] == [] and why in answer["refused"][0]["id"]
    folder = settings.inbox / "dinkes"
    assert not folder.exists() or not any(folder.iterdir())  # no temporary file left either
    ledger = Ledger(settings.database_url)
    assert ledger.uploads_of("dinkes") == []


def test_a_post_without_the_form_token_is_refused(settings, tmp_path):
    token = _link(settings, "dinkes")
    client = _client(settings)
    answer = _send(client, token, [("a.pdf", _pdf_bytes(tmp_path, "x"))], csrf="palsu")
    assert answer.status_code == 403
    assert not (settings.inbox / "dinkes").exists()


def test_an_unknown_host_is_refused_on_the_upload_page_too(settings):
    token = _link(settings, "dinkes")
    client = TestClient(create_app(settings), base_url="http://evil.example:8765")
    assert client.get(f"/unggah/{token}").status_code == 400


def test_the_upload_page_needs_no_password_but_is_rate_limited(settings):
    settings = dataclasses.replace(settings, ui_password="rahasia", upload_rate_per_minute=5)
    token = _link(settings, "dinkes")
    client = _client(settings)
    assert client.get("/").status_code == 401  # the coordinator's pages keep their password
    codes = [client.get(f"/unggah/{token}").status_code for _ in range(5)]
    assert codes == [200] * 5
    assert client.get(f"/unggah/{token}").status_code == 429


def test_guessing_links_counts_against_the_limit(settings):
    settings = dataclasses.replace(settings, upload_rate_per_minute=5)
    token = _link(settings, "dinkes")
    client = _client(settings)
    assert [client.get(f"/unggah/tebakan{i}").status_code for i in range(5)] == [404] * 5
    assert client.get(f"/unggah/{token}").status_code == 429  # even the right link, from this client


def test_an_opd_sees_its_own_requests_and_files_only(reviewed, tmp_path):
    dinkes, bapenda = _link(reviewed, "dinkes"), _link(reviewed, "bapenda")
    client = _client(reviewed)
    _send(client, bapenda, [("rahasia-bapenda.pdf", _pdf_bytes(tmp_path, "pajak daerah"))])
    page = client.get(f"/unggah/{dinkes}").text
    assert "rahasia-bapenda" not in page and "undangan" not in page
    asked = set(re.findall(r'data-request="([^"]+)"', page))
    own = {f"{r.criterion}:{r.evidence_type}" for r in _gaps(reviewed).requests_by_opd()["dinkes"]}
    assert asked == own and own
    assert "rahasia-bapenda.pdf" in client.get(f"/unggah/{bapenda}").text


def test_a_file_name_never_reaches_the_page_unescaped(settings, tmp_path):
    token = _link(settings, "dinkes")
    client = _client(settings)
    _send(client, token, [('<img src=x onerror=alert(1)>.pdf', _pdf_bytes(tmp_path, "x"))])
    page = client.get(f"/unggah/{token}").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.pdf" in page


def test_after_the_pass_the_opd_sees_counted_rejected_and_superseded(reviewed, tmp_path):
    token = _link(reviewed, "dindukcapil")
    client = _client(reviewed)
    page = client.get(f"/unggah/{token}").text
    request = next(k for k in re.findall(r'data-request="([^"]+)"', page) if k.startswith("kependudukan"))
    akta = _pdf_bytes(tmp_path, (TEXTS / "laporan-akta-kelahiran.txt").read_text(), "akta.pdf")
    _send(client, token, [("akta 2025.pdf", akta), ("rusak.pdf", b"%PDF-1.4 rusak")], request=request)
    page = client.get(f"/unggah/{token}").text
    assert set(re.findall(r'data-fate="(\w+)"', page)) == {"waiting"}

    process_inbox(reviewed)
    page = client.get(f"/unggah/{token}").text
    fates = dict(re.findall(r'<tr data-upload="\d+" data-fate="(\w+)"[^>]*>\s*<td>([^<]+)</td>', page))
    assert fates == {"counted": "akta 2025.pdf", "quarantined": "rusak.pdf"}
    counted = re.search(r'data-fate="counted".*?</tr>', page, re.S).group(0)
    assert "dihitung sebagai bukti untuk" in counted and "Hak atas kependudukan" in counted

    ledger = Ledger(reviewed.database_url)
    sha = hashlib.sha256(akta).hexdigest()
    record_review(ledger, sha, "reject", "Sari", criterion="kependudukan", note="Laporan <tahun lalu> & salah")
    page = client.get(f"/unggah/{token}").text
    assert 'data-fate="rejected"' in page and "Laporan &lt;tahun lalu&gt; &amp; salah" in page

    _send(client, token, [("akta baru.pdf", _pdf_bytes(tmp_path, "akta kelahiran 2025 baru", "b.pdf"))],
          request=request)
    rows = ledger.uploads_of("dindukcapil")
    first = next(u for u in rows if u.name == "akta 2025.pdf")
    newest = next(u for u in rows if u.name == "akta baru.pdf")
    assert first.superseded_by == newest.id and newest.superseded_by is None
    page = client.get(f"/unggah/{token}").text
    assert "digantikan kiriman yang lebih baru" in page and "akta 2025.pdf" in page  # history kept


def test_a_post_larger_than_the_page_takes_is_refused_before_it_is_read(settings):
    settings = dataclasses.replace(settings, upload_max_bytes=1000)  # 20 files of 1000 bytes: 20,000 a post
    token = _link(settings, "dinkes")
    client = _client(settings)
    csrf = _csrf(client, token)
    big = client.post(f"/unggah/{token}", data={"csrf": csrf},
                      files=[("berkas", ("a.pdf", io.BytesIO(b"%PDF-1.4" + b"0" * 30_000), "application/pdf"))])
    assert big.status_code == 413
    assert not (settings.inbox / "dinkes").exists()


def test_in_a_province_files_land_in_the_regions_folder_of_the_opd(settings, tmp_path):
    settings = dataclasses.replace(settings, inbox_layout="region/opd")
    ledger = Ledger(settings.database_url)
    token = issue_link(ledger, opd_table_for(settings, "kota-sukamaju"), "dinkes", "http://x",
                       region="kota-sukamaju").token
    ledger.close()
    answer = _send(_client(settings), token, [("laporan.pdf", _pdf_bytes(tmp_path, "laporan imunisasi"))])
    assert answer.json()["stored"] == ["laporan.pdf"]
    assert (settings.inbox / "kota-sukamaju" / "dinkes" / "laporan.pdf").is_file()
    assert [u.region for u in Ledger(settings.database_url).uploads_of("dinkes", "kota-sukamaju")] == [
        "kota-sukamaju"]
