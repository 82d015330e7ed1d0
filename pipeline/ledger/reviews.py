"""Reviewers' decisions, each in the region it was taken in."""

from __future__ import annotations

import json

import sqlalchemy as sa

from pipeline.ledger.records import now
from pipeline.ledger.schema import reviews


class ReviewsMixin:
    engine: sa.Engine

    def add_review(self, sha256: str, action: str, reviewer: str, *, criterion: str | None = None,
                   before: object = None, after: object = None, note: str | None = None, region: str = "") -> None:
        """A reviewer's decision on one content, in the region it was taken in ("" for a single region)."""
        with self.begin() as conn:
            conn.execute(reviews.insert().values(
                sha256=sha256, action=action, criterion=criterion, reviewer=reviewer, note=note, created_at=now(),
                region=region,
                before=None if before is None else json.dumps(before, ensure_ascii=False, default=str),
                after=None if after is None else json.dumps(after, ensure_ascii=False, default=str)))

    def reviews_of(self, sha256: str | None = None, region: str | None = None) -> list[sa.Row]:
        """Reviews in the order they were made, of one content and/or one region (None: all)."""
        query = sa.select(reviews).order_by(reviews.c.id)
        if sha256:
            query = query.where(reviews.c.sha256 == sha256)
        if region is not None:
            query = query.where(reviews.c.region == region)
        with self.begin() as conn:
            return conn.execute(query).all()
