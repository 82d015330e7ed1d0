"""Reviewer decisions: recorded in the ledger with who, when, before and after; they win over the model.

Decisions are keyed by content (sha256), never by classification rows, so they survive reclassification and
model updates. The latest decision on a criterion, type or dates wins. A decision belongs to the region it was
taken in: the same content filed by two regions is judged by each region's reviewers apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.criteria import IDS
from pipeline.describe.evidence import TYPES
from pipeline.ledger.ledger import Ledger

ACTIONS = ("confirm", "reject", "criteria", "type", "dates", "note")


class ReviewError(ValueError):
    pass


@dataclass
class Override:
    criteria: dict[str, bool] = field(default_factory=dict)  # True: confirmed evidence; False: rejected
    evidence_types: tuple[str, ...] | None = None  # every type it is evidence of, as the reviewer set them
    date: dt.date | None = None
    years: tuple[int, ...] | None = None
    reasons: dict[str, str] = field(default_factory=dict)  # criterion -> the reason given with a rejection

    @property
    def evidence_type(self) -> str | None:
        """The first of the reviewer's types (the document's own kind when they kept it)."""
        return self.evidence_types[0] if self.evidence_types else None


def _types(after: object) -> tuple[str, ...]:
    # A "type" review stores the list of types; reviews before issue 18 stored one type as a string.
    chosen = [after] if isinstance(after, str) else list(after or [])
    return tuple(t for t in TYPES if t in chosen) if chosen else ()


def overrides(ledger: Ledger, region: str | None = None) -> dict[str, Override]:
    """sha256 -> the reviewers' current decisions; with `region`, only that region's reviewers'."""
    import json

    out: dict[str, Override] = {}
    for r in ledger.reviews_of() if region is None else ledger.reviews_of(region=region):
        o = out.setdefault(r.sha256, Override())
        after = json.loads(r.after) if r.after else None
        if r.action == "confirm":
            o.criteria[r.criterion] = True
        elif r.action == "reject":
            o.criteria[r.criterion] = False
            if r.note:
                o.reasons[r.criterion] = r.note
        elif r.action == "criteria":
            o.criteria = {c: c in after for c in IDS}
        elif r.action == "type":
            o.evidence_types = _types(after) or None
        elif r.action == "dates":
            o.date = dt.date.fromisoformat(after["date"]) if after.get("date") else None
            o.years = tuple(after.get("years") or ())
    return out


def record_review(ledger: Ledger, sha256: str, action: str, reviewer: str, *, criterion: str | None = None,
                  criteria: list[str] | None = None, evidence_type: str | list[str] | None = None,
                  date: str | None = None, years: list[int] | None = None, note: str | None = None,
                  region: str = "") -> None:
    """Validate and store one reviewer action, with the value before it, in `region` ("" for a single region).

    `evidence_type` for the "type" action: one type or a list (a report of a programme that states its outcome
    is proses and hasil); stored as the list, in the assessment's order. A rejection needs its reason (`note`)."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewError("nama peninjau wajib diisi / reviewer name is required")
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}")
    if ledger.document(sha256) is None:
        raise ReviewError("dokumen tidak ada / no such document")
    current = overrides(ledger, region).get(sha256, Override())

    def add_review(*args, **kwargs) -> None:
        ledger.add_review(*args, region=region, **kwargs)

    if action in ("confirm", "reject"):
        if criterion not in IDS:
            raise ReviewError(f"unknown criterion {criterion!r}")
        if action == "reject" and not (note or "").strip():
            raise ReviewError("alasan penolakan wajib diisi / a rejection needs its reason")
        add_review(sha256, action, reviewer, criterion=criterion, before=current.criteria.get(criterion),
                   after=action == "confirm", note=note)
    elif action == "criteria":
        chosen = sorted(set(criteria or []), key=IDS.index) if set(criteria or []) <= set(IDS) else None
        if chosen is None:
            raise ReviewError("unknown criterion in the list")
        add_review(sha256, action, reviewer, before=current.criteria or None, after=chosen, note=note)
    elif action == "type":
        chosen = [evidence_type] if isinstance(evidence_type, str) else list(evidence_type or [])
        if not chosen or not set(chosen) <= set(TYPES):
            raise ReviewError(f"jenis harus salah satu dari / type must be among {', '.join(TYPES)}")
        add_review(sha256, action, reviewer, before=list(current.evidence_types) if current.evidence_types else None,
                   after=[t for t in TYPES if t in chosen], note=note)
    elif action == "dates":
        try:
            parsed = dt.date.fromisoformat(date).isoformat() if date else None
        except ValueError as exc:
            raise ReviewError("tanggal harus YYYY-MM-DD / date must be YYYY-MM-DD") from exc
        after = {"date": parsed, "years": sorted(set(int(y) for y in years or []))}
        before = {"date": current.date.isoformat() if current.date else None, "years": list(current.years or ())}
        add_review(sha256, action, reviewer, before=before, after=after, note=note)
    else:
        if not (note or "").strip():
            raise ReviewError("catatan kosong / the note is empty")
        add_review(sha256, "note", reviewer, note=note.strip())
