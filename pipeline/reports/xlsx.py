"""The Excel workbook for the coordinator: summary matrix with completeness counts, a sheet per criterion (its
types and what to ask for, then its evidence), requests per OPD with what to ask for, quarantine."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.reports.inert import inert_workbook
from pipeline.criteria import TYPES
from pipeline.i18n import CRITERION_STATUSES, STATUS_COLOURS, criterion_name, headline, labels, need_text


def _fill(status: str) -> PatternFill:
    return PatternFill("solid", start_color=STATUS_COLOURS[status], end_color=STATUS_COLOURS[status])


def _widths(ws, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def write_xlsx(data: dict, path: Path, lang: str = "id", inbox: Path | None = None) -> Path:
    L = labels(lang)
    gaps = data["gaps"]
    wb = Workbook()
    ws = wb.active
    ws.title = L["summary"][:31]
    ws.append([f"{L['title']} — {L['year']} {gaps.assessment_year}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{L['generated']}: {data['generated']}"])
    ws.append([headline(gaps, lang)])
    ws["A3"].font = Font(bold=True)
    header = [L["criterion"], L["status"], *(L[t] for t in TYPES), L["ask"]]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for c in gaps.criteria:
        ws.append([criterion_name(c, lang), L[c.status], *(L[c.types[t].status] for t in TYPES),
                   ", ".join(c.ask) or "-"])
        row = ws.max_row
        ws.cell(row, 2).fill = _fill(c.status)
        for k, t in enumerate(TYPES, start=3):
            ws.cell(row, k).fill = _fill(c.types[t].status)
    ws.append([])
    for status in CRITERION_STATUSES:
        ws.append([f"{L['total']} {L[status]}", data["totals"][status]])
        ws.cell(ws.max_row, 2).fill = _fill(status)
    ws.append([L["status_help"]])
    _widths(ws, [48, 16, 16, 16, 16, 60])

    for c in gaps.criteria:
        sheet = wb.create_sheet(c.id[:31])
        sheet.append([criterion_name(c, lang), L[c.status]])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet["B1"].fill = _fill(c.status)
        # The criterion's row of the matrix, with what to ask for where a type is not covered.
        for t in TYPES:
            cell = c.types[t]
            sheet.append([L[t], L[cell.status], ", ".join(cell.ask), need_text(cell, lang) if cell.ask else ""])
            row = sheet.max_row
            sheet.cell(row, 2).fill = _fill(cell.status)
            sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=7)  # room for the request
            sheet.cell(row, 4).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([])
        sheet.append([L["file"], L["opd"], L["type"], L["date"], L["confidence"], L["in_period"], L["why"]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for e in c.evidence:
            why = e.why or {}
            reason = "; ".join(([why["rule"]] if why.get("rule") else []) + why.get("terms", [])) + (
                " — " + e.period_reason if not e.in_period else "")
            sheet.append([e.path, e.opd, L[e.evidence_type], e.date or "", e.confidence,
                          L["yes"] if e.in_period else L["no"], reason])
            if inbox is not None:
                link = sheet.cell(sheet.max_row, 1)
                link.hyperlink = (inbox / e.path).resolve().as_uri()
                link.style = "Hyperlink"
        if not c.evidence:
            sheet.append([L["none"]])
        _widths(sheet, [50, 16, 12, 12, 12, 12, 70])

    req = wb.create_sheet(L["requests"][:31])
    req.append([L["request_intro"], f"{L['year']} {gaps.assessment_year}"])
    req["A1"].font = Font(bold=True, size=12)
    req.append([L["opd"], L["criterion"], L["type"], L["status"], L["need"]])
    for cell in req[2]:
        cell.font = Font(bold=True)
    for opd, items in data["requests"].items():
        for item in items:
            req.append([opd, criterion_name(item, lang), L[item.evidence_type], L[item.status],
                        need_text(item, lang)])
            req.cell(req.max_row, 4).fill = _fill(item.status)
            req.cell(req.max_row, 5).alignment = Alignment(wrap_text=True)
    _widths(req, [50, 60, 12, 16, 80])

    q = wb.create_sheet(L["quarantine"][:31])
    q.append([L["file"], L["opd"], L["status"], L["reason"]])
    for cell in q[1]:
        cell.font = Font(bold=True)
    for item in data["quarantined"]:
        q.append([item["path"], item["opd"], item["status"], item["reason"] if lang == "id" else item["reason_en"]])
        q.cell(q.max_row, 4).alignment = Alignment(wrap_text=True)
    _widths(q, [50, 16, 14, 90])

    path.parent.mkdir(parents=True, exist_ok=True)
    inert_workbook(wb)  # no name or text from an inbox may run as a formula
    wb.save(path)
    return path
