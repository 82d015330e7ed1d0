"""The document list (like paperless-ngx's): every file the ledger knows in the region, duplicates and quarantined
ones included, with search and filters, and the "perlu ditinjau" queue first.

The queue puts the weak band first (issue 15, item 5): a document whose score for a criterion is within that
criterion's `review_band` below the model's threshold, that no reviewer has decided yet. Per criterion, the one
closest to its threshold comes first, with its title block and why, and a one-click confirmation. These are
read from the gap list itself (its `weak` evidence), so the queue and the gap list cannot disagree, and a
confirmation counts as soon as the page reloads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pipeline.criteria import IDS, TYPES
from pipeline.gaps.records import DocumentRef, GapList
from pipeline.ledger.ledger import Ledger
from pipeline.ledger.records import FileEntry

UNREADABLE = ("quarantined", "unsupported")


@dataclass(frozen=True)
class QueueItem:
    criterion: str
    criterion_name: str
    threshold: float
    entry: DocumentRef

    @property
    def distance(self) -> float:
        return round(self.threshold - self.entry.confidence, 3)


def weak_band_queue(gaps: GapList, thresholds: dict[str, float]) -> list[QueueItem]:
    """Undecided documents just below a criterion's threshold: criteria in their order, and within each the
    closest to the threshold first (in-period ones before those that would not count this year)."""
    out = []
    for c in gaps.criteria:
        items = [QueueItem(c.id, c.name, thresholds[c.id], e) for e in c.evidence
                 if e.reviewed is None and e.confidence < thresholds[c.id]]
        out += sorted(items, key=lambda q: (not q.entry.in_period, q.distance, q.entry.path))
    return out


@dataclass
class DocumentRow:
    entry: FileEntry
    criteria: list[str] = field(default_factory=list)  # criteria it counts for (model or reviewer)
    weak: list[str] = field(default_factory=list)  # criteria it is in the weak band of
    types: tuple[str, ...] = ()
    reviewed: bool = False
    date: str | None = None

    @property
    def evidence(self) -> bool:
        return bool(self.criteria)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    opd: str = ""
    status: str = ""
    criterion: str = ""
    type: str = ""
    only: str = ""  # not-evidence | low-confidence | not-reviewed

    @classmethod
    def of(cls, params) -> Filters:
        def get(name: str, allowed=None) -> str:
            value = (params.get(name) or "").strip()[:200]
            return value if allowed is None or value in allowed else ""
        return cls(q=get("q"), opd=get("opd"), status=get("status"), criterion=get("kriteria", IDS),
                   type=get("jenis", TYPES), only=get("hanya", ("bukan-bukti", "ragu", "belum-ditinjau")))

    def active(self) -> bool:
        return any((self.q, self.opd, self.status, self.criterion, self.type, self.only))


def document_rows(ledger: Ledger, gaps: GapList, thresholds: dict[str, float], region: str | None
                  ) -> list[DocumentRow]:
    """Every file of the region (or the whole ledger), each with what the gap list makes of its content: the
    criteria it counts for (at or over the threshold, or confirmed) and those it is only in the weak band of."""
    entries = ledger.entries(region=region) if region is not None else ledger.entries()
    counted: dict[str, set[str]] = {}
    weak: dict[str, set[str]] = {}
    types: dict[str, tuple[str, ...]] = {}
    for c in gaps.criteria:
        for e in c.evidence:
            types[e.sha256] = e.types
            strong = e.reviewed == "confirmed" or e.confidence >= thresholds[c.id]
            (counted if strong else weak).setdefault(e.sha256, set()).add(c.id)
    facts = ledger.all_facts()
    reviewed = {r.sha256 for r in (ledger.reviews_of() if region is None else ledger.reviews_of(region=region))}
    rows = []
    for e in entries:
        sha = e.sha256 or ""
        fact = facts.get(sha)
        fact_types = tuple(json.loads(fact.evidence_types) if fact.evidence_types else [fact.evidence_type]) \
            if fact else ()
        through = sha if e.status != "duplicate" else ""  # a duplicate counts once, through its original
        rows.append(DocumentRow(
            entry=e, criteria=[c for c in IDS if c in counted.get(through, set())],
            weak=[c for c in IDS if c in weak.get(through, set())],
            types=types.get(sha) or fact_types, reviewed=sha in reviewed,
            date=fact.doc_date.isoformat() if fact and fact.doc_date else None))
    return rows


def apply_filters(rows: list[DocumentRow], filters: Filters, found_in_text: set[str] | None) -> list[DocumentRow]:
    out = []
    words = filters.q.casefold()
    for row in rows:
        e = row.entry
        if words and words not in e.path.casefold() and (e.sha256 or "") not in (found_in_text or set()):
            continue
        if filters.opd and e.opd != filters.opd:
            continue
        if filters.status and e.status != filters.status:
            continue
        if filters.criterion and filters.criterion not in row.criteria + row.weak:
            continue
        if filters.type and filters.type not in row.types:
            continue
        if filters.only == "bukan-bukti" and (row.evidence or e.status != "processed"):
            continue
        if filters.only == "ragu" and not row.weak:
            continue
        if filters.only == "belum-ditinjau" and (row.reviewed or e.sha256 is None):
            continue
        out.append(row)
    # Files that need a look first: unreadable ones, then the weak band, then the rest by path.
    return sorted(out, key=lambda r: (r.entry.status not in UNREADABLE, not r.weak, r.entry.path))
