"""How the command line prints ledger entries: JSON for machines, tables and text for people."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.gaps.records import GapList
from pipeline.ledger.ledger import FileEntry

STATUS_ID = {"processed": "diproses", "duplicate": "duplikat", "quarantined": "karantina",
             "unsupported": "tak didukung", "pending": "menunggu", "withdrawn": "ditarik", "moved": "dipindah",
             "superseded": "digantikan"}


def entry_json(entry: FileEntry) -> dict[str, Any]:
    data = asdict(entry)
    data.pop("present")
    if not data.get("region"):
        data.pop("region", None)  # a single-region inbox lists files as it always did
    return data


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def documents_table(entries: list[FileEntry]) -> Table:
    table = Table(title="Dokumen di inbox / documents in the inbox", show_lines=False)
    regions = any(getattr(e, "region", "") for e in entries)  # a column only when the inbox has regions
    for column in ("berkas / path", *(("wilayah / region",) if regions else ()), "OPD", "status",
                   "halaman / pages", "keterangan / reason"):
        table.add_column(column, overflow="fold")
    for e in entries:
        ocr = sum(1 for p in e.pages if p["source"].startswith("ocr"))  # "ocr:poor-layer" too
        failed = sum(1 for p in e.pages if p.get("error"))
        pages = f"{len(e.pages)} ({ocr} OCR{f', {failed} gagal' if failed else ''})" if e.pages else "-"
        note = e.reason or (f"= {e.duplicate_of}" if e.duplicate_of else "")
        table.add_row(e.path, *((e.region,) if regions else ()), e.opd, STATUS_ID.get(e.status, e.status), pages,
                      note)
    return table


def print_table(table: Table) -> None:
    Console(width=160).print(table)


def gaps_table(gaps: GapList) -> Table:
    from pipeline.criteria import TYPES
    from pipeline.gaps.build import STATUS_ID as GAP_STATUS
    from pipeline.i18n import headline

    where = f" — {gaps.region}" if gaps.region else ""
    table = Table(title=f"Celah bukti KKP HAM / evidence gaps{where} — {headline(gaps)}")
    for column in ("kriteria", "status", "struktur", "proses", "hasil", "bukti / evidence",
                   "yang diminta / to request"):
        table.add_column(column, overflow="fold")
    colours = {"complete": "green", "covered": "green", "partial": "cyan", "weak": "yellow", "missing": "red",
               "out-of-period": "magenta"}

    def paint(status: str) -> str:
        return f"[{colours[status]}]{GAP_STATUS[status]}[/]"

    for c in gaps.criteria:
        evidence = "\n".join(f"{e.path} ({gaps.folder_label(e.opd)}, {'/'.join(e.types)}, {e.confidence:.2f})"
                             + ("" if e.in_period else " [magenta]di luar periode[/]")
                             + (" [yellow]tanpa pengesahan / not endorsed[/]" if e.unendorsed else "")
                             for e in c.evidence) or "-"
        # Per type not covered: what kind of document fills it, then whom to ask.
        requests = "\n".join(f"[bold]{t}[/]: {c.types[t].need}" for t in TYPES if c.types[t].ask)
        if requests:
            requests += f"\n[dim]→ {', '.join(gaps.opd_label(o) for o in c.ask)}[/]"
        table.add_row(f"{c.name}\n[dim]{c.id}[/]", paint(c.status),
                      *(paint(c.types[t].status) for t in TYPES), evidence, requests or "-")
    return table


def province_table(province) -> Table:
    """Regions x criteria (a Province), at risk first; statuses in Indonesian."""
    from pipeline.gaps.build import STATUS_ID as GAP_STATUS
    from pipeline.gaps.province import region_label, region_risk

    table = Table(title=f"Ringkasan provinsi KKP HAM / province summary — tahun penilaian {province.assessment_year}")
    ids = [cid for cid, _, _ in province.criteria()]
    for column in ("wilayah / region", "kritis / critical", *ids):
        table.add_column(column, overflow="fold")
    colours = {"complete": "green", "partial": "cyan", "weak": "yellow", "missing": "red"}
    for g in province.regions:
        risk = region_risk(g)
        name = escape(region_label(g.region)) + (" [red]⚠[/]" if risk.at_risk else "")  # a folder name: no markup
        table.add_row(name, str(risk.critical), *(f"[{colours[c.status]}]{GAP_STATUS[c.status]}[/]"
                                                  for c in g.criteria))
    return table


def eval_table(report: dict) -> list[Table]:
    tables = []
    model, baseline = report["model"], report["baseline"]
    summary = Table(title="Dev (annotated, not unsure): macro-F1 / false-evidence rate")
    for column in ("part", "model", "model, OCR noise", "baseline"):
        summary.add_column(column)
    noise_key = next(k for k in model if k.startswith("ocr_noise"))
    for part in ("all", "national", "local"):
        cells = [model["clean"][part], model[noise_key][part], baseline["clean"][part]]
        summary.add_row(part, *(f"{m['macro_f1']} / {m['false_evidence_rate']}" for m in cells))
    tables.append(summary)
    detail = Table(title=f"Per criterion, all dev rows ({model['model']})")
    for column in ("criterion", "P", "R", "F1", "support", "baseline F1"):
        detail.add_column(column)
    for criterion, m in model["clean"]["all"]["criteria"].items():
        b = baseline["clean"]["all"]["criteria"][criterion]
        detail.add_row(criterion, str(m["precision"]), str(m["recall"]), str(m["f1"]), str(m["support"]), str(b["f1"]))
    tables.append(detail)
    return tables
