"""Dates in Indonesian documents: the document's own date and the years it speaks about.

"14 Maret 2022", "21/6/2023", "Tahun Anggaran 2022", "Semester II Tahun 2025", "Periode 2022-2024". Years of
other regulations cited in the text ("Undang-Undang Nomor 16 Tahun 2011") are references, not the period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {"januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
          "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8,
          "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
          "nov": 11, "nopember": 11, "desember": 12, "des": 12}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TEXT_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_NUM_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})\b")
_SIGNED = re.compile(rf"(?:pada tanggal|tanggal|,)\s*(\d{{1,2}}\s+(?:{_MONTH})\.?\s+(?:19|20)\d{{2}})", re.IGNORECASE)
_RANGE = re.compile(r"\b(?:periode|tahun|ta\.?)\s+((?:19|20)\d{2})\s*(?:-|–|s\.?d\.?|sampai( dengan)?)\s*((?:19|20)\d{2})\b",
                    re.IGNORECASE)
_PERIOD_YEAR = re.compile(r"\b(?:tahun anggaran|t\.?a\.?|tahun|semester\s+\w+\s+tahun|triwulan\s+\w+\s+tahun"
                          r"|bulan\s+\w+)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_CITATION = re.compile(r"\bnomor\s+[\w./-]+\s+tahun\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_BEFORE_CITATION = re.compile(r"menimbang|mengingat|berdasarkan|sesuai|sebagaimana|memperhatikan", re.IGNORECASE)


@dataclass(frozen=True)
class Dates:
    date: dt.date | None  # the document's own date (signature, letter date), if found
    years: tuple[int, ...]  # years the document speaks about, ascending
    own_number_year: int | None  # "NOMOR 14 TAHUN 2025" at the head of a regulation: its enactment year


def _valid(day: int, month: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def all_dates(text: str) -> list[dt.date]:
    found = []
    for m in _TEXT_DATE.finditer(text):
        d = _valid(int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3)))
        if d:
            found.append(d)
    for m in _NUM_DATE.finditer(text):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append(d)
    return found


def parse_dates(text: str, today: dt.date | None = None) -> Dates:
    today = today or dt.date.today()
    plausible = [d for d in all_dates(text) if dt.date(1945, 1, 1) <= d <= today + dt.timedelta(days=366)]
    signed = []
    for m in _SIGNED.finditer(text):
        signed.extend(d for d in all_dates(m.group(1)) if d in plausible)
    # A signature date is the document's own; otherwise the latest date in it (letters cite older dates).
    date = signed[-1] if signed else (max(plausible) if plausible else None)

    citations = {m.start(1) for m in _CITATION.finditer(text)}
    # The heading's "NOMOR 14 TAHUN 2025" is the document's own number; one after "Menimbang"/"berdasarkan" cites.
    own = _CITATION.search(text[:600])
    own_year = int(own.group(1)) if own and not _BEFORE_CITATION.search(text[:own.start()]) else None
    years: set[int] = set()
    for m in _RANGE.finditer(text):
        a, b = int(m.group(1)), int(m.group(3))
        if a <= b <= a + 10:
            years.update(range(a, b + 1))
    for m in _PERIOD_YEAR.finditer(text):
        if m.start(1) not in citations:
            years.add(int(m.group(1)))
    years = {y for y in years if 1945 <= y <= today.year + 1}
    return Dates(date, tuple(sorted(years)), own_year)
