"""One self-contained HTML report (no scripts, no external files), printable on A4: the completeness matrix
(criterion x evidence type, coloured by status, with the number of documents that count) drawn as inline SVG
once, then per criterion what is missing and of whom to ask it, its evidence, the requests per OPD and the
quarantined files, in one language. Links open the files on the review page (`link_base`), never a path of this
machine."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from pipeline.criteria import TYPES
from pipeline.gaps.records import GapList
from pipeline.i18n import CRITERION_STATUSES, STATUS_COLOURS, criterion_name, headline, labels, need_text, status_css
from pipeline.words import decimal, local_time, long_date, say, why_words

TEMPLATES = Path(__file__).with_name("templates")
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2", "svg"]))

NAME_W, STATUS_W, CELL_W, ROW_H, TOP = 330, 96, 132, 30, 56


def _short(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def completeness_chart(gaps: GapList, lang: str) -> dict:
    """Geometry of the matrix: one row per criterion, its completeness, then a cell per evidence type showing its
    status and how many in-period documents support it. A glance shows which types are missing where."""
    L = labels(lang)
    rows = []
    for i, c in enumerate(gaps.criteria):
        y = TOP + i * ROW_H
        cells = []
        for k, t in enumerate(TYPES):
            cell = c.types[t]
            n = cell.counted
            shown = L[cell.status] + (f" ({n})" if n else "")
            tip = f"{criterion_name(c, lang)} / {L[t]}: {L[cell.status]}, {n} {L['documents']}"
            if cell.ask:
                tip += f" — {L['need']}: {need_text(cell, lang)} ({', '.join(cell.ask)})"
            cells.append({"x": NAME_W + STATUS_W + k * CELL_W, "y": y, "status": cell.status, "text": shown,
                          "colour": "#" + STATUS_COLOURS[cell.status], "title": tip, "type": t})
        rows.append({"id": c.id, "name": _short(criterion_name(c, lang)), "full_name": criterion_name(c, lang),
                     "y": y, "status": c.status, "status_text": L[c.status],
                     "status_colour": "#" + STATUS_COLOURS[c.status], "cells": cells})
    columns = [{"x": NAME_W + STATUS_W + k * CELL_W + CELL_W / 2, "text": L[t]} for k, t in enumerate(TYPES)]
    legend = [{"x": 4 + k * 150, "colour": "#" + STATUS_COLOURS[s], "text": f"{L[s]}: {gaps.summary[s]}"}
              for k, s in enumerate(CRITERION_STATUSES)]
    height = TOP + len(rows) * ROW_H + 44
    return {"width": NAME_W + STATUS_W + CELL_W * len(TYPES) + 8, "height": height, "rows": rows,
            "columns": columns, "legend": legend, "legend_y": height - 26, "name_w": NAME_W, "status_w": STATUS_W,
            "cell_w": CELL_W, "row_h": ROW_H, "headline": headline(gaps, lang), "title": L["chart"],
            "status_header": L["status"], "criterion_header": L["criterion"]}


def matrix_svg(gaps: GapList, lang: str = "id") -> Markup:
    return Markup(_ENV.get_template("matrix.svg.j2").render(chart=completeness_chart(gaps, lang)))


def is_local(link_base: str | None) -> bool:
    """Links to loopback open only on the machine that serves the review page: the report says so."""
    return bool(link_base) and any(h in link_base for h in ("//127.", "//localhost", "//[::1]"))


def render_html(data: dict, lang: str = "id", link_base: str | None = None) -> str:
    template = _ENV.get_template("report.html.j2")
    gaps = data["gaps"]
    return template.render(
        lang=lang, L=labels(lang), types=TYPES, statuses=CRITERION_STATUSES, name=lambda c: criterion_name(c, lang),
        need=lambda cell: need_text(cell, lang), headline=headline(gaps, lang), region=gaps.region,
        matrix=matrix_svg(gaps, lang), link_base=link_base, links_local=is_local(link_base), css=status_css(),
        say=lambda text: say(text, lang), day=lambda d: long_date(d, lang), why=lambda e: why_words(e.why, lang),
        score=lambda v: decimal(v, lang), **{**data, "generated": local_time(data["generated"], lang)})


def write_html(data: dict, path: Path, lang: str = "id", link_base: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(data, lang, link_base), encoding="utf-8")
    return path
