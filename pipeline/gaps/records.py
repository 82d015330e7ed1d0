"""The gap list as typed records: what `build_gaps` returns and every output reads (reports, the review page,
the command line, the Prefect artifacts).

`GapList.as_json()` is the one serialisation, and its shape is the public one (`bukti gaps --format json`, the
flow's result); `GapList.from_json()` reads it back, for callers that receive a flow's result as a dict. The
region a list belongs to is an attribute, not part of the JSON: a region's list has exactly the shape of a
single-region one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.opd import SHIPPED, OpdTable, load_opd_table


@dataclass(frozen=True)
class DocumentRef:
    """One document offered as evidence for a criterion, with why it counts or does not."""
    path: str
    opd: str
    sha256: str
    confidence: float
    evidence_type: str  # struktur / proses / hasil ("type" in the JSON)
    type_reason: str | None
    date: str | None  # ISO date the period was read from, if any
    years: tuple[int, ...]
    in_period: bool
    period_reason: str
    reviewed: str | None  # "confirmed" / "rejected" by a reviewer, None when the model alone decided
    why: dict[str, Any] | None = None  # the classifier's explanation (title, rule, terms, sentences)
    # Every type the document is evidence of (it is listed in each of those cells); `evidence_type` is the one
    # this entry counts as. Empty in JSON written before documents had several types: `evidence_type` alone.
    types: tuple[str, ...] = ()
    # Stamp and signature, or e-signature QR (pipeline/endorse/store.py Endorsement): "endorsed", "partial",
    # "unendorsed", "not-checked"; None in JSON written before the endorsement stage. Shown, never filtered on.
    endorsement: str | None = None

    @property
    def unendorsed(self) -> bool:
        return self.endorsement in ("unendorsed", "partial")

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "opd": self.opd, "sha256": self.sha256, "confidence": self.confidence,
                "type": self.evidence_type, "types": list(self.types or (self.evidence_type,)),
                "type_reason": self.type_reason, "date": self.date,
                "years": list(self.years), "in_period": self.in_period, "period_reason": self.period_reason,
                "reviewed": self.reviewed, "why": self.why, "endorsement": self.endorsement}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentRef:
        return cls(path=data["path"], opd=data["opd"], sha256=data["sha256"], confidence=data["confidence"],
                   evidence_type=data["type"], type_reason=data["type_reason"], date=data["date"],
                   years=tuple(data["years"]), in_period=data["in_period"], period_reason=data["period_reason"],
                   reviewed=data["reviewed"], why=data["why"], types=tuple(data.get("types") or (data["type"],)),
                   endorsement=data.get("endorsement"))


@dataclass(frozen=True)
class TypeCell:
    """One criterion x evidence type cell: covered / weak / missing / out-of-period, and what fills it."""
    status: str
    evidence: tuple[DocumentRef, ...]
    ask: tuple[str, ...]  # ids of the OPDs to ask (the OPD table's), responsible first; empty when covered
    need: str  # what kind of document fills the cell (Indonesian), in the region's words (Perwal / Perbup)
    need_en: str

    @property
    def responsible(self) -> str | None:
        """The one OPD the request goes to; the others of `ask` are asked jointly ("bersama")."""
        return self.ask[0] if self.ask else None

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "evidence": [e.as_json() for e in self.evidence], "ask": list(self.ask),
                "need": self.need, "need_en": self.need_en}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TypeCell:
        return cls(status=data["status"], evidence=tuple(DocumentRef.from_json(e) for e in data["evidence"]),
                   ask=tuple(data["ask"]), need=data["need"], need_en=data["need_en"])

    @property
    def counted(self) -> int:
        """How many documents in the period support this cell."""
        return sum(1 for e in self.evidence if e.in_period)


@dataclass(frozen=True)
class CriterionGaps:
    """One criterion's completeness (complete / partial / weak / missing), its evidence and its three cells."""
    id: str
    name: str
    name_en: str
    group: str
    status: str
    evidence: tuple[DocumentRef, ...]
    ask: tuple[str, ...]
    types: dict[str, TypeCell]  # struktur, proses, hasil, in that order

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "name_en": self.name_en, "group": self.group,
                "status": self.status, "evidence": [e.as_json() for e in self.evidence], "ask": list(self.ask),
                "types": {t: cell.as_json() for t, cell in self.types.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CriterionGaps:
        return cls(id=data["id"], name=data["name"], name_en=data["name_en"], group=data["group"],
                   status=data["status"], evidence=tuple(DocumentRef.from_json(e) for e in data["evidence"]),
                   ask=tuple(data["ask"]), types={t: TypeCell.from_json(c) for t, c in data["types"].items()})


@dataclass(frozen=True)
class OpdRequest:
    """One cell an OPD is asked to fill: which criterion and type, its status, what to send, and with whom."""
    criterion: str
    name: str
    name_en: str
    evidence_type: str
    status: str
    need: str
    need_en: str
    together: tuple[str, ...] = ()  # OPD ids asked jointly ("bersama"); the request goes to one desk only


@dataclass(frozen=True)
class GapList:
    """The gap list of one region (or of the only one) for an assessment year."""
    assessment_year: int
    summary: dict[str, int]  # criteria per completeness status
    criteria: tuple[CriterionGaps, ...]
    region: str = ""  # "" for a single-region inbox; not in the JSON
    # The region's OPDs (pipeline/opd.py): `ask` holds their ids, documents their folders; outputs name them here.
    opds: OpdTable = field(default_factory=lambda: load_opd_table(SHIPPED))

    def as_json(self) -> dict[str, Any]:
        return {"assessment_year": self.assessment_year, "summary": dict(self.summary),
                "criteria": [c.as_json() for c in self.criteria], "opd": self.opds.as_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any], region: str = "") -> GapList:
        extra = {"opds": OpdTable.from_json(data["opd"])} if "opd" in data else {}
        return cls(assessment_year=data["assessment_year"], summary=dict(data["summary"]),
                   criteria=tuple(CriterionGaps.from_json(c) for c in data["criteria"]), region=region, **extra)

    def opd_label(self, opd_id: str) -> str:
        """An OPD id as people say it (its short name)."""
        return self.opds.label(opd_id)

    def folder_label(self, folder: str) -> str:
        """A document's inbox folder as the OPD's short name."""
        return self.opds.folder_label(folder)

    def criterion(self, criterion_id: str) -> CriterionGaps:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def requests_by_opd(self) -> dict[str, list[OpdRequest]]:
        """For each responsible OPD (by id, in the table's order), the criterion/type cells it is asked to fill,
        what to send, and who is asked with it. Each cell is asked of one OPD only."""
        out: dict[str, list[OpdRequest]] = {}
        for c in self.criteria:
            for t, cell in c.types.items():
                if cell.responsible:
                    out.setdefault(cell.responsible, []).append(OpdRequest(
                        c.id, c.name, c.name_en, t, cell.status, cell.need, cell.need_en, cell.ask[1:]))
        order = [o.id for o in self.opds.opds]
        return dict(sorted(out.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order),
                                                        kv[0])))
