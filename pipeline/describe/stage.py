"""Stage 6b: each processed document's evidence type and dates, by rules (pipeline/describe/evidence.py, dates.py)."""

from __future__ import annotations

import json

from pipeline.describe.evidence import describe
from pipeline.ledger.ledger import Ledger

# Bump when the rules change: every document is described again from its stored text (cheap, no OCR).
# 2: type from the title block, period from the document's own structure (issue 8).
# 3: a report may be evidence of a second type (pipeline/describe/also.py, issue 18).
RULES_VERSION = "3"


def _reason(found) -> str:
    """Why it is of its types, kept as "Indonesian / English" like every stored reason."""
    own_id, _, own_en = found.reason.partition(" / ")
    parts_id, parts_en = [own_id], [own_en or own_id]
    for t, why in found.also:
        why_id, _, why_en = why.partition(" / ")
        parts_id.append(f"juga {t}: {why_id}")
        parts_en.append(f"also {t}: {why_en or why_id}")
    return "; ".join(parts_id) + " / " + "; ".join(parts_en)


def describe_documents(ledger: Ledger) -> int:
    """Stores per document: its type and why; its own date (for a regulation, its enactment); its period
    (`years`: the years it is about, for a regulation the year it was enacted); its own number's year."""
    todo = ledger.documents_without_facts(RULES_VERSION)
    for sha, kind, text in todo:
        found = describe(text, kind)
        reason = _reason(found)
        ledger.store_facts(sha, evidence_type=found.type, evidence_types=json.dumps(list(found.types)),
                           type_reason=reason, doc_date=found.dates.date,
                           years=json.dumps(list(found.dates.years)), own_number_year=found.dates.own_number_year,
                           rules_version=RULES_VERSION)
    return len(todo)
