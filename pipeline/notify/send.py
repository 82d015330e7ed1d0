"""Sending the pass's messages over SMTP, each state once.

TLS by default (STARTTLS on 587, or implicit TLS on 465), the certificate checked against the system's CAs or
`smtp_ca_file`. A message that fails is tried `smtp_retries` times with a growing pause, then reported and left
unrecorded, so the next pass tries it again; nothing here raises into the pass.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from pipeline.config import Settings
from pipeline.gaps.records import GapList
from pipeline.gaps.review import overrides
from pipeline.ledger.ledger import Ledger
from pipeline.notify.messages import Notice, coordinator_notice, opd_notice, rejected_files
from pipeline.opd import opd_table_for
from pipeline.portal.deadlines import calendar, opd_deadline
from pipeline.portal.view import progress

log = logging.getLogger(__name__)


@dataclass
class NotifyReport:
    sent: list[str] = field(default_factory=list)  # recipients
    unchanged: list[str] = field(default_factory=list)  # already told this state
    failed: list[str] = field(default_factory=list)  # "recipient: why"


def _message(settings: Settings, notice: Notice) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = notice.recipient  # the email package refuses a value with a line break
    msg["Subject"] = notice.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    msg.set_content(notice.body)  # text/plain, UTF-8
    return msg


def _connect(settings: Settings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=settings.smtp_ca_file or None)
    if settings.smtp_tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=30, context=context)
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
        if settings.smtp_tls == "starttls":
            smtp.starttls(context=context)
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password)
    return smtp


def send_notices(settings: Settings, ledger: Ledger, notices: list[Notice]) -> NotifyReport:
    report = NotifyReport()
    for notice in notices:
        if ledger.notice_sent(notice.recipient, notice.state):
            report.unchanged.append(notice.recipient)
            continue
        error = ""
        for attempt in range(max(1, settings.smtp_retries)):
            try:
                with _connect(settings) as smtp:
                    smtp.send_message(_message(settings, notice))
                ledger.record_notice(notice.recipient, notice.state)
                report.sent.append(notice.recipient)
                error = ""
                break
            except (OSError, smtplib.SMTPException, ValueError) as exc:  # ValueError: a malformed address
                error = f"{type(exc).__name__}: {exc}"
                log.warning("e-mail ke %s gagal (percobaan %d) / e-mail to %s failed (try %d): %s",
                            notice.recipient, attempt + 1, notice.recipient, attempt + 1, error)
                if attempt + 1 < settings.smtp_retries:
                    time.sleep(settings.smtp_retry_seconds * (2 ** attempt))
        if error:
            report.failed.append(f"{notice.recipient}: {error}")
    return report


def notify_after_pass(settings: Settings, ledger: Ledger, gaps: GapList, today: dt.date | None = None
                      ) -> NotifyReport:
    """Every OPD with an e-mail in the OPD table and something to be told, then the coordinator. Nothing when
    SMTP is not configured. Never raises: a pass must not fail for its mail."""
    if not settings.smtp_host or not settings.mail_from:
        return NotifyReport()
    try:
        today = today or dt.date.today()
        region = gaps.region
        table = opd_table_for(settings, region or None)
        due = opd_deadline(calendar(settings), today)
        decided = overrides(ledger, region)
        uploads = ledger.uploads_of(None, region)
        notices = []
        for opd in table.opds:
            if opd.email:
                notice = opd_notice(opd.id, opd.email, gaps,
                                    rejected_files([u for u in uploads if u.opd == opd.id], decided, gaps),
                                    due, today, settings.reminder_days, region)
                if notice:
                    notices.append(notice)
        report = send_notices(settings, ledger, notices)
        if settings.coordinator_email:
            summary = coordinator_notice(settings.coordinator_email, gaps, progress(gaps, uploads), due, today,
                                         report.failed)
            last = send_notices(settings, ledger, [summary])
            report.sent += last.sent
            report.unchanged += last.unchanged
            report.failed += last.failed
    except Exception as exc:  # noqa: BLE001 - reported, never raised into the pass
        log.error("pemberitahuan gagal / notifications failed: %s", exc)
        return NotifyReport(failed=[f"*: {type(exc).__name__}: {exc}"])
    for failure in report.failed:
        log.error("e-mail tidak terkirim, dicoba lagi pada putaran berikutnya / not sent, retried next pass: %s",
                  failure)
    return report
