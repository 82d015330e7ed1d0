"""The assessment's calendar: its stages as dates, the one OPDs must meet, and how many days are left.

KKP HAM's yearly cycle (Permenkumham 22/2021 and the Ditjen HAM's yearly circular): the region's data reach
the Kanwil by the end of March, and the Kanwil enters its assessment by mid-May. A Bagian Hukum needs the OPDs'
files before its own deadline, so the default calendar puts the OPDs' date two weeks earlier. The data of an
assessment year are sent in the following year.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from pipeline.config import ConfigError, Settings


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    name: str  # Indonesian
    name_en: str
    for_opds: bool = False  # the date OPDs must have sent their files by

    def days_left(self, today: dt.date) -> int:
        return (self.date - today).days


def default_calendar(assessment_year: int) -> tuple[Deadline, ...]:
    year = assessment_year + 1
    return (Deadline(dt.date(year, 3, 15), "Batas kiriman data dukung OPD ke Bagian Hukum",
                     "OPDs' evidence due at the Bagian Hukum", True),
            Deadline(dt.date(year, 3, 31), "Data dukung daerah ke Kanwil Kemenkumham",
                     "The region's evidence due at the Kanwil"),
            Deadline(dt.date(year, 5, 15), "Batas input penilaian oleh Kanwil", "The Kanwil's entry closes"))


def calendar(settings: Settings) -> tuple[Deadline, ...]:
    """The configured calendar (`deadlines`), in date order, else the default for the assessment year."""
    if not settings.deadlines.strip():
        return default_calendar(settings.assessment_year)
    try:
        rows = json.loads(settings.deadlines)
        out = tuple(Deadline(dt.date.fromisoformat(str(r["date"])), str(r["name"]),
                             str(r.get("name_en") or r["name"]), bool(r.get("opd", False))) for r in rows)
    except (ValueError, TypeError, KeyError) as exc:
        raise ConfigError(f"setting deadlines must be a list of {{date, name, name_en, opd}}: {exc}") from exc
    if not out:
        raise ConfigError("setting deadlines lists no date")
    return tuple(sorted(out, key=lambda d: d.date))


def next_deadline(stages: tuple[Deadline, ...], today: dt.date) -> Deadline | None:
    """The first stage not yet past, or None when the year's calendar is over."""
    return next((d for d in stages if d.date >= today), None)


def opd_deadline(stages: tuple[Deadline, ...], today: dt.date) -> Deadline | None:
    """The date the OPDs are held to: the next stage marked for them, else the next stage."""
    upcoming = [d for d in stages if d.date >= today]
    return next((d for d in upcoming if d.for_opds), upcoming[0] if upcoming else None)
