"""What the classifier and the describer decided about each content (classifications, type and dates)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from pipeline.ledger.records import now
from pipeline.ledger.schema import classifications, document_facts, documents
from pipeline.status import Status


class JudgementsMixin:
    engine: sa.Engine

    def texts_to_classify(self, model_version: str) -> list[tuple[str, str]]:
        """(sha256, text) of processed documents not yet classified by this model version."""
        current = sa.select(classifications.c.sha256).where(classifications.c.model_version == model_version)
        query = (sa.select(documents.c.sha256, documents.c.text)
                 .where(documents.c.status == Status.PROCESSED, documents.c.sha256.not_in(current))
                 .order_by(documents.c.sha256))
        with self.begin() as conn:
            return [(r.sha256, r.text or "") for r in conn.execute(query)]

    def store_classification(self, sha256: str, rows: list[dict], model_version: str) -> None:
        with self.begin() as conn:
            conn.execute(classifications.delete().where(classifications.c.sha256 == sha256))
            stamp = now()
            conn.execute(classifications.insert(), [
                dict(sha256=sha256, model_version=model_version, classified_at=stamp, **row) for row in rows])

    def store_classifications(self, batch: Sequence[tuple[str, list[dict]]], model_version: str) -> None:
        """store_classification for a batch of documents in one transaction (the classify stage's batches)."""
        if not batch:
            return
        with self.begin() as conn:
            stamp = now()
            conn.execute(classifications.delete().where(classifications.c.sha256.in_([sha for sha, _ in batch])))
            conn.execute(classifications.insert(), [dict(sha256=sha, model_version=model_version, classified_at=stamp,
                                                         **row) for sha, rows in batch for row in rows])

    def documents_without_facts(self, rules_version: str) -> list[tuple[str, str, str]]:
        """(sha256, kind, text) of processed documents whose type and dates are not yet described."""
        current = sa.select(document_facts.c.sha256).where(document_facts.c.rules_version == rules_version)
        query = (sa.select(documents.c.sha256, documents.c.kind, documents.c.text)
                 .where(documents.c.status == Status.PROCESSED, documents.c.sha256.not_in(current)))
        with self.begin() as conn:
            return [(r.sha256, r.kind, r.text or "") for r in conn.execute(query)]

    def store_facts(self, sha256: str, **values) -> None:
        with self.begin() as conn:
            conn.execute(document_facts.delete().where(document_facts.c.sha256 == sha256))
            conn.execute(document_facts.insert().values(sha256=sha256, **values))

    def classifications_of(self, sha256: str) -> dict[str, sa.Row]:
        with self.begin() as conn:
            rows = conn.execute(sa.select(classifications).where(classifications.c.sha256 == sha256)).all()
        return {r.criterion: r for r in rows}

    def facts_of(self, sha256: str) -> sa.Row | None:
        with self.begin() as conn:
            return conn.execute(sa.select(document_facts).where(document_facts.c.sha256 == sha256)).first()

    def all_classifications(self) -> dict[str, dict[str, sa.Row]]:
        """sha256 -> criterion -> classification, for every document (the review page's document list)."""
        out: dict[str, dict[str, sa.Row]] = {}
        with self.begin() as conn:
            for r in conn.execute(sa.select(classifications)):
                out.setdefault(r.sha256, {})[r.criterion] = r
        return out

    def all_facts(self) -> dict[str, sa.Row]:
        """sha256 -> type and dates, for every described document."""
        with self.begin() as conn:
            return {r.sha256: r for r in conn.execute(sa.select(document_facts))}

    def search_texts(self, words: str) -> set[str]:
        """sha256 of the documents whose text holds `words` (any case), for the document list's search."""
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = sa.select(documents.c.sha256).where(documents.c.text.ilike(pattern, escape="\\"))
        with self.begin() as conn:
            return {r.sha256 for r in conn.execute(query)}
