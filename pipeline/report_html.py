"""One self-contained HTML report (no scripts, no external files): the same content as the workbook, plus a
chart of in-period evidence per criterion and type drawn as inline SVG."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .evidence import TYPES
from .i18n import criterion_name, labels

TEMPLATES = Path(__file__).with_name("templates")
BAR_COLOURS = {"struktur": "#4472C4", "proses": "#ED7D31", "hasil": "#70AD47"}


def evidence_chart(gaps: dict, lang: str) -> dict:
    L = labels(lang)
    group_w, bar_w, top, plot_h = 60, 16, 30, 160
    counts = [[sum(1 for e in c["types"][t]["evidence"] if e["in_period"]) for t in TYPES] for c in gaps["criteria"]]
    peak = max([1] + [n for row in counts for n in row])
    bars, names = [], []
    for i, (c, row) in enumerate(zip(gaps["criteria"], counts)):
        x0 = 40 + i * group_w
        for k, (t, n) in enumerate(zip(TYPES, row)):
            h = round(plot_h * n / peak)
            bars.append({"x": x0 + k * bar_w, "y": top + plot_h - h, "w": bar_w - 2, "h": h,
                         "colour": BAR_COLOURS[t], "title": f"{c['id']} / {L[t]}: {n}"})
        names.append({"x": x0 + 1.5 * bar_w, "y": top + plot_h + 14, "text": c["id"]})
    legend = [{"x": 40 + k * 110, "colour": BAR_COLOURS[t], "text": L[t]} for k, t in enumerate(TYPES)]
    return {"width": 40 + group_w * len(counts) + 20, "height": top + plot_h + 130, "bars": bars,
            "labels": names, "legend": legend}


def render_html(data: dict, lang: str = "id", inbox: Path | None = None) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("report.html.j2")
    return template.render(
        lang=lang, L=labels(lang), types=TYPES, name=lambda c: criterion_name(c, lang),
        chart=evidence_chart(data["gaps"], lang), inbox=inbox,
        file_uri=lambda rel: (inbox / rel).resolve().as_uri() if inbox else rel, **data)


def write_html(data: dict, path: Path, lang: str = "id", inbox: Path | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(data, lang, inbox), encoding="utf-8")
    return path
