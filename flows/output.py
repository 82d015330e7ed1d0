"""How the command line prints ledger entries: JSON for machines, tables and text for people."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table

from pipeline.ledger import FileEntry

STATUS_ID = {"processed": "diproses", "duplicate": "duplikat", "quarantined": "karantina",
             "unsupported": "tak didukung", "pending": "menunggu"}


def entry_json(entry: FileEntry) -> dict[str, Any]:
    data = asdict(entry)
    data.pop("present")
    return data


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def documents_table(entries: list[FileEntry]) -> Table:
    table = Table(title="Dokumen di inbox / documents in the inbox", show_lines=False)
    for column in ("berkas / path", "OPD", "status", "halaman / pages", "keterangan / reason"):
        table.add_column(column, overflow="fold")
    for e in entries:
        ocr = sum(1 for p in e.pages if p["source"] == "ocr")
        failed = sum(1 for p in e.pages if p.get("error"))
        pages = f"{len(e.pages)} ({ocr} OCR{f', {failed} gagal' if failed else ''})" if e.pages else "-"
        note = e.reason or (f"= {e.duplicate_of}" if e.duplicate_of else "")
        table.add_row(e.path, e.opd, STATUS_ID.get(e.status, e.status), pages, note)
    return table


def print_table(table: Table) -> None:
    Console(width=160).print(table)
