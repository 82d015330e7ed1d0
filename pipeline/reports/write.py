"""Stage 8: write the coordinator's reports (Excel and HTML) for the assessment year."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.gaps.records import GapList
from pipeline.ledger.ledger import Ledger
from pipeline.reports.data import report_data
from pipeline.reports.html import write_html
from pipeline.reports.unchanged import fingerprint, write_if_changed
from pipeline.reports.xlsx import write_xlsx


def safe_name(region: str) -> str:
    """A region's folder name as part of a file name: letters, digits, '.', '_' and '-' kept, anything else
    (spaces, separators, quotes: folder names come from the inbox) a '-', plus a short hash of the original
    when anything was changed, so two regions never share a report file."""
    cleaned = re.sub(r"[^a-z0-9._-]+", "-", region.lower()).strip("-.") or "region"
    if cleaned == region:
        return cleaned
    return f"{cleaned[:60]}-{hashlib.sha256(region.encode('utf-8', 'surrogatepass')).hexdigest()[:6]}"


def report_stem(gaps: GapList, lang: str = "id") -> str:
    """File name of a report without its extension: the year, the region when there is one, the language
    when it is not Indonesian (bukti-kkp-ham-2025, bukti-kkp-ham-2025-kab-semarang-en)."""
    region = f"-{safe_name(gaps.region)}" if gaps.region else ""
    return f"bukti-kkp-ham-{gaps.assessment_year}{region}" + ("" if lang == "id" else f"-{lang}")


def write_reports(ledger: Ledger, gaps: GapList, folder: Path, link_base: str | None = None, lang: str = "id"
                  ) -> list[Path]:
    """Both reports of one gap list; their links open files on the review page at `link_base`."""
    data = report_data(ledger, gaps)
    stem = report_stem(gaps, lang)
    xlsx, html = folder / f"{stem}.xlsx", folder / f"{stem}.html"
    shown = {"gaps": gaps.as_json(), "region": gaps.region, "quarantined": data["quarantined"]}
    digest = fingerprint(shown, lang=lang, links=link_base)
    return write_if_changed([xlsx, html], digest, lambda: [write_xlsx(data, xlsx, lang, link_base),
                                                           write_html(data, html, lang, link_base)])
