"""What one OPD sees on its upload page, and each OPD's progress on the coordinator's.

An OPD sees its own open requests (the cells of the gap list it is the responsible desk for) and the fate of
every file it sent through the page: still waiting for the nightly pass, quarantined and why, read but counted
for nothing, counted as evidence for which criterion and type, rejected by a reviewer and why. Nothing here
reads another OPD's rows: every query is by the link's OPD.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.gaps.records import GapList, OpdRequest
from pipeline.gaps.review import Override
from pipeline.ledger.records import FileEntry, Upload

UNREAD = {"pending", None}
BAD = {"quarantined", "unsupported"}


@dataclass(frozen=True)
class Counted:
    criterion: str
    name: str
    name_en: str
    evidence_type: str


@dataclass(frozen=True)
class Rejection:
    criterion: str
    name: str
    name_en: str
    reason: str


@dataclass(frozen=True)
class Fate:
    """What became of one uploaded file. `state`: waiting | quarantined | read | counted | rejected (rejected
    when a reviewer turned it down for a criterion and it counts for none)."""
    state: str
    reason: str = ""  # the quarantine reason, Indonesian
    reason_en: str = ""
    counted: tuple[Counted, ...] = ()
    rejected: tuple[Rejection, ...] = ()


@dataclass(frozen=True)
class SentFile:
    upload: Upload
    fate: Fate
    answers: OpdRequest | None  # the request the OPD said it answers, when still open

    @property
    def superseded(self) -> bool:
        return self.upload.superseded_by is not None


@dataclass(frozen=True)
class OpdView:
    opd: str
    requests: tuple[OpdRequest, ...]
    sent: tuple[SentFile, ...]  # newest first


def _names(gaps: GapList) -> dict[str, tuple[str, str]]:
    return {c.id: (c.name, c.name_en) for c in gaps.criteria}


def fate_of(upload: Upload, entry: FileEntry | None, gaps: GapList, decided: Override | None) -> Fate:
    if entry is None or entry.status in UNREAD:
        return Fate("waiting")
    if entry.status in BAD or entry.document_status in BAD:
        return Fate("quarantined", entry.reason or "", entry.reason_en or "")
    names = _names(gaps)
    counted = tuple(Counted(c.id, c.name, c.name_en, t) for c in gaps.criteria for t, cell in c.types.items()
                    for e in cell.evidence
                    if e.sha256 == upload.sha256 and e.in_period and e.reviewed != "rejected"
                    and e.evidence_type == t)
    rejected = tuple(Rejection(c, *names.get(c, (c, c)), (decided.reasons.get(c, "") if decided else ""))
                     for c, ok in (decided.criteria.items() if decided else ()) if ok is False)
    if counted:
        return Fate("counted", counted=tuple(dict.fromkeys(counted)), rejected=rejected)
    if rejected:
        return Fate("rejected", rejected=rejected)
    return Fate("read")


def opd_view(opd: str, gaps: GapList, uploads: list[Upload], entries: dict[tuple[str, str | None], FileEntry],
             decided: dict[str, Override]) -> OpdView:
    """`uploads`: this OPD's only (the caller asks the ledger by the link's OPD); `entries` by (inbox path,
    sha256), sha256 None while the pass has not hashed the file yet."""
    requests = tuple(gaps.requests_by_opd().get(opd, ()))
    open_keys = {(r.criterion, r.evidence_type): r for r in requests}
    sent = tuple(SentFile(u, fate_of(u, entries.get((u.path, u.sha256)) or entries.get((u.path, None)), gaps,
                                  decided.get(u.sha256)),
                          open_keys.get((u.criterion, u.evidence_type)))
                 for u in uploads if u.opd == opd)
    return OpdView(opd, requests, sent)


@dataclass(frozen=True)
class OpdProgress:
    """One OPD's row on the coordinator's page: requests still open with nothing sent for them, requests
    answered by an upload that is not yet counted, and criterion x type cells its documents count for."""
    opd: str
    label: str
    open: int
    answered: int
    accepted: int

    @property
    def total(self) -> int:
        return self.open + self.answered + self.accepted


def progress(gaps: GapList, uploads: list[Upload]) -> list[OpdProgress]:
    """Every OPD of the table that is asked for something or has evidence counted, in the table's order."""
    live = {(u.opd, u.criterion, u.evidence_type) for u in uploads if u.superseded_by is None and u.criterion}
    by_opd = gaps.requests_by_opd()
    accepted: dict[str, set[tuple[str, str]]] = {}
    for c in gaps.criteria:
        for t, cell in c.types.items():
            for e in cell.evidence:
                if e.in_period and e.reviewed != "rejected" and e.evidence_type == t and cell.status == "covered":
                    owner = gaps.opds.of_folder(e.opd)
                    accepted.setdefault(owner.id if owner else e.opd, set()).add((c.id, t))
    rows = []
    for opd in [o.id for o in gaps.opds.opds] + sorted(set(by_opd) - {o.id for o in gaps.opds.opds}):
        asked = by_opd.get(opd, [])
        answered = sum(1 for r in asked if (opd, r.criterion, r.evidence_type) in live)
        done = len(accepted.get(opd, ()))
        if asked or done:
            rows.append(OpdProgress(opd, gaps.opd_label(opd), len(asked) - answered, answered, done))
    return rows
