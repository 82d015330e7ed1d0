"""After a pass has its gap lists: the request letters (rewritten only when the requests changed) and the
e-mails (each state once). Both are for people, not for the ledger: whatever goes wrong here is logged and
reported in the pass's summary, and the pass still succeeds."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipeline.config import Settings
from pipeline.gaps.records import GapList
from pipeline.ledger.ledger import Ledger

log = logging.getLogger(__name__)


@dataclass
class FollowUp:
    letters: list[str] = field(default_factory=list)
    mail_sent: list[str] = field(default_factory=list)
    mail_failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def follow_up(settings: Settings, ledger: Ledger, gap_lists: list[GapList]) -> FollowUp:
    from pipeline.letters.write import write_letters
    from pipeline.notify.send import notify_after_pass

    out = FollowUp()
    for gaps in gap_lists:
        try:
            if settings.nightly_letters:
                out.letters += [str(p) for p in write_letters(settings, gaps)]
        except Exception as exc:  # noqa: BLE001 - a letter that cannot be written must not fail the pass
            log.error("surat tidak dapat ditulis / letters not written (%s): %s", gaps.region or "-", exc)
            out.errors.append(f"letters {gaps.region}: {type(exc).__name__}: {exc}")
        report = notify_after_pass(settings, ledger, gaps)
        out.mail_sent += report.sent
        out.mail_failed += report.failed
    return out
