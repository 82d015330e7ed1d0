"""`bukti letters` and the nightly run: every OPD's letter as DOCX and PDF in `BUKTI_HOME/letters/`
(`surat-<opd>.docx`, `.pdf`), rewritten only when the requests changed (or new links were issued), like the
reports (pipeline/reports/unchanged.py): a night that changed no request leaves last week's letters as they are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.config import Settings
from pipeline.gaps.records import GapList
from pipeline.letters.content import build_letters
from pipeline.portal.deadlines import calendar, opd_deadline
from pipeline.reports.unchanged import fingerprint, write_if_changed


def letters_dir(settings: Settings, region: str = "") -> Path:
    return settings.home / "letters" / region if region else settings.home / "letters"


def requests_state(gaps: GapList) -> dict:
    """What the letters are about: each OPD's requests (a changed evidence list that changes no request is no
    reason for new letters)."""
    return {opd: [(r.criterion, r.evidence_type, r.status) for r in requests]
            for opd, requests in gaps.requests_by_opd().items()}


def write_letters(settings: Settings, gaps: GapList, folder: Path | None = None, today: dt.date | None = None,
                  links: dict[str, str] | None = None) -> list[Path]:
    """Both files of every OPD's letter, rewritten only when what they say changed since they were last written."""
    today = today or dt.date.today()
    folder = folder or letters_dir(settings, gaps.region)
    due = opd_deadline(calendar(settings), today)
    letters = build_letters(gaps, settings, today, due, links)
    paths = [folder / f"surat-{letter.opd}.{ext}" for letter in letters for ext in ("docx", "pdf")]
    # The date is in the letter but not in the fingerprint: a new day alone writes no new letters.
    digest = fingerprint(requests_state(gaps), links=sorted((links or {}).items()), due=due,
                         settings=[settings.letter_government, settings.letter_unit, settings.letter_address,
                                   settings.letter_place, settings.letter_number, settings.signer_name,
                                   settings.signer_title, settings.signer_nip])

    def write() -> list[Path]:
        # Imported only when letters are written: a night that changed no request loads neither library.
        from pipeline.letters.docx import write_docx
        from pipeline.letters.pdf import write_pdf

        out = []
        for letter in letters:
            out.append(write_docx(letter, folder / f"surat-{letter.opd}.docx"))
            out.append(write_pdf(letter, folder / f"surat-{letter.opd}.pdf"))
        return out

    return write_if_changed(paths, digest, write) if paths else []
