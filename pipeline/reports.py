"""Stage 8: write the coordinator's reports (Excel and HTML) for the assessment year."""

from __future__ import annotations

from pathlib import Path

from .ledger import Ledger
from .report_data import report_data
from .report_html import write_html
from .report_xlsx import write_xlsx


def write_reports(ledger: Ledger, gaps: dict, folder: Path, inbox: Path | None = None, lang: str = "id"
                  ) -> list[Path]:
    data = report_data(ledger, gaps)
    stem = f"bukti-kkp-ham-{gaps['assessment_year']}" + ("" if lang == "id" else f"-{lang}")
    return [write_xlsx(data, folder / f"{stem}.xlsx", lang, inbox), write_html(data, folder / f"{stem}.html", lang, inbox)]
