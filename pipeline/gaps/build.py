"""Stage 7: the gap list. Per criterion and evidence type (struktur, proses, hasil): what counts for the
assessment year, what is only weak or out of period, and what to ask which OPD for. Returned as typed records
(pipeline/gaps/records.py); Markdown, CSV and Prefect table rows are written from them here."""

from __future__ import annotations

import csv
import io

from pipeline.reports.inert import inert_csv
from pipeline.criteria import TYPES, Criterion, load_criteria
from pipeline.describe.dates import Dates
from pipeline.describe.evidence import in_period
from pipeline.endorse.store import EndorsementStore
from pipeline.i18n import CELL_STATUSES, CRITERION_STATUSES, LABELS, headline
from pipeline.ledger.ledger import Ledger
from pipeline.gaps.records import CriterionGaps, DocumentRef, GapList, OpdRequest, TypeCell
from pipeline.gaps.review import Override, overrides
from pipeline.opd import OpdTable, shipped_for_region

STATUS_ID = {s: LABELS["id"][s] for s in CRITERION_STATUSES + CELL_STATUSES}
# Evidence that lacks the OPD's or the Sekda's endorsement stays listed, with this flag (pipeline/endorse/).
ENDORSEMENT_ID = {"unendorsed": "belum disahkan: tanpa cap, tanda tangan atau QR TTE",
                  "partial": "pengesahan tidak lengkap: cap atau tanda tangan saja"}


def _types_of(row, override: Override | None) -> tuple[str, ...]:
    """The types a document counts as: the reviewer's when set, else every type the rules found."""
    return override.evidence_types if override and override.evidence_types else row.type_list


def _entry(row, assessment_year: int, override: Override | None, decision: bool | None, evidence_type: str,
           endorsement: str | None = None) -> DocumentRef:
    """The document as evidence of one of its types (the period rule depends on the type)."""
    years = tuple(row.year_list)
    type_reason, date = row.type_reason, row.doc_date
    if override and override.evidence_types:
        type_reason = "ditetapkan peninjau / set by a reviewer"
    own_number_year = row.own_number_year
    if override and override.years is not None:
        # A reviewer's dates replace everything read from the text, the regulation number's year included.
        date, years, own_number_year = override.date, override.years, None
    counts, why_period = in_period(evidence_type, Dates(date, years, own_number_year), assessment_year)
    return DocumentRef(
        path=row.path, opd=row.opd, sha256=row.sha256, confidence=round(row.confidence, 3),
        evidence_type=evidence_type, type_reason=type_reason, date=date.isoformat() if date else None,
        years=tuple(years), in_period=counts, period_reason=why_period,
        reviewed=None if decision is None else ("confirmed" if decision else "rejected"),
        why=row.why, types=_types_of(row, override), endorsement=endorsement)


def _cell(strong: list[DocumentRef], weak: list[DocumentRef], min_documents: int
          ) -> tuple[str, list[DocumentRef]]:
    """Status of one set of candidate evidence: in-period strong ones cover, in-period weak ones are weak,
    strong ones outside the period are listed but cover nothing."""
    strong_in = [e for e in strong if e.in_period]
    weak_in = [e for e in weak if e.in_period]
    out = [e for e in strong + weak if not e.in_period]
    if len(strong_in) >= min_documents:
        return "covered", strong_in + weak_in + out
    if strong_in or weak_in:
        return "weak", strong_in + weak_in + out
    if out:
        return "out-of-period", out
    return "missing", []


def _one_per_document(entries: list[DocumentRef]) -> list[DocumentRef]:
    """A criterion's evidence lists each document once: as its first type that counts in the period, else as its
    first type (its `types` name them all)."""
    out: dict[tuple[str, str], DocumentRef] = {}
    for e in entries:
        key = (e.sha256, e.path)
        if key not in out or (e.in_period and not out[key].in_period):
            out[key] = e
    return list(out.values())


def _criterion_status(types: dict[str, TypeCell]) -> str:
    """Completeness as the assessment counts it: struktur, proses and hasil are each scored, so a criterion with
    a regulation but no programme and no outcome data is only partly evidenced."""
    covered = sum(cell.status == "covered" for cell in types.values())
    if covered == len(TYPES):
        return "complete"
    if covered:
        return "partial"
    if any(cell.status == "weak" for cell in types.values()):
        return "weak"
    return "missing"


def build_gaps(ledger: Ledger, thresholds: dict[str, float], assessment_year: int,
               criteria: tuple[Criterion, ...] | None = None, region: str | None = None,
               opds: OpdTable | None = None) -> GapList:
    """The gap list: per criterion and per evidence type (struktur/proses/hasil). Duplicates count once
    (only original files are read) and quarantined files never count (they have no classification).

    With `region`, only that region's files count and only its reviewers' decisions apply; a content filed in
    two regions counts in each. Without it, every row of the ledger counts (a single-region inbox).

    `opds`: the region's OPD table (pipeline/opd.py; None: the shipped one, named after the region): whom each
    missing cell is asked of, and the region's wording of the requests (Perwal or Perbup)."""
    criteria = criteria or load_criteria()
    opds = opds or shipped_for_region(region or "")
    rows = ledger.evidence_rows() if region is None else ledger.evidence_rows(region=region)
    decided = overrides(ledger, region)  # reviewers' decisions win over the model
    # Stamp, signature or e-signature QR (pipeline/endorse/): flagged on each entry, never a reason to drop one.
    endorsed = {sha: str(e.status) for sha, e in EndorsementStore(ledger).of(region=region).items()}
    out = []
    for c in criteria:
        threshold = thresholds[c.id]
        strong, weak = [], []  # one entry per document and type it is evidence of
        for r in (r for r in rows if r.criterion == c.id):
            override = decided.get(r.sha256)
            decision = override.criteria.get(c.id) if override else None
            if decision is False:
                continue  # rejected as evidence for this criterion
            if decision or r.confidence >= threshold:
                strong += [_entry(r, assessment_year, override, decision, t, endorsed.get(r.sha256)) for t in _types_of(r, override)]
            elif r.confidence >= threshold - c.review_band:
                weak += [_entry(r, assessment_year, override, decision, t, endorsed.get(r.sha256)) for t in _types_of(r, override)]
        types = {}
        for t in TYPES:
            status, evidence = _cell([e for e in strong if e.evidence_type == t],
                                     [e for e in weak if e.evidence_type == t], c.min_documents)
            types[t] = TypeCell(status=status, evidence=tuple(evidence),
                                ask=() if status == "covered" else opds.resolve(c.asked(t)),
                                need=opds.wording(c.need[t]), need_en=opds.wording(c.need_en[t], "en"))
        status = _criterion_status(types)
        out.append(CriterionGaps(
            id=c.id, name=c.name, name_en=c.name_en, group=c.group, status=status,
            evidence=tuple(sorted(_one_per_document(strong + weak),
                                  key=lambda e: (not e.in_period, -e.confidence, e.path))),
            ask=tuple(dict.fromkeys(o for cell in types.values() for o in cell.ask)), types=types))
    summary = {s: sum(1 for c in out if c.status == s) for s in CRITERION_STATUSES}
    return GapList(assessment_year=assessment_year, summary=summary, criteria=tuple(out), region=region or "",
                   opds=opds)


def requests_by_opd(gaps: GapList) -> dict[str, list[OpdRequest]]:
    """For each responsible OPD (by id), the criterion/type cells it is asked to fill, what for, and with whom."""
    return gaps.requests_by_opd()


def request_heading(gaps: GapList, opd_id: str) -> str:
    """Whom a request is addressed to and where to drop the files: "Dinas Kesehatan (Dinkes) — folder dinkes"."""
    opd = gaps.opds.by_id(opd_id)
    if opd is None:
        return f"{opd_id} (belum ada di daftar OPD / not in the OPD table)"
    return f"{opd.name} ({opd.short}) — folder {opd.folder}"


def gaps_markdown(gaps: GapList) -> str:
    where = f" — {gaps.region}" if gaps.region else ""
    lines = [f"# Daftar celah bukti KKP HAM{where} — tahun penilaian {gaps.assessment_year}", "",
             f"**{headline(gaps)}**", "",
             "| kriteria | status | struktur | proses | hasil | minta kepada |", "|---|---|---|---|---|---|"]
    for c in gaps.criteria:
        cells = [STATUS_ID[c.types[t].status] for t in TYPES]
        asked = ", ".join(gaps.opd_label(o) for o in c.ask) or "-"
        lines.append(f"| {c.name} | **{STATUS_ID[c.status]}** | {' | '.join(cells)} | {asked} |")
    lines += ["", "## Yang perlu diminta, per OPD", ""]
    for opd, items in requests_by_opd(gaps).items():
        lines.append(f"### {request_heading(gaps, opd)}")
        for item in items:
            together = f" (bersama {', '.join(gaps.opd_label(o) for o in item.together)})" if item.together else ""
            lines.append(f"- {item.name} — {item.evidence_type} ({STATUS_ID[item.status]}): {item.need}{together}")
        lines.append("")
    lines += ["## Bukti per kriteria", ""]
    for c in gaps.criteria:
        for e in c.evidence:
            mark = "" if e.in_period else f" — tidak dihitung: {e.period_reason.split(' / ')[0]}"
            mark += f" — {ENDORSEMENT_ID[e.endorsement]}" if e.unendorsed else ""
            lines.append(f"- {c.name}: {e.path} ({gaps.folder_label(e.opd)}, {'/'.join(e.types)}, "
                         f"{e.confidence:.2f}){mark}")
    return "\n".join(lines) + "\n"


def gaps_csv(gaps: GapList) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)

    def write(row: list) -> None:  # every field inert: paths and OPD names come from the inbox
        writer.writerow([inert_csv(v) for v in row])

    write(["criterion", "name", "status", "struktur", "proses", "hasil", "path", "opd", "type",
           "confidence", "date", "in_period", "ask", "need_struktur", "need_proses", "need_hasil", "endorsement"])
    for c in gaps.criteria:
        cells = [c.types[t].status for t in TYPES]
        # What to ask for, only for the cells that are not covered.
        needs = [c.types[t].need if c.types[t].ask else "" for t in TYPES]
        for e in c.evidence or [None]:
            write([c.id, c.name, c.status, *cells, e.path if e else "", e.opd if e else "",
                   "/".join(e.types) if e else "", e.confidence if e else "", (e.date or "") if e else "",
                   e.in_period if e else "", "; ".join(gaps.opd_label(o) for o in c.ask), *needs,
                   (e.endorsement or "") if e else ""])
    return buf.getvalue()


def gaps_table_rows(gaps: GapList) -> list[dict]:
    """Flat rows for a Prefect table artifact: Indonesian labels, what to ask for per uncovered type."""
    return [{"kriteria": c.id, "status": STATUS_ID[c.status],
             **{t: STATUS_ID[c.types[t].status] for t in TYPES},
             "bukti": ", ".join(e.path for e in c.evidence if e.in_period) or "-",
             "yang diminta": "; ".join(f"{t}: {c.types[t].need}" for t in TYPES if c.types[t].ask) or "-",
             "minta kepada": ", ".join(gaps.opd_label(o) for o in c.ask) or "-"} for c in gaps.criteria]
