"""Everything a report shows, gathered once: the gap matrix, requests per OPD and the quarantined files."""

from __future__ import annotations

import datetime as dt

from .evidence import TYPES
from .ledger import Ledger


def requests_by_opd(gaps: dict) -> dict[str, list[dict]]:
    """For each OPD named in the criteria file, the criterion/type cells it is asked to fill."""
    out: dict[str, list[dict]] = {}
    for c in gaps["criteria"]:
        for t in TYPES:
            cell = c["types"][t]
            for opd in cell["ask"]:
                out.setdefault(opd, []).append({"criterion": c["id"], "name": c["name"], "name_en": c["name_en"],
                                                "type": t, "status": cell["status"]})
    return dict(sorted(out.items()))


def report_data(ledger: Ledger, gaps: dict) -> dict:
    quarantined = [e for e in ledger.entries() if e.status in ("quarantined", "unsupported")]
    return {
        "gaps": gaps, "requests": requests_by_opd(gaps),
        "quarantined": [{"path": e.path, "opd": e.opd, "status": e.status, "reason": e.reason,
                         "reason_en": e.reason_en} for e in quarantined],
        "totals": {s: sum(1 for c in gaps["criteria"] if c["status"] == s) for s in ("covered", "weak", "missing")},
        "generated": dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
    }
