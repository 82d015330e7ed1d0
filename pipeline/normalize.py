"""Normalise extracted text for downstream use; the raw text is kept beside it in the ledger."""

from __future__ import annotations

import re
import unicodedata

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


def usable_text(text: str, min_letters: int = 20) -> bool:
    """Whether a PDF text layer carries real text: glyphs without a Unicode mapping come out as (cid:n),
    punctuation soup or characters of the wrong script, so the layer is judged by what it yields."""
    cleaned = _CID.sub("", text)
    visible = [ch for ch in cleaned if not ch.isspace()]
    if not visible:
        return False
    latin = len(_LATIN.findall(cleaned))
    return latin >= min_letters and latin / len(visible) >= 0.6
