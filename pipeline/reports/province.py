"""The province summary as a report: regions x criteria, coloured by completeness, regions at risk first
(pipeline/gaps/province.py says what "at risk" means). Excel and one self-contained HTML page, each region
linking to (HTML) or naming (Excel) its own report; `write_province_reports` writes them all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.criteria import TYPES
from pipeline.gaps.province import Province, covered_types, region_label, region_risk
from pipeline.i18n import CRITERION_STATUSES, STATUS_COLOURS, labels, status_css
from pipeline.ledger.ledger import Ledger
from pipeline.reports.inert import inert_workbook
from pipeline.reports.unchanged import fingerprint, write_if_changed
from pipeline.reports.write import report_stem, write_reports
from pipeline.reports.xlsx import table_header

_ENV = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html", "j2"]))


def province_stem(assessment_year: int, lang: str = "id") -> str:
    return f"bukti-kkp-ham-{assessment_year}-provinsi" + ("" if lang == "id" else f"-{lang}")


def _rows(province: Province, lang: str, uploads: dict | None = None) -> list[dict]:
    from pipeline.words import local_time

    cells = lambda g: len(g.criteria) * len(TYPES)  # noqa: E731
    return [{"region": g.region, "label": g.opds.region_name or region_label(g.region), "risk": region_risk(g),
             "gaps": g, "covered": sum(covered_types(c) for c in g.criteria), "cells": cells(g),
             "percent": round(100 * sum(covered_types(c) for c in g.criteria) / cells(g)) if cells(g) else 0,
             "last_upload": local_time((uploads or {}).get(g.region), lang),
             "report": f"{report_stem(g, lang)}.html"} for g in province.regions]


def render_province_html(province: Province, lang: str = "id", link_reports: bool = True,
                         uploads: dict | None = None) -> str:
    from pipeline.words import local_time

    L = labels(lang)
    return _ENV.get_template("province.html.j2").render(
        lang=lang, L=L, province=province, rows=_rows(province, lang, uploads), statuses=CRITERION_STATUSES,
        criteria=[(cid, name if lang == "id" else name_en) for cid, name, name_en in province.criteria()],
        link_reports=link_reports, css=status_css(), types=TYPES,
        generated=local_time(dt.datetime.now(dt.UTC), lang))


def write_province_html(province: Province, path: Path, lang: str = "id", uploads: dict | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_province_html(province, lang, uploads=uploads), encoding="utf-8")
    return path


def write_province_xlsx(province: Province, path: Path, lang: str = "id", uploads: dict | None = None) -> Path:
    L = labels(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = L["province"][:31]
    ws.append([f"{L['province_title']} — {L['year']} {province.assessment_year}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([L["risk_help"]])
    criteria = province.criteria()
    ws.append([L["region"], L["at_risk"], L["critical"], L["percent_complete"], L["last_upload"],
               *((name if lang == "id" else name_en) for _, name, name_en in criteria), L["report"]])
    for cell in ws[ws.max_row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[ws.max_row].height = 75
    first = 6
    for row in _rows(province, lang, uploads):
        g, risk = row["gaps"], row["risk"]
        ws.append([row["label"], L["yes"] if risk.at_risk else L["no"], risk.critical, row["percent"] / 100,
                   row["last_upload"], *(L[c.status] for c in g.criteria), report_stem(g, lang) + ".xlsx"])
        ws.cell(ws.max_row, 4).number_format = "0%"
        for k, c in enumerate(g.criteria, start=first):
            colour = STATUS_COLOURS[c.status]
            ws.cell(ws.max_row, k).fill = PatternFill("solid", start_color=colour, end_color=colour)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["E"].width = 24
    for k in range(first, first + len(criteria)):
        ws.column_dimensions[get_column_letter(k)].width = 15
    table_header(ws, 3, ws.max_column)
    path.parent.mkdir(parents=True, exist_ok=True)
    inert_workbook(wb)  # region names are folder names from the inbox
    wb.save(path)
    return path


def write_province_reports(ledger: Ledger, province: Province, folder: Path, link_base: str | None = None,
                           lang: str = "id") -> list[Path]:
    """Each region's workbook and HTML report, then the province summary in both formats."""
    paths: list[Path] = []
    for gaps in province.regions:
        paths += write_reports(ledger, gaps, folder, link_base, lang)
    stem = province_stem(province.assessment_year, lang)
    xlsx, html = folder / f"{stem}.xlsx", folder / f"{stem}.html"
    uploads = ledger.last_uploads()
    digest = fingerprint([g.as_json() for g in province.regions], regions=[g.region for g in province.regions],
                         lang=lang, uploads=uploads)
    return paths + write_if_changed([xlsx, html], digest, lambda: [
        write_province_xlsx(province, xlsx, lang, uploads), write_province_html(province, html, lang, uploads)])
