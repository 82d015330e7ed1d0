"""Dates in Indonesian documents: a regulation's enactment, a document's own date, and the period it is about.

What "period" means here (the assessment of year N counts struktur in force in N and proses/hasil of N):
- struktur (a regulation or decree): the date it was enacted, read from its "Ditetapkan di ... pada tanggal ..."
  line (or "Disahkan di"); failing that, the year in its own number ("NOMOR 14 TAHUN 2025", "NOMOR: .../2025");
  failing that, its own date (a circular's "Wonosobo, 16 Maret 2020"). The date it was promulgated
  ("Diundangkan ... 2 Januari 2023") is not its enactment. A regulation cannot be enacted before a law it
  cites: a candidate year older than the newest citation is an OCR misreading and the next candidate is used.
- proses and hasil: the years the document says it is about in its title block ("TAHUN ANGGARAN 2022",
  "Semester II Tahun 2025", "Januari - Desember 2022", "Periode 2024-2026", "Tahun Pelajaran 2022/2023");
  for a report without one, the years its opening paragraphs speak about ("selama tahun 2022"); for a letter,
  an invitation, minutes or an agreement, its own date. The period wins over the signature: a 2022 report
  signed on 16 January 2023 is about 2022.
- years of cited regulations ("Undang-Undang Nomor 16 Tahun 2011"), of the gazette ("Lembaran Daerah Tahun
  2014"), of document numbers ("Nomor: 005/223/2018") and of data sources ("Sumber: BPS, 2023") are never a
  period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

MONTHS = {"januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
          "agustus": 8, "september": 9, "oktober": 10, "nopember": 11, "november": 11, "desember": 12,
          "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8,
          "aug": 8, "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12}
# A month as written or cut short by OCR ("Januar", "Agust"): any run of letters a month name starts with.
_MONTH = r"[A-Za-z]{3,10}"
_YEAR = r"(?:19|20)\d{2}"
_TEXT_DATE = re.compile(rf"\b(\d{{1,2}})\s*[-.]?\s*({_MONTH})\.?\s*[-,]?\s*(?:tahun\s+)?({_YEAR})\b", re.IGNORECASE)
_NUM_DATE = re.compile(rf"\b(\d{{1,2}})[/.-](\d{{1,2}})[/.-]({_YEAR})\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s*,?\s*({_YEAR})\b", re.IGNORECASE)
# "Sukamaju, 15 Januari 2026", "BUKITTINGGI, DESEMBER 2018": a place, a comma, a date. The document's own date.
_PLACE_DATE = re.compile(rf"(?:^|\s{{2,}})([A-Z][A-Za-z .'-]{{2,30}}),\s*((?:\d{{1,2}}\s*)?{_MONTH}\.?\s*{_YEAR})\b",
                         re.MULTILINE)
_NOT_A_PLACE = re.compile(r"(?i)(nomor|no|tanggal|hari|sifat|lampiran|perihal|hal|senin|selasa|rabu|kamis|jum.?at"
                          r"|sabtu|minggu)\b")
_ENACTED = re.compile(r"\bd[il1|]t[ec]tapkan\s+d[il1|]\b|\bd[il1|]sahkan\s+d[il1|]\b", re.IGNORECASE)
_PROMULGATED = re.compile(r"\bdiundangkan\b", re.IGNORECASE)
# Citations and gazette entries: their years belong to other documents.
_CITATION = re.compile(
    rf"\b(?:n[o0]m[o0]r|n[o0]\.?)\s*:?\s*[\w./-]{{1,25}}\s+tahu[nm]\s+({_YEAR})\b"
    rf"|\b(?:undang-?\s?undang|uu|pp|perpres|permen\w*|perda|perbup|perwal|perwako|pergub|peraturan\s+\w+(?:\s+\w+)?)"
    rf"\s+(?:no\.?\s*|nomor\s*)?[\w./-]{{1,20}}\s+(?:tahun|th\.?)\s+({_YEAR})\b"
    rf"|\b(?:lembaran|berita|tambahan\s+lembaran)\s+(?:negara|daerah)\b[^\n]{{0,60}}?\btahun\s+({_YEAR})\b"
    rf"|\bdasar\b[^\n]{{0,40}}\btahun\s+(1945)\b"
    rf"|\b(?:corona\s*virus\s+)?disease\s+(2019)\b",  # COVID-19's name, not a year anyone reports on
    re.IGNORECASE)
_DOC_NUMBER = re.compile(r"^\W*(?:nomor|no\.?)\s*[:.]?\s*\S*[/.-]", re.IGNORECASE)
_SOURCE = re.compile(r"^\W*sumber\b", re.IGNORECASE)
_YEAR_TOKEN = re.compile(rf"(?<![\d/.-])({_YEAR})(?![\d])")
_RANGE = re.compile(rf"(?<![\d/.-])({_YEAR})\s*(?:-|–|—|s\.?\s?d\.?|sampai(?:\s+dengan)?|hingga)\s*(?:tahun\s+)?({_YEAR})(?!\d)",
                    re.IGNORECASE)
_SCHOOL_YEAR = re.compile(rf"(?<![\d/])({_YEAR})\s*/\s*({_YEAR})(?![\d/])")
_PERIOD_PHRASE = re.compile(
    rf"\b(?:tahun\s+anggaran|t\.?\s?a\.?|tahun|semester\s+\w+(?:\s+tahun)?|triwulan\s+\w+(?:\s+tahun)?|periode"
    rf"|desember|s\.?\s?d\.?\s+\w+)\s+({_YEAR})(?!\d)", re.IGNORECASE)
_WORD_YEAR = re.compile(r"\btahun\s+(dua\s+rib\w(?:\s+[a-z]+){0,4}|seribu\s+sembilan\s+ratus(?:\s+[a-z]+){0,4})",
                        re.IGNORECASE)
# Matched on canon() text: "tanggal" reads "tanggai", "bulan" "buian" there, whatever OCR made of the l.
# The frame "<tanggal> <day in words> <bulan> <month> <tahun> <year in words>" is kept loose (OCR reads "tanggol",
# "buian", "tahvn"): the month must still be a month and both numbers must parse.
_WORD_DATE = re.compile(r"\b[a-z]{6,8}\s+([a-z\s]{3,30}?)\s+b[a-z]{2}an\s+([a-z]+)\s+[a-z]{4,5}\s+"
                        r"((?:dua\s+rib\w|seribu)[a-z\s]*)")
_UNITS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
          "sembilan": 9, "sepuluh": 10, "sebelas": 11}


@dataclass(frozen=True)
class Dates:
    date: dt.date | None  # the document's own date: a regulation's enactment, a letter's or report's signature
    years: tuple[int, ...]  # the period: the years it is about (for a regulation, the year it was enacted)
    own_number_year: int | None  # the year in a regulation's own number ("NOMOR 14 TAHUN 2025")


def month_of(word: str) -> int | None:
    """The month a word names, forgiving OCR's confusions ("Dcsember", "Januarl") and cut endings ("Januar")."""
    from pipeline.describe.opening import canon

    word = canon(word.rstrip("."))
    names = _canon_months()
    if word in names:
        return names[word]
    full = {v for k, v in names.items() if len(k) >= 5 and k.startswith(word)}
    return full.pop() if len(word) >= 5 and len(full) == 1 else None


def _canon_months() -> dict[str, int]:
    from pipeline.describe.opening import canon

    return {canon(k): v for k, v in MONTHS.items()}


def _valid(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def all_dates(text: str) -> list[dt.date]:
    """Every full date written out ("14 Maret 2022", "5 Juni Tahun 2024") or in figures ("21/6/2023")."""
    found = []
    for m in _TEXT_DATE.finditer(text):
        d = _valid(int(m.group(3)), month_of(m.group(2)), int(m.group(1)))
        if d:
            found.append((m.start(), d))
    for m in _NUM_DATE.finditer(text):
        d = _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            found.append((m.start(), d))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def _edit1(a: str, b: str) -> bool:
    """At most one letter substituted, dropped or added."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))


def _number_word(word: str) -> str | None:
    """A number word, read through one OCR error ("empaf", "tiqa", "puiub")."""
    from pipeline.describe.opening import canon

    vocab = [canon(w) for w in (*_UNITS, "ribu", "seribu", "ratus", "seratus", "puluh", "belas")]
    if word in vocab:
        return word
    close = {v for v in vocab if len(word) >= 4 and _edit1(word, v)}
    return close.pop() if len(close) == 1 else None


def _number_words(words: str) -> int | None:
    """ "dua ribu dua puluh dua" → 2022; "sepuluh" → 10; "dua belas" → 12, forgiving OCR's confusions."""
    from pipeline.describe.opening import canon

    units = {canon(k): v for k, v in _UNITS.items()}
    total, current = 0, 0
    for raw in canon(words).split():
        w = _number_word(raw)
        if w is None:
            break
        if w in ("ribu", "seribu"):
            total += (current or 1) * 1000
            current = 0
        elif w in ("ratus", "seratus"):
            current = (current or 1) * 100 if w == "ratus" else current + 100
        elif w == "puiuh":
            current *= 10
        elif w == "beias":
            current += 10
        else:
            current += units[w]
    value = total + current
    return value or None


def word_dates(text: str) -> list[dt.date]:
    """"tanggal sepuluh bulan Januari tahun dua ribu dua puluh dua", as agreements and minutes date themselves."""
    from pipeline.describe.opening import canon

    out = []
    for m in _WORD_DATE.finditer(canon(text)):
        words = m.group(1).split()
        while words and any(_number_word(w) is None for w in words):
            words = words[1:]  # the frame's first word may have been taken for "tanggal": keep the number
        day, year = _number_words(" ".join(words)), _number_words(m.group(3))
        d = _valid(year, month_of(m.group(2)), day) if day and year else None
        if d:
            out.append(d)
    return out


def word_years(text: str) -> list[int]:
    return [y for y in (_number_words(m.group(1)) for m in _WORD_YEAR.finditer(text)) if y and 1945 <= y <= 2100]


def _plausible(d: dt.date, today: dt.date) -> bool:
    return dt.date(1945, 1, 1) <= d <= today + dt.timedelta(days=366)


def place_dates(text: str, today: dt.date) -> list[dt.date]:
    """Own dates: "Sukamaju, 15 Januari 2026" (a missing day reads as the 1st: "Bandung, Februari 2023")."""
    out = []
    for m in _PLACE_DATE.finditer(text):
        if _NOT_A_PLACE.match(m.group(1)):
            continue  # "Selasa, 14 Oktober 2025" is a meeting's day, not where and when the document was signed
        full = all_dates(m.group(2))
        if full:
            d = full[0]
        else:
            my = _MONTH_YEAR.search(m.group(2))
            d = _valid(int(my.group(2)), month_of(my.group(1)), 1) if my else None
        if d and _plausible(d, today):
            out.append(d)
    return out


def citation_years(text: str) -> list[int]:
    return [int(next(g for g in m.groups() if g)) for m in _CITATION.finditer(text)]


def _masked(text: str) -> str:
    """The text without the parts whose years are not a period: citations and gazette entries, across line
    breaks (a citation often wraps: "... Nomor 22\nTahun 2021"); the lines stay where they were."""
    return _CITATION.sub(lambda m: " " + "\n" * m.group(0).count("\n"), text)


def _period_line(line: str) -> bool:
    return not (_DOC_NUMBER.match(line) or _SOURCE.match(line))


def period_years_in_lines(lines: list[str] | tuple[str, ...], today: dt.date) -> tuple[int, ...]:
    """Years a title block states as the document's period. Document-number lines, data sources, place-dates
    (the document's own date) and citations are skipped."""
    kept = [line for line in lines if _period_line(line) and not _PLACE_DATE.search(line)]
    years: set[int] = set()
    for line in _masked("\n".join(kept)).splitlines():
        for m in _RANGE.finditer(line):
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b <= a + 10:
                years.update(range(a, b + 1))
        for m in _SCHOOL_YEAR.finditer(line):
            a, b = int(m.group(1)), int(m.group(2))
            if b == a + 1:
                years.update((a, b))
        years.update(int(m.group(1)) for m in _YEAR_TOKEN.finditer(line))
        years.update(word_years(line))
    return tuple(sorted(y for y in years if 1990 <= y <= today.year + 5))


def body_period_years(text: str, today: dt.date) -> tuple[int, ...]:
    """The year a body speaks about most ("selama tahun 2022", "TA 2022", "Semester I 2022"), all of them when
    several are named as often; citations, gazette entries and data sources excluded."""
    counts: Counter[int] = Counter()
    # Lines of document numbers and data sources are blanked; the rest is read as one text, since a phrase
    # often wraps ("selama tahun\n2020", "tahun dua ribu dua\npuluh dua").
    body = "\n".join(line if _period_line(line) else "" for line in _masked(text).splitlines())
    for m in _RANGE.finditer(body):
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b <= a + 10:
            counts.update(range(a, b + 1))
    counts.update(int(m.group(1)) for m in _PERIOD_PHRASE.finditer(body))
    counts.update(word_years(body))
    counts = Counter({y: n for y, n in counts.items() if 1990 <= y <= today.year + 5})
    if not counts:
        return ()
    top = max(counts.values())
    return tuple(sorted(y for y, n in counts.items() if n == top))


def number_years(lines: list[str] | tuple[str, ...]) -> list[int]:
    """Years in a regulation's own number lines, in order: "NOMOR 14 TAHUN 2025", "NOMOR : 188.45/123/HUK/2025",
    "NOMOR TAHUN 2023" (the number left blank)."""
    out = []
    for line in lines:
        m = re.match(rf"^\W*n[o0]m[o0]r\b\s*[:.*]?\s*(?:[\w.,/ -]*?\s)?tahu[nm]\s+({_YEAR})\b", line, re.IGNORECASE) or \
            re.match(rf"^\W*n[o0]m[o0]r\b\s*[:.*]?.*?[/.\s-]\W?({_YEAR})\s*$", line, re.IGNORECASE)
        if m:
            out.append(int(m.group(1)))
    return out


_OWN_NUMBER = re.compile(rf"\bn[o0]m[o0]r\b\s*[:.*]?\s*(?:(?:[\w.,/ -]*?\s)?tahu[nm]\s+({_YEAR})\b"
                         rf"|[\w.,/ -]*?[/.\s-]({_YEAR})(?![\d/]))", re.IGNORECASE)


def own_number_year(lines: list[str] | tuple[str, ...]) -> int | None:
    """The year in the document's own number: on a "NOMOR ..." line of its title block, or between its kind and
    its first "TENTANG" ("PERATURAN PEMERINTAH ... NOMOR 56 TAHUN 2002 TENTANG ...")."""
    found = number_years(lines)
    if found:
        return found[0]
    head = re.split(r"(?i)\btentang\b", "\n".join(lines), maxsplit=1)[0]
    m = _OWN_NUMBER.search(head) if len(re.split(r"(?i)\btentang\b", "\n".join(lines), maxsplit=1)) > 1 else None
    return int(m.group(1) or m.group(2)) if m else None


def enactment(text: str, today: dt.date) -> tuple[dt.date | None, int | None]:
    """The date (or only the year, when the day is illegible) on the first "Ditetapkan di ... pada tanggal ..."
    or "Disahkan di ..." line; a promulgation date ("Diundangkan") is another event and is not read."""
    for m in _ENACTED.finditer(text):
        window = text[m.end():m.end() + 160]
        stop = _PROMULGATED.search(window)
        if stop:
            window = window[:stop.start()]
        window = "\n".join(window.splitlines()[:5])
        dates = [d for d in all_dates(window) if _plausible(d, today)]
        if dates:
            return dates[0], dates[0].year
        years = [int(y) for y in re.findall(rf"(?<!\d)({_YEAR})(?!\d)", window) if int(y) <= today.year + 1]
        if years:
            return None, years[0]
    return None, None


def parse_dates(text: str, today: dt.date | None = None, evidence_type: str | None = None,
                head: tuple[str, ...] | None = None, head_end: int = 0, dated_by_letter: bool = False) -> Dates:
    """The document's dates for its evidence type. `head` is its title block (pipeline/describe/opening.py) and
    `head_end` where its body begins; `dated_by_letter` says its period is its own date (letters,
    invitations, minutes, agreements) rather than what its body speaks about (reports, plans, data)."""
    from pipeline.describe.opening import opening

    today = today or dt.date.today()
    if head is None:
        block = opening(text)
        head, head_end = block.lines, block.end
    number_year = own_number_year(head)
    head_dates = place_dates("\n".join(head), today)
    signed = place_dates(text, today)[-1:]  # the last "Place, date" is usually the signature
    own_dates = head_dates or signed
    if evidence_type == "struktur":
        enacted_date, enacted_year = enactment(text, today)
        letter = head_dates[0] if head_dates else None
        last = signed[0] if signed else None
        # An annex repeats the decree's number on a line of its own ("NOMOR : 188.45/.../2025"): a second
        # reading of its year (a citation, "Nomor 22 Tahun 2021 tentang ...", goes on after the year).
        annexes = [(None, y) for y in number_years([ln.strip() for ln in text.splitlines()
                                                    if len(ln.strip()) <= 60 and re.search(rf"{_YEAR}\s*$", ln)])]
        # A circular or instruction is set on its own date ("Wonosobo, 16 Maret 2020"), which says more than its
        # number's year.
        candidates = [(enacted_date, enacted_year), (letter, letter.year if letter else None),
                      (None, number_year), *annexes, (last, last.year if last else None)]
        candidates = [(d, y) for d, y in candidates if y]
        newest_cited = max((y for y in citation_years(text[:20000]) if y <= today.year), default=None)
        usable = [(d, y) for d, y in candidates if newest_cited is None or y >= newest_cited] or candidates
        date, year = usable[0] if usable else (None, None)
        return Dates(date, (year,) if year else (), number_year)

    date = own_dates[0] if own_dates else None
    if date is None:
        dated = word_dates(text[:3000]) or [d for d in all_dates("\n".join(head)) if _plausible(d, today)]
        if not dated:
            dated = [d for d in all_dates(text) if _plausible(d, today)][-1:]
        date = dated[0] if dated else None
    years = period_years_in_lines(head, today)
    if not years and not (dated_by_letter and date):
        years = body_period_years(text[head_end:head_end + 5000], today)
    return Dates(date, years, number_year)
