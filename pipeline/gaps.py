"""Stage 7: the gap list. Which criteria have evidence, which only weak evidence, which none, and whom to ask."""

from __future__ import annotations

import csv
import io
import json

from .criteria import Criterion, load_criteria
from .ledger import Ledger

STATUS_ID = {"covered": "terpenuhi", "weak": "lemah (perlu ditinjau)", "missing": "belum ada"}


def build_gaps(ledger: Ledger, thresholds: dict[str, float], assessment_year: int,
               criteria: tuple[Criterion, ...] | None = None) -> dict:
    """JSON-ready gap list. Duplicates count once (only original files are read) and quarantined files
    never count (they have no classification)."""
    criteria = criteria or load_criteria()
    rows = ledger.evidence_rows()
    out = []
    for c in criteria:
        threshold = thresholds[c.id]
        mine = [r for r in rows if r.criterion == c.id]
        strong = [r for r in mine if r.confidence >= threshold]
        weak = [r for r in mine if threshold - c.review_band <= r.confidence < threshold]
        if len(strong) >= c.min_documents:
            status, shown = "covered", strong
        elif strong or weak:
            status, shown = "weak", strong + weak
        else:
            status, shown = "missing", []
        out.append({
            "id": c.id, "name": c.name, "name_en": c.name_en, "group": c.group, "status": status,
            "evidence": [{"path": r.path, "opd": r.opd, "confidence": round(r.confidence, 3),
                          "why": json.loads(r.explanation) if r.explanation else None} for r in shown],
            "ask": [] if status == "covered" else list(c.opd),
        })
    return {"assessment_year": assessment_year, "criteria": out}


def gaps_markdown(gaps: dict) -> str:
    lines = [f"# Daftar celah bukti KKP HAM — tahun penilaian {gaps['assessment_year']}", "",
             "| kriteria | status | bukti | minta kepada |", "|---|---|---|---|"]
    for c in gaps["criteria"]:
        evidence = "<br>".join(f"{e['path']} ({e['opd']}, {e['confidence']:.2f})" for e in c["evidence"]) or "-"
        lines.append(f"| {c['name']} | **{STATUS_ID[c['status']]}** | {evidence} | {', '.join(c['ask']) or '-'} |")
    missing = [c for c in gaps["criteria"] if c["status"] == "missing"]
    weak = [c for c in gaps["criteria"] if c["status"] == "weak"]
    lines += ["", f"{len(missing)} kriteria belum ada bukti, {len(weak)} kriteria hanya bukti lemah."]
    return "\n".join(lines) + "\n"


def gaps_csv(gaps: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["criterion", "name", "status", "path", "opd", "confidence", "ask"])
    for c in gaps["criteria"]:
        for e in c["evidence"] or [None]:
            writer.writerow([c["id"], c["name"], c["status"], e["path"] if e else "", e["opd"] if e else "",
                             e["confidence"] if e else "", "; ".join(c["ask"])])
    return buf.getvalue()


def gaps_table_rows(gaps: dict) -> list[dict]:
    """Flat rows for a Prefect table artifact and the terminal table."""
    return [{"kriteria": c["id"], "status": c["status"],
             "bukti": ", ".join(e["path"] for e in c["evidence"]) or "-",
             "minta kepada": ", ".join(c["ask"]) or "-"} for c in gaps["criteria"]]
