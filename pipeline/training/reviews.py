"""Reviewers' criterion decisions as training rows (`bukti train --with-reviews`): what the coordinators corrected
is learnt by the next model."""

from __future__ import annotations

from pipeline.criteria import IDS
from pipeline.gaps.review import overrides
from pipeline.ledger.ledger import Ledger
from pipeline.training.corpus import NATIONAL_TEXT_CHARS, SOURCE_WEIGHT, Example


def reviewed_examples(ledger: Ledger) -> list[Example]:
    """Training rows from documents whose criteria a reviewer decided: the model's assignments corrected by
    every confirm/reject/change, weighted as hand annotations (`bukti train --with-reviews`)."""
    out = []
    for sha, override in sorted(overrides(ledger).items()):
        if not override.criteria:
            continue  # only a type, date or note was reviewed: no label to learn from
        doc = ledger.document(sha)
        if doc is None or doc.status != "processed" or not doc.text:
            continue
        assigned = {c for c, row in ledger.classifications_of(sha).items() if row.assigned}
        labels = {c for c in IDS if override.criteria.get(c, c in assigned)}
        out.append(Example(id=f"review-{sha[:16]}", part="national", text=doc.text[:NATIONAL_TEXT_CHARS],
                           labels=tuple(c for c in IDS if c in labels), source="review", unsure=False,
                           split="train", weight=SOURCE_WEIGHT["annotated"]))
    return out
