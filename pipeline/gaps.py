"""Stage 7: the gap list. Which criteria have evidence, which only weak evidence, which none, and whom to ask."""

from __future__ import annotations

import csv
import io
import json

from .criteria import Criterion, load_criteria
from .dates import Dates
from .evidence import TYPES, in_period
from .i18n import LABELS
from .ledger import Ledger
from .review import Override, overrides

STATUS_ID = {s: LABELS["id"][s] for s in ("covered", "weak", "missing", "out-of-period")}


def _entry(row, assessment_year: int, override: Override | None, decision: bool | None) -> dict:
    years = tuple(json.loads(row.years)) if row.years else ()
    evidence_type, type_reason, date = row.evidence_type or "proses", row.type_reason, row.doc_date
    if override and override.evidence_type:
        evidence_type, type_reason = override.evidence_type, "ditetapkan peninjau / set by a reviewer"
    if override and override.years is not None:
        date, years = override.date, override.years
    counts, why_period = in_period(evidence_type, Dates(date, years, row.own_number_year), assessment_year)
    return {"path": row.path, "opd": row.opd, "sha256": row.sha256, "confidence": round(row.confidence, 3),
            "type": evidence_type, "type_reason": type_reason, "date": date.isoformat() if date else None,
            "years": list(years), "in_period": counts, "period_reason": why_period,
            "reviewed": None if decision is None else ("confirmed" if decision else "rejected"),
            "why": json.loads(row.explanation) if row.explanation else None}


def _cell(strong: list[dict], weak: list[dict], min_documents: int) -> tuple[str, list[dict]]:
    """Status of one set of candidate evidence: in-period strong ones cover, in-period weak ones are weak,
    strong ones outside the period are listed but cover nothing."""
    strong_in = [e for e in strong if e["in_period"]]
    weak_in = [e for e in weak if e["in_period"]]
    out = [e for e in strong + weak if not e["in_period"]]
    if len(strong_in) >= min_documents:
        return "covered", strong_in + weak_in + out
    if strong_in or weak_in:
        return "weak", strong_in + weak_in + out
    if out:
        return "out-of-period", out
    return "missing", []


def build_gaps(ledger: Ledger, thresholds: dict[str, float], assessment_year: int,
               criteria: tuple[Criterion, ...] | None = None) -> dict:
    """JSON-ready gap list: per criterion and per evidence type (struktur/proses/hasil). Duplicates count once
    (only original files are read) and quarantined files never count (they have no classification)."""
    criteria = criteria or load_criteria()
    rows = ledger.evidence_rows()
    decided = overrides(ledger)  # reviewers' decisions win over the model
    out = []
    for c in criteria:
        threshold = thresholds[c.id]
        strong, weak = [], []
        for r in (r for r in rows if r.criterion == c.id):
            override = decided.get(r.sha256)
            decision = override.criteria.get(c.id) if override else None
            if decision is False:
                continue  # rejected as evidence for this criterion
            if decision or r.confidence >= threshold:
                strong.append(_entry(r, assessment_year, override, decision))
            elif r.confidence >= threshold - c.review_band:
                weak.append(_entry(r, assessment_year, override, decision))
        types = {}
        for t in TYPES:
            status, evidence = _cell([e for e in strong if e["type"] == t], [e for e in weak if e["type"] == t],
                                     c.min_documents)
            types[t] = {"status": status, "evidence": evidence, "ask": [] if status == "covered" else list(c.opd)}
        statuses = {cell["status"] for cell in types.values()}
        status = "covered" if "covered" in statuses else "weak" if "weak" in statuses else "missing"
        out.append({
            "id": c.id, "name": c.name, "name_en": c.name_en, "group": c.group, "status": status,
            "evidence": sorted(strong + weak, key=lambda e: (not e["in_period"], -e["confidence"], e["path"])),
            "ask": [] if status == "covered" else list(c.opd),
            "types": types,
        })
    return {"assessment_year": assessment_year, "criteria": out}


def gaps_markdown(gaps: dict) -> str:
    lines = [f"# Daftar celah bukti KKP HAM — tahun penilaian {gaps['assessment_year']}", "",
             "| kriteria | status | struktur | proses | hasil | minta kepada |", "|---|---|---|---|---|---|"]
    for c in gaps["criteria"]:
        cells = [STATUS_ID[c["types"][t]["status"]] for t in TYPES]
        lines.append(f"| {c['name']} | **{STATUS_ID[c['status']]}** | {' | '.join(cells)} | {', '.join(c['ask']) or '-'} |")
    lines += ["", "## Bukti per kriteria", ""]
    for c in gaps["criteria"]:
        for e in c["evidence"]:
            mark = "" if e["in_period"] else f" — tidak dihitung: {e['period_reason'].split(' / ')[0]}"
            lines.append(f"- {c['id']}: {e['path']} ({e['opd']}, {e['type']}, {e['confidence']:.2f}){mark}")
    missing = [c for c in gaps["criteria"] if c["status"] == "missing"]
    weak = [c for c in gaps["criteria"] if c["status"] == "weak"]
    lines += ["", f"{len(missing)} kriteria belum ada bukti, {len(weak)} kriteria hanya bukti lemah."]
    return "\n".join(lines) + "\n"


def gaps_csv(gaps: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["criterion", "name", "status", "struktur", "proses", "hasil", "path", "opd", "type",
                     "confidence", "date", "in_period", "ask"])
    for c in gaps["criteria"]:
        cells = [c["types"][t]["status"] for t in TYPES]
        for e in c["evidence"] or [None]:
            writer.writerow([c["id"], c["name"], c["status"], *cells, e["path"] if e else "", e["opd"] if e else "",
                             e["type"] if e else "", e["confidence"] if e else "", (e["date"] or "") if e else "",
                             e["in_period"] if e else "", "; ".join(c["ask"])])
    return buf.getvalue()


def gaps_table_rows(gaps: dict) -> list[dict]:
    """Flat rows for a Prefect table artifact and the terminal table."""
    return [{"kriteria": c["id"], "status": c["status"], **{t: c["types"][t]["status"] for t in TYPES},
             "bukti": ", ".join(e["path"] for e in c["evidence"] if e["in_period"]) or "-",
             "minta kepada": ", ".join(c["ask"]) or "-"} for c in gaps["criteria"]]
