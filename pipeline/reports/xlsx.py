"""The Excel workbook for the coordinator: summary matrix with completeness counts, a sheet per criterion (its
types and what to ask for, then its evidence), requests per OPD with what to ask for, quarantine.

Made to be sent as it is: sheets named by the criterion's name, header rows frozen with a filter on every table,
each sheet set up to print on A4 landscape fitting the width, its header repeated on every page. Links open the
file on the review page (`link_base`/dokumen/<sha256>/asli), never a path of this machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.criteria import TYPES
from pipeline.i18n import CRITERION_STATUSES, STATUS_COLOURS, criterion_name, headline, labels, need_text
from pipeline.reports.inert import inert_workbook
from pipeline.words import decimal, local_time, long_date, say, why_words

WRAP = Alignment(wrap_text=True, vertical="top")


def _fill(status: str) -> PatternFill:
    return PatternFill("solid", start_color=STATUS_COLOURS[status], end_color=STATUS_COLOURS[status])


def _widths(ws, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


_RIGHT = re.compile(r"^(hak(-hak)?(\s+atas)?|rights?\s+(to|of)(\s+a)?)\s+", re.IGNORECASE)


def sheet_title(name: str, taken: set[str]) -> str:
    """A readable sheet name: a criterion's subject without "Hak atas" ("Bantuan hukum"), cut at a word within
    Excel's 31 characters, none of []:*?/\\, unique in the workbook."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", _RIGHT.sub("", name)).strip()
    cleaned = cleaned[:1].upper() + cleaned[1:]
    title = cleaned if len(cleaned) <= 31 else cleaned[:31].rsplit(" ", 1)[0].rstrip()
    n = 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = cleaned[:31 - len(suffix)].rstrip() + suffix, n + 1
    taken.add(title.lower())
    return title


def table_header(ws, header_row: int, last_col: int) -> None:
    """Freeze everything above the table's first data row, filter its columns, print it on A4 landscape one page
    wide with the header repeated on every page."""
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    last = get_column_letter(last_col)
    ws.auto_filter.ref = f"A{header_row}:{last}{max(ws.max_row, header_row + 1)}"
    ws.print_area = f"A1:{last}{ws.max_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for cell in ws[header_row]:
        cell.font = Font(bold=True)


def write_xlsx(data: dict, path: Path, lang: str = "id", link_base: str | None = None) -> Path:
    L = labels(lang)
    gaps = data["gaps"]
    taken: set[str] = set()
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(L["summary"], taken)
    ws.append([f"{L['title']} — {gaps.opds.region_name} — {L['year']} {gaps.assessment_year}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{L['generated']}: {local_time(data['generated'], lang)}"])
    ws.append([headline(gaps, lang)])
    ws["A3"].font = Font(bold=True)
    header = [L["criterion"], L["status"], *(L[t] for t in TYPES), L["ask"]]
    ws.append(header)
    header_row = ws.max_row
    for c in gaps.criteria:
        ws.append([criterion_name(c, lang), L[c.status], *(L[c.types[t].status] for t in TYPES),
                   ", ".join(gaps.opd_label(o) for o in c.ask) or "-"])
        row = ws.max_row
        ws.cell(row, 2).fill = _fill(c.status)
        for k, t in enumerate(TYPES, start=3):
            ws.cell(row, k).fill = _fill(c.types[t].status)
    table_header(ws, header_row, len(header))
    ws.append([])
    for status in CRITERION_STATUSES:
        ws.append([f"{L['total']} {L[status]}", data["totals"][status]])
        ws.cell(ws.max_row, 2).fill = _fill(status)
    ws.append([L["status_help"]])
    ws.print_area = f"A1:{get_column_letter(len(header))}{ws.max_row}"
    _widths(ws, [48, 16, 16, 16, 16, 40])

    for c in gaps.criteria:
        sheet = wb.create_sheet(sheet_title(criterion_name(c, lang), taken))
        sheet.append([criterion_name(c, lang), L[c.status]])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet["B1"].fill = _fill(c.status)
        # The criterion's row of the matrix, with what to ask for, and of whom, where a type is not covered.
        for t in TYPES:
            cell = c.types[t]
            asked = gaps.opd_label(cell.responsible) if cell.responsible else ""
            if cell.ask[1:]:
                asked += f" ({L['together']} {', '.join(gaps.opd_label(o) for o in cell.ask[1:])})"
            sheet.append([L[t], L[cell.status], asked, need_text(cell, lang) if cell.ask else ""])
            row = sheet.max_row
            sheet.cell(row, 2).fill = _fill(cell.status)
            sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=7)  # room for the request
            sheet.cell(row, 4).alignment = WRAP
        sheet.append([])
        columns = [L["file"], L["opd"], L["type"], L["date"], L["confidence"], L["in_period"], L["why"],
                   L["endorsement"]]
        sheet.append(columns)
        header_row = sheet.max_row
        for e in c.evidence:
            reason = why_words(e.why, lang) + ("" if e.in_period else " — " + say(e.period_reason, lang))
            sheet.append([e.path, gaps.folder_label(e.opd), ", ".join(L[t] for t in e.types),
                          long_date(e.date, lang), decimal(e.confidence, lang),
                          L["yes"] if e.in_period else L["no"], reason,
                          L[f"end_{e.endorsement or 'not-checked'}"]])
            sheet.cell(sheet.max_row, 7).alignment = WRAP
            if link_base:
                link = sheet.cell(sheet.max_row, 1)
                link.hyperlink = f"{link_base}/dokumen/{e.sha256}/asli"
                link.style = "Hyperlink"
        if not c.evidence:
            sheet.append([L["none"]])
        table_header(sheet, header_row, len(columns))
        _widths(sheet, [46, 16, 16, 18, 12, 12, 70, 24])

    req = wb.create_sheet(sheet_title(L["requests"], taken))
    req.append([L["request_intro"], f"{L['year']} {gaps.assessment_year}"])
    req["A1"].font = Font(bold=True, size=12)
    columns = [L["opd"], L["folder"], L["criterion"], L["type"], L["status"], L["need"], L["together"]]
    req.append(columns)
    for opd_id, items in data["requests"].items():
        opd = gaps.opds.by_id(opd_id)
        for item in items:
            req.append([opd.name if opd else opd_id, opd.folder if opd else "", criterion_name(item, lang),
                        L[item.evidence_type], L[item.status], need_text(item, lang),
                        ", ".join(gaps.opd_label(o) for o in item.together)])
            req.cell(req.max_row, 5).fill = _fill(item.status)
            req.cell(req.max_row, 6).alignment = WRAP
    table_header(req, 2, len(columns))
    _widths(req, [40, 14, 40, 12, 14, 70, 24])

    q = wb.create_sheet(sheet_title(L["quarantine"], taken))
    columns = [L["file"], L["opd"], L["status"], L["reason"]]
    q.append(columns)
    for item in data["quarantined"]:
        q.append([item["path"], gaps.folder_label(item["opd"]), L["statuses"].get(item["status"], item["status"]),
                  item["reason"] if lang == "id" else item["reason_en"]])
        q.cell(q.max_row, 4).alignment = WRAP
    table_header(q, 1, len(columns))
    _widths(q, [50, 16, 22, 80])

    path.parent.mkdir(parents=True, exist_ok=True)
    inert_workbook(wb)  # no name or text from an inbox may run as a formula
    wb.save(path)
    return path
