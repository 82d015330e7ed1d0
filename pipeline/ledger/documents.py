"""The documents table and their pages: each content once, its status and its text."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from pipeline import reasons
from pipeline.extract.page import PageRecord
from pipeline.ledger.records import now
from pipeline.ledger.schema import documents, pages
from pipeline.status import Status

# A document stored or rejected is done: whoever claimed it (claims.py) lets it go in the same statement.
_RELEASED = dict(claimed_by=None, claimed_until=None)


class DocumentsMixin:
    engine: sa.Engine

    def document_statuses(self) -> dict[str, str]:
        """sha256 -> status of every document: one query for a whole pass."""
        with self.begin() as conn:
            return {r.sha256: r.status for r in conn.execute(sa.select(documents.c.sha256, documents.c.status))}

    def add_document(self, conn: sa.Connection, *, sha256: str, kind: str, size: int) -> None:
        exists = conn.execute(sa.select(documents.c.sha256).where(documents.c.sha256 == sha256)).first()
        if not exists:
            conn.execute(documents.insert().values(sha256=sha256, kind=kind, size=size, status=Status.PENDING,
                                                   created_at=now()))

    def reject(self, sha256: str, status: str, code: str, reason_id: str, reason_en: str) -> None:
        with self.begin() as conn:
            conn.execute(documents.update().where(documents.c.sha256 == sha256).values(
                status=status, reason_code=code, reason_id=reason_id, reason_en=reason_en, extracted_at=now(),
                **_RELEASED))

    def store_extraction(self, sha256: str, page_records: Iterable[PageRecord], raw_text: str, text: str,
                         extractor: str) -> None:
        """Store a document's text. Each copy (raw, normalised, the pages together) is cut at reasons.TEXT_CAP
        bytes with a note, and made storable (no NUL, no lone surrogate), so one document can neither fill the
        ledger nor fail the pass."""
        budget = reasons.TEXT_CAP
        rows = []
        for p in page_records:
            page_text = reasons.storable_text(p.raw_text, max(budget, 0)) if budget > 0 else ""
            budget -= len(page_text.encode("utf-8"))
            rows.append(dict(sha256=sha256, number=p.number, source=p.source, chars=p.chars,
                             ocr_confidence=p.ocr_confidence, rotation=p.rotation, skew=p.skew,
                             error=reasons.storable_text(p.error, 4000) if p.error else None, raw_text=page_text))
        with self.begin() as conn:
            conn.execute(pages.delete().where(pages.c.sha256 == sha256))
            if rows:
                conn.execute(pages.insert(), rows)
            conn.execute(documents.update().where(documents.c.sha256 == sha256).values(
                status=Status.PROCESSED, raw_text=reasons.storable_text(raw_text), text=reasons.storable_text(text),
                extractor=extractor, extracted_at=now(), reason_code=None, reason_id=None, reason_en=None,
                **_RELEASED))

    def document(self, sha256: str) -> sa.Row | None:
        with self.begin() as conn:
            return conn.execute(sa.select(documents).where(documents.c.sha256 == sha256)).first()

    def pages_of(self, conn: sa.Connection, shas: Iterable[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        shas = list(shas)
        for start in range(0, len(shas), 500):
            query = sa.select(pages).where(pages.c.sha256.in_(shas[start:start + 500])).order_by(pages.c.number)
            for p in conn.execute(query):
                out.setdefault(p.sha256, []).append({
                    "number": p.number, "source": p.source, "chars": p.chars,
                    "ocr_confidence": None if p.ocr_confidence is None else round(p.ocr_confidence, 1),
                    **({"error": p.error} if p.error else {}),
                })
        return out
