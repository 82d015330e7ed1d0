"""The messages a pass would send, as typed records, each with the state it tells of.

A message's `state` is the sha256 of what it says that matters (the OPD's open requests, the rejections of its
files with their reasons, the deadline when it is near), not of its wording or the day: the ledger remembers
the states mailed to each recipient, so an unchanged OPD gets nothing the next night, and a deadline coming
within `reminder_days` is one new state, hence one reminder.

Plain text only: there is no HTML for a file name to break out of. Texts from outside the code pass `plain()`
(no control characters, so no header or line can be injected); addresses are checked by the email package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from pipeline.gaps.records import GapList
from pipeline.gaps.review import Override
from pipeline.i18n import headline, labels
from pipeline.ledger.records import Upload
from pipeline.letters.content import plain
from pipeline.portal.deadlines import Deadline
from pipeline.portal.view import OpdProgress
from pipeline.words import long_date


@dataclass(frozen=True)
class Notice:
    recipient: str
    subject: str
    body: str
    state: str


def _state(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class RejectedFile:
    name: str
    criterion: str  # the criterion's name
    reason: str


def rejected_files(uploads: list[Upload], decided: dict[str, Override], gaps: GapList) -> list[RejectedFile]:
    """An OPD's uploads (not superseded) a reviewer rejected for a criterion, with the reason given."""
    names = {c.id: c.name for c in gaps.criteria}
    out = []
    for u in uploads:
        o = decided.get(u.sha256)
        if u.superseded_by is None and o:
            out += [RejectedFile(plain(u.name), names.get(c, c), plain(o.reasons.get(c, "")))
                    for c, ok in o.criteria.items() if ok is False]
    return out


def opd_notice(opd_id: str, email: str, gaps: GapList, rejected: list[RejectedFile], due: Deadline | None,
               today: dt.date, reminder_days: int, region: str = "") -> Notice | None:
    """The OPD's message, or None when it has nothing to be told (no request, no rejection)."""
    requests = gaps.requests_by_opd().get(opd_id, [])
    if not requests and not rejected:
        return None
    L = labels("id")
    near = due if due and 0 <= due.days_left(today) <= reminder_days else None
    opd = gaps.opds.by_id(opd_id)
    name = plain(opd.name if opd else opd_id)
    lines = [f"Yth. Kepala {name},", "",
             f"Berikut keadaan data dukung Penilaian Kabupaten/Kota Peduli HAM tahun {gaps.assessment_year} "
             f"yang masih diminta dari {name}:", ""]
    for i, r in enumerate(requests, start=1):
        lines.append(f"{i}. {r.name} - {L[r.evidence_type]} ({L[r.status]}): {plain(gaps.opds.wording(r.need))}")
    if rejected:
        lines += ["", "Berkas yang ditolak peninjau:"]
        lines += [f"- {f.name}: ditolak untuk {f.criterion}. Alasan: {f.reason or '-'}" for f in rejected]
    if due:
        left = due.days_left(today)
        lines += ["", f"Tenggat: {long_date(due.date)} ({plain(due.name)}), {left} hari lagi."]
    lines += ["", "Silakan mengunggah berkas melalui tautan unggah OPD dari surat Bagian Hukum, atau meletakkannya "
              f"di folder kotak masuk {plain(opd.folder if opd else opd_id)}.", "", "Bagian Hukum",
              "(pesan otomatis bukti)"]
    subject = (f"Pengingat tenggat {long_date(due.date)}: " if near else "") + \
        f"Permintaan data dukung KKP HAM {gaps.assessment_year}"
    state = _state("opd", region, opd_id, [(r.criterion, r.evidence_type, r.status) for r in requests],
                   [(f.name, f.criterion, f.reason) for f in rejected], near.date if near else None)
    return Notice(email, subject, "\n".join(lines) + "\n", state)


def coordinator_notice(email: str, gaps: GapList, progress: list[OpdProgress], due: Deadline | None,
                       today: dt.date, failed: list[str]) -> Notice:
    """The coordinator's summary: the headline, each OPD's progress, the next deadline, and the OPDs whose
    message could not be sent this pass."""
    lines = [headline(gaps), ""]
    if due:
        lines += [f"Tenggat berikutnya: {long_date(due.date)} ({plain(due.name)}), {due.days_left(today)} hari lagi.",
                  ""]
    lines += ["Kemajuan per OPD (terbuka / sudah dijawab / bukti diterima):"]
    lines += [f"- {plain(p.label)}: {p.open} / {p.answered} / {p.accepted}" for p in progress]
    if failed:
        lines += ["", "Pesan yang gagal dikirim (dicoba lagi pada putaran berikutnya):"]
        lines += [f"- {plain(r)}" for r in failed]
    state = _state("coordinator", gaps.region, gaps.summary, [(p.opd, p.open, p.answered, p.accepted)
                                                                 for p in progress], due.date if due else None,
                   sorted(failed))
    return Notice(email, f"Ringkasan bukti dukung KKP HAM {gaps.assessment_year}", "\n".join(lines) + "\n", state)
