"""How things are said to the coordinator: dates as a letter writes them ("21 Juni 2026, 01.00 WIB"), the
model's score in words with the reason, the one language of a stored "Indonesian / English" reason, and when a
file still waiting will be read. pipeline/i18n.py holds the fixed words; this module puts values into words.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

MONTHS = {"id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                 "Oktober", "November", "Desember"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December")}
# Indonesia's three zones as people write them after a time; any other zone is shown by its UTC offset.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def say(text: str | None, lang: str = "id") -> str:
    """One language of a reason stored as "Indonesian / English" (reasons, periods, types); the text itself
    when it has one language only."""
    if not text:
        return ""
    first, sep, rest = text.partition(" / ")
    return first if lang == "id" or not sep else rest


def long_date(value: dt.date | str | None, lang: str = "id") -> str:
    """21 Juni 2026 (id) / 21 June 2026 (en); "" for no date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def zone_label(zone: str) -> str:
    if zone in ZONE_NAMES:
        return ZONE_NAMES[zone]
    offset = dt.datetime.now(ZoneInfo(zone)).utcoffset() or dt.timedelta()
    hours = offset.total_seconds() / 3600
    return f"UTC{hours:+g}"


def local_time(value: dt.datetime | str | None, lang: str = "id", zone: str = "Asia/Jakarta") -> str:
    """A ledger time (UTC, stored without its zone) as "21 Juni 2026, 01.00 WIB" (en: "21 June 2026, 01:00 WIB")."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(ZoneInfo(zone))
    clock = f"{local.hour:02d}.{local.minute:02d}" if lang == "id" else f"{local.hour:02d}:{local.minute:02d}"
    return f"{long_date(local.date(), lang)}, {clock} {zone_label(zone)}"


def decimal(value: float, lang: str = "id", places: int = 2) -> str:
    """0,74 in Indonesian, 0.74 in English."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if lang == "id" else text


# The model's score against its threshold, in words. "In the band" is the gap list's weak band: what a reviewer
# should look at; a reviewer's decision replaces the words.
CONFIDENCE_WORDS = {
    "id": {"strong": "sangat cocok", "match": "cocok", "band": "ragu-ragu, perlu ditinjau", "no": "tidak cocok",
           "confirmed": "dikonfirmasi peninjau", "rejected": "ditolak peninjau",
           "score": "skor {score} (batas {threshold})"},
    "en": {"strong": "clear match", "match": "match", "band": "uncertain, needs review", "no": "no match",
           "confirmed": "confirmed by a reviewer", "rejected": "rejected by a reviewer",
           "score": "score {score} (threshold {threshold})"},
}


def confidence_level(confidence: float, threshold: float, band: float) -> str:
    """strong / match / band / no: how the score stands against the criterion's threshold and review band."""
    if confidence >= threshold + (1 - threshold) / 2:
        return "strong"
    if confidence >= threshold:
        return "match"
    if confidence >= threshold - band:
        return "band"
    return "no"


def confidence_words(confidence: float, threshold: float, band: float, lang: str = "id",
                     decision: bool | None = None) -> str:
    """"cocok — skor 0,74 (batas 0,50)": the words first, the figures after for who wants them."""
    W = CONFIDENCE_WORDS[lang]
    level = "confirmed" if decision is True else "rejected" if decision is False else \
        confidence_level(confidence, threshold, band)
    score = W["score"].format(score=decimal(confidence, lang), threshold=decimal(threshold, lang))
    return f"{W[level]} — {score}"


def why_words(why: dict | None, lang: str = "id") -> str:
    """The reason behind a score, as a sentence: the title block the model read and the guideline rule."""
    if not why:
        return ""
    parts = []
    if why.get("title"):
        parts.append(("judul: " if lang == "id" else "title: ") + f"\u201c{why['title']}\u201d")
    if why.get("rule"):
        parts.append(say(why["rule"], lang))
    if why.get("terms"):
        parts.append(("kata kunci: " if lang == "id" else "key words: ") + ", ".join(why["terms"][:5]))
    return "; ".join(parts)


_CRON_DAILY = re.compile(r"^(\d{1,2})\s+(\d{1,2})\s+\*\s+\*\s+\*$")


def next_reading(cron: str, zone: str, lang: str = "id", now: dt.datetime | None = None) -> str:
    """When a file still being written (pending) will be read: the next nightly pass, from the schedule."""
    found = _CRON_DAILY.match(cron.strip())
    if not found:
        return "pada proses terjadwal berikutnya" if lang == "id" else "at the next scheduled pass"
    minute, hour = int(found.group(1)), int(found.group(2))
    local_now = (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(zone))
    run = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if run <= local_now:
        run += dt.timedelta(days=1)
    return local_time(run, lang, zone)
