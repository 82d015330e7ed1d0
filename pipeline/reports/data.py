"""Everything a report shows, gathered once: the gap matrix, requests per OPD and the quarantined files."""

from __future__ import annotations

import datetime as dt

from pipeline.gaps.build import requests_by_opd
from pipeline.gaps.records import GapList
from pipeline.ledger.ledger import Ledger
from pipeline.status import Status


def report_data(ledger: Ledger, gaps: GapList) -> dict:
    """What a report shows of one gap list; a region's report lists only that region's quarantined files."""
    entries = ledger.entries(region=gaps.region) if gaps.region else ledger.entries()
    quarantined = [e for e in entries if e.status in (Status.QUARANTINED, Status.UNSUPPORTED)]
    return {
        "gaps": gaps, "requests": requests_by_opd(gaps),
        "quarantined": [{"path": e.path, "opd": e.opd, "status": e.status, "reason": e.reason,
                         "reason_en": e.reason_en} for e in quarantined],
        "totals": gaps.summary,
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0),  # shown in words by each report
    }
