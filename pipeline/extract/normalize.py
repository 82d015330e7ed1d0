"""Normalise extracted text for downstream use; the raw text is kept beside it in the ledger."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass

_CID = re.compile(r"\(cid:\d+\)")
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u2010]\n\s*(\w)")  # "pelaksana-\nan" -> "pelaksanaan"
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f\u3000]+")
_MANY_BLANKS = re.compile(r"\n{3,}")
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t\f")


def normalize_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_CONTROL)
    text = _CID.sub("", text)
    text = _HYPHEN_BREAK.sub(lambda m: m.group(1) + m.group(2) if m.group(2).islower() else m.group(0), text)
    text = text.replace("\u00ad", "")  # soft hyphens inside lines
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _MANY_BLANKS.sub("\n\n", text).strip()


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_ALNUM = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# What a real text layer of letters, figures and tables is made of besides letters and digits.
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") | set("\u00a7\u00b0\u00b1\u00b2\u00b3\u00b7\u00d7\u00f7"
                                                               "\u2013\u2014\u2018\u2019\u201c\u201d\u2022"
                                                               "\u2026\u2030\u20ac\u2264\u2265\u221a")
_LEADERS = re.compile(r"([.\u2026_\-=*\u00b7])\1{2,}")  # "......" dotted leaders of a table of contents


def usable_text(text: str, min_chars: int = 20) -> bool:
    """Whether a PDF text layer carries real text. Judged by what the layer yields: letters, digits and
    ordinary punctuation (a budget table is mostly figures) count; glyphs without a Unicode mapping, which
    come out as (cid:n), private-use or replacement characters, punctuation soup or characters of the wrong
    script, do not."""
    cleaned = _LEADERS.sub(r"\1", _CID.sub("\ufffd", text))  # an unmapped glyph is one bad character
    visible = [ch for ch in cleaned if not ch.isspace()]
    if not visible:
        return False
    alnum = len(_ALNUM.findall(cleaned))
    good = alnum + sum(1 for ch in visible if ch in _PUNCTUATION)
    # Unmapped fonts often decode to ASCII punctuation ('"7+%-'): figures and words must dominate it.
    return alnum >= min_chars and good / len(visible) >= 0.6 and alnum / good >= 0.4


# --- How plausible a text is: the judge between a suspect text layer and a new OCR reading. ---------------------

_EDGE = "\"'`([{<\u00ab\u2039\u201c\u2018)]}>\u00bb\u203a\u201d\u2019.,;:!?*\u2022\u00b7\u2026_|\\"
_SPLIT = re.compile(r"[\s/\-\u2013\u2014]+")  # "dan/atau", "anak-anak": each part is a word of its own
_WORD = re.compile(r"[^\W\d_]{3,}")  # three letters or more: shorter tokens (initials, table codes) say little
_LOOKALIKES = (str.maketrans("0158|", "olsbl"), str.maketrans("0158|", "oisbi"))  # 1 is an l or an i
_INNER_PUNCT = re.compile(r"(?<=[a-z])[.,;:'`!|]+(?=[a-z])")

# A hidden OCR layer of a scan is re-read when fewer of its words than this are in the dictionary, or at least
# this share of them are broken. Measured on 1,271 digital pages of ../shared/testdata/real (2.5% quantiles:
# 88% known, 2.6% broken) and on the same pages with a fifth of their words damaged (83-92% known, 4-9% broken).
HIDDEN_LAYER_LIMITS = (0.85, 0.03)
# A visible (born-digital) layer is re-read only when it is plainly broken: a font whose letters map to the
# wrong characters, say. Names, codes and abbreviations keep honest layers far above these.
VISIBLE_LAYER_LIMITS = (0.5, 0.15)
MIN_WORDS_TO_JUDGE = 20  # a page of figures with a dozen words gives no basis for a verdict


@dataclass(frozen=True)
class TextQuality:
    """Word-level plausibility of a text, against a dictionary (Tesseract's own word lists)."""
    words: int  # tokens of three letters or more, broken ones included
    known: int  # found in the dictionary
    broken: int  # what a bad OCR engine leaves: a dictionary word with a digit, a stray mark or a case flip inside

    @property
    def known_share(self) -> float:
        return self.known / self.words if self.words else 0.0

    @property
    def broken_share(self) -> float:
        return self.broken / self.words if self.words else 0.0

    @property
    def net(self) -> int:
        """Dictionary words minus all the others: the longer reading only wins if its extra words are words."""
        return self.known - (self.words - self.known)

    def summary(self) -> str:
        return f"{self.words} words, {self.known_share:.0%} in the dictionary, {self.broken_share:.0%} broken"


def text_quality(text: str, lexicon: Container[str]) -> TextQuality:
    counts = {"known": 0, "unknown": 0, "broken": 0}
    for token in _SPLIT.split(text):
        verdict = _judge_token(token.strip(_EDGE), lexicon)
        if verdict:
            counts[verdict] += 1
    return TextQuality(sum(counts.values()), counts["known"], counts["broken"])


def poor_layer(quality: TextQuality, hidden: bool) -> bool:
    """Whether a text layer reads like the work of a bad OCR engine and the page should be read again."""
    if quality.words < MIN_WORDS_TO_JUDGE:
        return False
    min_known, max_broken = HIDDEN_LAYER_LIMITS if hidden else VISIBLE_LAYER_LIMITS
    return quality.known_share < min_known or quality.broken_share >= max_broken


def _judge_token(token: str, lexicon: Container[str]) -> str | None:
    if _WORD.fullmatch(token):
        if token.lower() not in lexicon:
            return "unknown"  # a name, or a misread word ("progrann", "pelak sanaan")
        return "broken" if _case_flips(token) else "known"
    if sum(ch.isalpha() for ch in token) >= 3 and not re.search(r"\d\d", token):
        # "pe1aksanaan", "K0TA", "pela,ksanaan" become words when mended; "P3AKB", "S.Sos", "2x3m" do not
        for table in _LOOKALIKES:
            mended = _INNER_PUNCT.sub("", token.translate(table))
            if mended != token and _WORD.fullmatch(mended) and mended.lower() in lexicon:
                return "broken"
    return None  # figures, codes, abbreviations: no verdict


def _case_flips(word: str) -> bool:
    """"kOta", "PeMeRintah": random case inside a word. Title case, capitals and "McDonald" are normal."""
    if word[0].islower():
        return not word.islower()
    return sum(1 for a, b in zip(word, word[1:]) if a.isupper() != b.isupper()) >= 4
