"""The province summary as a report: regions x criteria, coloured by completeness, regions at risk first
(pipeline/gaps/province.py says what "at risk" means). Excel and one self-contained HTML page, each region
linking to (HTML) or naming (Excel) its own report; `write_province_reports` writes them all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from pipeline.gaps.province import Province, region_label, region_risk
from pipeline.i18n import CRITERION_STATUSES, STATUS_COLOURS, labels
from pipeline.ledger.ledger import Ledger
from pipeline.reports.inert import inert_workbook
from pipeline.reports.unchanged import fingerprint, write_if_changed
from pipeline.reports.write import report_stem, write_reports

_ENV = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html", "j2"]))


def province_stem(assessment_year: int, lang: str = "id") -> str:
    return f"bukti-kkp-ham-{assessment_year}-provinsi" + ("" if lang == "id" else f"-{lang}")


def _rows(province: Province, lang: str) -> list[dict]:
    return [{"region": g.region, "label": region_label(g.region), "risk": region_risk(g), "gaps": g,
             "report": f"{report_stem(g, lang)}.html"} for g in province.regions]


def render_province_html(province: Province, lang: str = "id", link_reports: bool = True) -> str:
    L = labels(lang)
    return _ENV.get_template("province.html.j2").render(
        lang=lang, L=L, province=province, rows=_rows(province, lang), statuses=CRITERION_STATUSES,
        criteria=[(cid, name if lang == "id" else name_en) for cid, name, name_en in province.criteria()],
        link_reports=link_reports, generated=dt.datetime.now().replace(microsecond=0).isoformat(sep=" "))


def write_province_html(province: Province, path: Path, lang: str = "id") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_province_html(province, lang), encoding="utf-8")
    return path


def write_province_xlsx(province: Province, path: Path, lang: str = "id") -> Path:
    L = labels(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = L["province"][:31]
    ws.append([f"{L['province_title']} — {L['year']} {province.assessment_year}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([L["risk_help"]])
    criteria = province.criteria()
    ws.append([L["region"], L["at_risk"], L["critical"], *(cid for cid, _, _ in criteria),
               *(f"{L['total']} {L[s]}" for s in CRITERION_STATUSES), L["report"]])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in _rows(province, lang):
        g, risk = row["gaps"], row["risk"]
        ws.append([row["label"], L["yes"] if risk.at_risk else L["no"], risk.critical,
                   *(L[c.status] for c in g.criteria), *(g.summary[s] for s in CRITERION_STATUSES),
                   report_stem(g, lang) + ".xlsx"])
        for k, c in enumerate(g.criteria, start=4):
            colour = STATUS_COLOURS[c.status]
            ws.cell(ws.max_row, k).fill = PatternFill("solid", start_color=colour, end_color=colour)
    ws.column_dimensions["A"].width = 32
    path.parent.mkdir(parents=True, exist_ok=True)
    inert_workbook(wb)  # region names are folder names from the inbox
    wb.save(path)
    return path


def write_province_reports(ledger: Ledger, province: Province, folder: Path, inbox: Path | None = None,
                           lang: str = "id") -> list[Path]:
    """Each region's workbook and HTML report, then the province summary in both formats."""
    paths: list[Path] = []
    for gaps in province.regions:
        paths += write_reports(ledger, gaps, folder, inbox, lang)
    stem = province_stem(province.assessment_year, lang)
    xlsx, html = folder / f"{stem}.xlsx", folder / f"{stem}.html"
    digest = fingerprint([g.as_json() for g in province.regions], regions=[g.region for g in province.regions],
                         lang=lang)
    return paths + write_if_changed([xlsx, html], digest, lambda: [write_province_xlsx(province, xlsx, lang),
                                                                   write_province_html(province, html, lang)])
