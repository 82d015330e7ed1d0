"""E-mail after a pass (issue 16), against a real local SMTP server (aiosmtpd) speaking STARTTLS with a
certificate made for the test: one message per OPD that has requests, parsed back; a rejection's reason in the
OPD's next message; nothing sent twice for the same state; a reminder when the deadline comes near; the
coordinator's summary; a server that is down is reported and retried on the next pass, and the pass succeeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import hashlib
import json
import ssl
import threading

import pytest

from pipeline.gaps.review import record_review
from pipeline.ledger.ledger import Ledger
from pipeline.process import process_inbox
from pipeline.words import long_date

from .conftest import ROOT
from .makers import digital_pdf
from .test_browser import _free_port

pytestmark = pytest.mark.usefixtures("keyword_classifier")


def _certificate(folder):
    """A self-signed certificate for 127.0.0.1 and localhost (the client trusts it as `smtp_ca_file`)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp.crt", folder / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Inbox:
    """aiosmtpd's handler: every message as the server received it, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(tmp_path):
    from aiosmtpd.controller import Controller

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    yield inbox, port, cert
    controller.stop()


@pytest.fixture
def city(reviewed, tmp_path):
    """The reviewed city with e-mail addresses in its OPD table and a deadline 30 days away."""
    table = (ROOT / "pipeline" / "opd.toml").read_text(encoding="utf-8")
    table = table.replace('folder = "dinkes"', 'folder = "dinkes"\nemail = "dinkes@sukamaju.go.id"')
    table = table.replace('folder = "dindukcapil"', 'folder = "dindukcapil"\nemail = "capil@sukamaju.go.id"')
    (tmp_path / "opd.toml").write_text(table, encoding="utf-8")
    due = dt.date.today() + dt.timedelta(days=30)
    return dataclasses.replace(reviewed, opd_file=str(tmp_path / "opd.toml"), mail_from="bukti@sukamaju.go.id",
                               coordinator_email="hukum@sukamaju.go.id", smtp_tls="starttls",
                               deadlines=json.dumps([{"date": due.isoformat(), "name": "Batas OPD", "opd": True}]))


def _with_server(settings, port, cert):
    return dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=port, smtp_ca_file=str(cert))


def test_each_opd_and_the_coordinator_get_one_message_over_starttls(city, smtp):
    inbox, port, cert = smtp
    summary = process_inbox(_with_server(city, port, cert))
    assert sorted(summary.mail_sent) == ["capil@sukamaju.go.id", "dinkes@sukamaju.go.id", "hukum@sukamaju.go.id"]
    capil = inbox.to("capil@sukamaju.go.id")
    assert len(capil) == 1
    message = capil[0]
    assert message["From"] == "bukti@sukamaju.go.id"
    assert message["Subject"] == "Permintaan data dukung KKP HAM 2025"
    body = message.get_content()
    assert "Hak atas kependudukan" in body and "Tenggat:" in body and "30 hari lagi" in body
    summary_body = inbox.to("hukum@sukamaju.go.id")[0].get_content()
    assert "Kemajuan per OPD" in summary_body and "Dindukcapil" in summary_body


def test_nothing_is_sent_twice_for_the_same_state_and_a_rejection_travels(city, smtp):
    inbox, port, cert = smtp
    settings = _with_server(city, port, cert)
    process_inbox(settings)
    again = process_inbox(settings)
    assert again.mail_sent == [] and len(inbox.messages) == 3

    # A file dindukcapil sent through its page, rejected with a reason: its next message says why.
    ledger = Ledger(settings.database_url)
    from pipeline.opd import opd_table_for
    from pipeline.portal.links import issue_link

    link = issue_link(ledger, opd_table_for(settings), "dindukcapil", "http://x").link
    path = digital_pdf(settings.inbox / "dindukcapil" / "akta <lama>.pdf",
                       (ROOT / "samples" / "texts" / "laporan-akta-kelahiran.txt").read_text())
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    ledger.add_upload(link, "akta <lama>.pdf", "dindukcapil/akta <lama>.pdf", sha, path.stat().st_size, "10.0.0.9")
    process_inbox(settings)
    record_review(ledger, sha, "reject", "Sari", criterion="kependudukan", note="Data tahun 2023,\r\nBcc: x@y.z")
    before = len(inbox.to("capil@sukamaju.go.id"))
    process_inbox(settings)
    newest = inbox.to("capil@sukamaju.go.id")[before:]
    assert len(newest) == 1
    body = newest[-1].get_content()
    assert "akta <lama>.pdf: ditolak untuk Hak atas kependudukan" in body
    assert "Alasan: Data tahun 2023, Bcc: x@y.z" in body  # one line: nothing reaches the headers
    assert newest[-1]["Bcc"] is None


def test_a_near_deadline_is_one_reminder(city, smtp):
    inbox, port, cert = smtp
    settings = _with_server(city, port, cert)
    process_inbox(settings)
    near = dt.date.today() + dt.timedelta(days=5)
    settings = dataclasses.replace(settings, reminder_days=7, deadlines=json.dumps(
        [{"date": near.isoformat(), "name": "Batas OPD", "opd": True}]))
    assert "dinkes@sukamaju.go.id" in process_inbox(settings).mail_sent
    assert "dinkes@sukamaju.go.id" not in process_inbox(settings).mail_sent
    # strip(): a subject longer than a line is folded right after "Subject:", and unfolding keeps the space.
    subjects = [m["Subject"].strip() for m in inbox.to("dinkes@sukamaju.go.id")]
    assert subjects[0] == "Permintaan data dukung KKP HAM 2025"
    assert [s for s in subjects if s.startswith("Pengingat tenggat")] == [
        f"Pengingat tenggat {long_date(near)}: Permintaan data dukung KKP HAM 2025"]


def test_a_server_that_is_down_is_reported_and_retried_and_the_pass_succeeds(city, smtp, caplog):
    inbox, port, cert = smtp
    down = dataclasses.replace(_with_server(city, _free_port(), cert), smtp_retries=2, smtp_retry_seconds=0.05)
    summary = process_inbox(down)  # no exception
    assert summary.gaps is not None and summary.mail_sent == []
    assert {f.split(":")[0] for f in summary.mail_failed} == {"capil@sukamaju.go.id", "dinkes@sukamaju.go.id",
                                                              "hukum@sukamaju.go.id"}
    assert "dicoba lagi pada putaran berikutnya" in caplog.text
    later = process_inbox(_with_server(city, port, cert))
    assert sorted(later.mail_sent) == ["capil@sukamaju.go.id", "dinkes@sukamaju.go.id", "hukum@sukamaju.go.id"]


def test_implicit_tls_and_a_certificate_not_trusted_is_a_failure(city, tmp_path):
    from aiosmtpd.controller import Controller

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        settings = dataclasses.replace(_with_server(city, port, cert), smtp_tls="ssl")
        assert "hukum@sukamaju.go.id" in process_inbox(settings).mail_sent
        (tmp_path / "lain").mkdir()
        other, _ = _certificate(tmp_path / "lain")  # another certificate: the server's is not trusted
        untrusted = dataclasses.replace(settings, smtp_ca_file=str(other), smtp_retries=1,
                                        coordinator_email="lain@sukamaju.go.id")
        failed = process_inbox(untrusted).mail_failed
        assert failed and all("CERTIFICATE_VERIFY_FAILED" in f for f in failed)
    finally:
        controller.stop()
