"""One document on the review page: its current values (what the gap list uses now: the reviewer's where set,
else the rules' and the model's), and what a saved review form changed against them.

The form shows those current values, and saving records only what differs from them: a reviewer who changes the
type records a type review and nothing else (issue 18: the form used to start on Struktur and retype documents).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from pipeline.criteria import IDS, TYPES, Criterion
from pipeline.describe.dates import Dates
from pipeline.describe.evidence import in_period, period_of
from pipeline.gaps.review import Override
from pipeline.words import confidence_words, say, why_words


@dataclass(frozen=True)
class Current:
    """What the gap list uses for a document now."""
    criteria: frozenset[str]  # counted: confirmed, or over the threshold and not rejected
    types: tuple[str, ...]
    types_by_reviewer: bool
    type_reason: str
    date: dt.date | None
    years: tuple[int, ...]
    own_number_year: int | None


def current_values(scores: dict, thresholds: dict[str, float], facts, decided: Override | None) -> Current:
    decided = decided or Override()
    chosen = frozenset(c for c in IDS if decided.criteria.get(c, bool(scores.get(c) and
                                                                      scores[c].confidence >= thresholds[c])))
    if decided.evidence_types:
        types, by_reviewer, reason = decided.evidence_types, True, ""
    elif facts is not None:
        types = tuple(json.loads(facts.evidence_types)) if facts.evidence_types else (facts.evidence_type,)
        by_reviewer, reason = False, facts.type_reason
    else:
        types, by_reviewer, reason = (), False, ""
    if decided.years is not None:
        date, years, own = decided.date, decided.years, None
    elif facts is not None:
        date, years, own = facts.doc_date, tuple(json.loads(facts.years or "[]")), facts.own_number_year
    else:
        date, years, own = None, (), None
    return Current(chosen, types, by_reviewer, reason, date, years, own)


def periods(current: Current, assessment_year: int, lang: str) -> list[dict]:
    """Per type it is evidence of: the period the rules read and whether it counts this year, in words."""
    dates = Dates(current.date, current.years, current.own_number_year)
    out = []
    for t in current.types or ("proses",):
        counts, why = in_period(t, dates, assessment_year)
        out.append({"type": t, "years": period_of(t, dates), "counts": counts, "reason": say(why, lang)})
    return out


def criterion_rows(criteria: dict[str, Criterion], scores: dict, thresholds: dict[str, float],
                   decided: Override | None, lang: str) -> list[dict]:
    rows = []
    for cid in IDS:
        r, c = scores.get(cid), criteria[cid]
        decision = decided.criteria.get(cid) if decided else None
        why = json.loads(r.explanation) if r and r.explanation else None
        rows.append({"id": cid, "name": c.name if lang == "id" else c.name_en, "decision": decision,
                     "assigned": bool(r and r.confidence >= thresholds[cid]),
                     "words": confidence_words(r.confidence, thresholds[cid], c.review_band, lang, decision)
                     if r else "-",
                     "why": why_words(why, lang) if r and (r.confidence >= thresholds[cid] - c.review_band
                                                           or decision) else "",
                     "reason": (decided.reasons.get(cid) if decided else None) or ""})
    return rows


@dataclass(frozen=True)
class Change:
    action: str
    values: dict


def form_changes(current: Current, criteria: list[str], types: list[str], date: str, years: str,
                 note: str) -> list[Change]:
    """The reviews a saved form means: one per field whose value differs from the current one."""
    out = []
    if set(criteria) != set(current.criteria):
        out.append(Change("criteria", {"criteria": [c for c in IDS if c in criteria]}))
    if set(types) != set(current.types):
        out.append(Change("type", {"evidence_type": [t for t in TYPES if t in types]}))
    year_list = sorted({int(y) for y in re.findall(r"\d{4}", years or "")})
    shown_date = current.date.isoformat() if current.date else ""
    if (date or "").strip() != shown_date or year_list != sorted(current.years):
        out.append(Change("dates", {"date": (date or "").strip() or None, "years": year_list}))
    if (note or "").strip():
        out.append(Change("note", {"note": note.strip()}))
    return out
