"""Stage 6b: each processed document's evidence type and dates, by rules (pipeline/describe/evidence.py, dates.py)."""

from __future__ import annotations

import json

from pipeline.describe.evidence import describe
from pipeline.ledger.ledger import Ledger

# Bump when the rules change: every document is described again from its stored text (cheap, no OCR).
# 2: type from the title block, period from the document's own structure (issue 8).
RULES_VERSION = "2"


def describe_documents(ledger: Ledger) -> int:
    """Stores per document: its type and why; its own date (for a regulation, its enactment); its period
    (`years`: the years it is about, for a regulation the year it was enacted); its own number's year."""
    todo = ledger.documents_without_facts(RULES_VERSION)
    for sha, kind, text in todo:
        found = describe(text, kind)
        ledger.store_facts(sha, evidence_type=found.type, type_reason=found.reason, doc_date=found.dates.date,
                           years=json.dumps(list(found.dates.years)), own_number_year=found.dates.own_number_year,
                           rules_version=RULES_VERSION)
    return len(todo)
