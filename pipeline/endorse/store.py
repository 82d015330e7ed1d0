"""The endorsement stage's narrow view of the ledger: what is left to look at, the marks it found, a reviewer's
override, and each document's endorsement as the outputs show it. Nothing else of the `Ledger` is reached from
pipeline/endorse/ (the stage gets this object, not the ledger's thirty methods).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa

from pipeline.endorse.detect import MARKS, Mark
from pipeline.ledger.schema import classifications, documents, endorsements, reviews
from pipeline.status import Status

REVIEW_ACTION = "endorsement"  # a review row: after = {"status": "endorsed" | "unendorsed"}


class Endorsement(StrEnum):
    ENDORSED = "endorsed"  # stamp and signature, or an e-signature QR code: what the Kanwil accepts
    PARTIAL = "partial"  # a stamp or a signature, not both
    UNENDORSED = "unendorsed"  # no mark found on the pages looked at
    NOT_CHECKED = "not-checked"  # not looked at yet, or no page to look at (an office file)


@dataclass(frozen=True)
class DocumentEndorsement:
    status: Endorsement
    marks: Mapping[str, tuple[float, int]]  # mark -> (best confidence, its page) over the pages looked at
    qr_text: str | None = None
    reviewed_by: str | None = None  # a reviewer's override decided `status`
    detected: Endorsement | None = None  # what the marks alone say (the same as `status` without an override)

    def as_json(self) -> dict:
        return {"status": str(self.status), "detected": str(self.detected or self.status),
                "reviewed_by": self.reviewed_by, "qr_text": self.qr_text,
                "marks": {m: {"confidence": c, "page": p} for m, (c, p) in self.marks.items()}}


def judge(marks: Mapping[str, tuple[float, int]]) -> Endorsement:
    if not marks:
        return Endorsement.NOT_CHECKED
    found = {m for m, (c, _) in marks.items() if c >= 0.5}
    if "qr" in found or {"stamp", "signature"} <= found:
        return Endorsement.ENDORSED
    return Endorsement.PARTIAL if found else Endorsement.UNENDORSED


class EndorsementStore:
    def __init__(self, ledger) -> None:
        self._begin = ledger.begin  # a context manager yielding a connection in a transaction

    def to_look_at(self, detector_version: str) -> list[tuple[str, str]]:
        """(sha256, kind) of processed documents offered as evidence (some criterion assigned) not yet looked at by
        this detector version. Evidence only: endorsement is asked of evidence, and pages cost time."""
        done = sa.select(endorsements.c.sha256).where(endorsements.c.detector_version == detector_version)
        evidence = sa.select(classifications.c.sha256).where(classifications.c.assigned.is_(True))
        query = (sa.select(documents.c.sha256, documents.c.kind)
                 .where(documents.c.status == Status.PROCESSED, documents.c.sha256.in_(evidence),
                        documents.c.sha256.not_in(done)).order_by(documents.c.sha256))
        with self._begin() as conn:
            return [(r.sha256, r.kind) for r in conn.execute(query)]

    def store(self, sha256: str, pages: Iterable[tuple[int, Mapping[str, Mark], float]], detector_version: str
              ) -> None:
        rows = [dict(sha256=sha256, page=number, mark=m.mark, confidence=m.confidence, present=m.present,
                     text=m.text, detector_version=detector_version, seconds=round(seconds, 4))
                for number, marks, seconds in pages for m in marks.values()]
        if not rows:  # nothing to look at: said once, so it is not asked again
            rows = [dict(sha256=sha256, page=0, mark="none", confidence=0.0, present=False, text=None,
                         detector_version=detector_version, seconds=0.0)]
        with self._begin() as conn:
            conn.execute(endorsements.delete().where(endorsements.c.sha256 == sha256))
            conn.execute(endorsements.insert(), rows)

    def pages_of(self, sha256: str) -> list[sa.Row]:
        query = (sa.select(endorsements).where(endorsements.c.sha256 == sha256, endorsements.c.page > 0)
                 .order_by(endorsements.c.page, endorsements.c.mark))
        with self._begin() as conn:
            return list(conn.execute(query))

    def of(self, shas: Iterable[str] | None = None, region: str | None = None) -> dict[str, DocumentEndorsement]:
        """Each document's endorsement (all looked-at documents when `shas` is None), with the latest override
        of `region`'s reviewers (None: any region's)."""
        query = sa.select(endorsements)
        overrides = sa.select(reviews).where(reviews.c.action == REVIEW_ACTION).order_by(reviews.c.id)
        wanted = None if shas is None else set(shas)
        if wanted is not None:
            query = query.where(endorsements.c.sha256.in_(wanted))
            overrides = overrides.where(reviews.c.sha256.in_(wanted))
        if region is not None:
            overrides = overrides.where(reviews.c.region == region)
        marks: dict[str, dict[str, tuple[float, int]]] = {}
        texts: dict[str, str] = {}
        with self._begin() as conn:
            for r in conn.execute(query):
                best = marks.setdefault(r.sha256, {})
                if r.mark in MARKS and (r.mark not in best or r.confidence > best[r.mark][0]):
                    best[r.mark] = (r.confidence, r.page)
                if r.mark == "qr" and r.text:
                    texts.setdefault(r.sha256, r.text)
            decided = {r.sha256: r for r in conn.execute(overrides)}  # the last one wins
        out = {}
        for sha in (wanted if wanted is not None else set(marks) | set(decided)):
            found = marks.get(sha, {})
            detected = judge(found)
            review = decided.get(sha)
            status = Endorsement(json.loads(review.after)["status"]) if review is not None else detected
            out[sha] = DocumentEndorsement(status, found, texts.get(sha), review.reviewer if review else None,
                                           detected)
        return out

    def override(self, sha256: str, status: Endorsement | None, reviewer: str, note: str | None = None,
                 region: str = "") -> None:
        """A reviewer says the document is endorsed or not, whatever the marks say; `status` None returns the
        decision to the marks (the override is then the detected status)."""
        if not reviewer.strip():
            raise ValueError("a reviewer's name is needed")
        before = self.of([sha256], region=region)[sha256]
        after = status if status is not None else before.detected
        with self._begin() as conn:
            from pipeline.ledger.records import now

            conn.execute(reviews.insert().values(
                sha256=sha256, action=REVIEW_ACTION, reviewer=reviewer, note=note, created_at=now(), region=region,
                before=json.dumps({"status": str(before.status)}), after=json.dumps({"status": str(after)})))
