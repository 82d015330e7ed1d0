"""Stage 8: write the coordinator's reports (Excel and HTML) for the assessment year."""

from __future__ import annotations

from pathlib import Path

from pipeline.ledger.ledger import Ledger
from pipeline.reports.data import report_data
from pipeline.reports.html import write_html
from pipeline.reports.xlsx import write_xlsx


def write_reports(ledger: Ledger, gaps: dict, folder: Path, inbox: Path | None = None, lang: str = "id"
                  ) -> list[Path]:
    data = report_data(ledger, gaps)
    stem = f"bukti-kkp-ham-{gaps['assessment_year']}" + ("" if lang == "id" else f"-{lang}")
    return [write_xlsx(data, folder / f"{stem}.xlsx", lang, inbox), write_html(data, folder / f"{stem}.html", lang, inbox)]
