"""Reviewers' criterion decisions as training rows (`bukti train --with-reviews`): what the coordinators corrected
is learnt by the next model, in both stages."""

from __future__ import annotations

from pipeline.criteria import IDS
from pipeline.gaps.review import overrides
from pipeline.ledger.ledger import Ledger
from pipeline.training.corpus import NATIONAL_TEXT_CHARS, SOURCE_WEIGHT, Example
from pipeline.training.realdocs import RealDoc


def _reviewed(ledger: Ledger) -> list[tuple[str, str, tuple[str, ...]]]:
    """(sha256, text, criteria) of the documents whose criteria a reviewer decided: the model's assignments
    corrected by every confirm/reject/change."""
    out = []
    for sha, override in sorted(overrides(ledger).items()):
        if not override.criteria:
            continue  # only a type, date or note was reviewed: no label to learn from
        doc = ledger.document(sha)
        if doc is None or doc.status != "processed" or not doc.text:
            continue
        assigned = {c for c, row in ledger.classifications_of(sha).items() if row.assigned}
        labels = {c for c in IDS if override.criteria.get(c, c in assigned)}
        out.append((sha, doc.text, tuple(c for c in IDS if c in labels)))
    return out


def reviewed_examples(ledger: Ledger) -> list[Example]:
    """First-stage training rows, weighted as hand annotations."""
    return [Example(id=f"review-{sha[:16]}", part="national", text=text[:NATIONAL_TEXT_CHARS], labels=labels,
                    source="review", unsure=False, split="train", weight=SOURCE_WEIGHT["annotated"])
            for sha, text, labels in _reviewed(ledger)]


def reviewed_documents(ledger: Ledger, region: str = "reviews") -> list[RealDoc]:
    """Second-stage rows: a reviewer's confirmation of a document in the weak band is the region's own kind of
    document, read as bukti read it. They form one group (`region`): held-out figures never judge a region by
    its own reviews."""
    return [RealDoc(id=sha, group=region, source="reviews", path=sha, text=text, criteria=labels, unsure=False,
                    origin="reviews") for sha, text, labels in _reviewed(ledger)]
