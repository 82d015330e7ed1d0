"""Stage 6b: each processed document's evidence type and dates, by rules (pipeline/evidence.py, dates.py)."""

from __future__ import annotations

import json

from .dates import parse_dates
from .evidence import classify_evidence_type
from .ledger import Ledger

RULES_VERSION = "1"  # bump when the rules change: every document is described again (cheap, no OCR)


def describe_documents(ledger: Ledger) -> int:
    todo = ledger.documents_without_facts(RULES_VERSION)
    for sha, kind, text in todo:
        evidence = classify_evidence_type(text, kind)
        dates = parse_dates(text)
        ledger.store_facts(sha, evidence_type=evidence.type, type_reason=evidence.reason, doc_date=dates.date,
                           years=json.dumps(list(dates.years)), own_number_year=dates.own_number_year,
                           rules_version=RULES_VERSION)
    return len(todo)
