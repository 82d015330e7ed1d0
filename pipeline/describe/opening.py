"""The opening of a document (its title block) as the evidence-type and period rules read it: the lines that
say what the document is, before its body begins. (pipeline/classify/titleblock.py reads the subject for the classifier.)

A regional-government document names itself at the top: the letterhead (kop: PEMERINTAH KOTA ..., the OPD,
its address), the kind of document (PERATURAN BUPATI, KEPUTUSAN KEPALA DINAS, LAPORAN KEGIATAN, NOTULEN, a
letter's "Perihal : Undangan ..."), its number and its subject ("TENTANG ..."), often its period ("TAHUN
ANGGARAN 2022"). The body follows: considerations ("Menimbang : a. bahwa ..."), a salutation ("Dengan hormat"),
a preface, or simply running prose. Laws cited in the body ("berdasarkan Undang-Undang Nomor 16 Tahun 2011")
say nothing about what the document itself is, so the evidence type and the period are read here first.

Scans make this harder: two columns read out of order put the bare labels "Menimbang" / "Mengingat" above the
title and the end of the title after them; letterheads come letter-spaced ("B U P A T I") or doubled by a bold
font ("PPEEMMEERRIINNTTAAHH"); a vertical watermark becomes lines of single letters. The block is therefore cut
at the first line of prose, not at the first body keyword, and its lines are cleaned first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINES = 30
MAX_CHARS = 1600

# Lines that open a body. A bare label ("Menimbang :" with nothing after it) is a displaced column, not a body.
_OPENER = re.compile(
    r"^(?:[a-z0-9]{1,2}[.)]\s*)?(?:bahwa\b|dengan hormat|dalam rangka\b|sehubungan\b|menindaklanjuti\b|"
    r"bersama ini\b|yang bertanda\s*tangan|kami yang bertanda|pada hari ini\b|puji syukur|assalamu|"
    r"kata pengantar|daftar isi\b|bab\s+(?:1|i)\b|pendahuluan\b|latar belakang\b|berdasarkan\b|"
    r"(?:menimbang|mengingat|memperhatikan)\s*:?\s*(?:[a-z0-9]{1,2}[.)]\s*)?\w+\s+\w+)", re.IGNORECASE)
_SMALL_WORDS = {"dan", "di", "ke", "yang", "dalam", "untuk", "tentang", "atas", "serta", "pada", "dari", "bagi",
                "oleh", "se", "dengan", "atau", "ini", "itu", "sebagai", "kepada"}


@dataclass(frozen=True)
class Opening:
    lines: tuple[str, ...]  # cleaned lines of the opening, in reading order
    end: int  # character offset in the text where the body begins

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def clean_line(line: str) -> str:
    """Undo the letterhead damage of scans: doubled bold letters, letter spacing, stray punctuation."""
    line = line.strip()
    tokens = line.split()
    doubled = [t for t in tokens if len(t) >= 2 and len(t) % 2 == 0 and t[::2] == t[1::2]]
    if tokens and len(doubled) >= 0.7 * len(tokens) and sum(len(t) for t in doubled) >= 8:
        line = " ".join(t[::2] if t in doubled else t for t in tokens)  # "PPEEMMEERRIINNTTAAHH"
    if re.fullmatch(r"(?:\S {1,3}){3,}\S", line) and line.count(" ") >= 0.4 * len(line):
        # "B U P A T I   B A L A N G A N": letters one space apart, words further apart.
        line = " ".join(w.replace(" ", "") for w in re.split(r" {2,}", line))
    line = re.sub(r"^[\s\-–—|•*>\"'“”]+", "", line)
    return re.sub(r"\s+", " ", line).strip()


_CANON = str.maketrans({"0": "o", "1": "i", "5": "s", "l": "i", "|": "i", "!": "i", "c": "e", "v": "u"})


def canon(text: str) -> str:
    """Lower case with the letters OCR confuses made one ("INSTRUKSl" and "instruksi", "PENGUMVMAN" and
    "pengumuman", "Pcraturan" and "peraturan"), for matching words, never for showing them."""
    return text.lower().translate(_CANON)


def ocr_pattern(pattern: str) -> re.Pattern:
    """A pattern written in plain Indonesian, made to match text passed through canon()."""
    return re.compile(pattern.lower().translate(str.maketrans({"l": "i", "c": "e", "v": "u"})))


def _is_junk(line: str) -> bool:
    """Watermark letters, page numbers, logo captions, a file's web address: not part of any title."""
    return len(re.sub(r"[^A-Za-z0-9]", "", line)) <= 2 or bool(re.fullmatch(r"(https?://|www\.)\S+", line))


_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\S+\.(?:go|co|or|ac)\.id\S*", re.IGNORECASE)
# A letter's header fields: part of the title block however they read ("Hal : Panduan penapisan untuk ...").
_FIELD = re.compile(r"^\W*(nomor|no|sifat|lampiran|lamp|perihal|hal|kepada|yth|tanggal|dari|tembusan)\b\.?\s*:",
                    re.IGNORECASE)


def is_prose(line: str) -> bool:
    """A sentence of running text: several words, most of them starting in lower case (titles capitalise).
    Web and mail addresses of a letterhead are not words."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", _URL.sub(" ", line)) if w.lower() not in _SMALL_WORDS]
    if len(words) < 5:
        return False
    return sum(w[0].islower() for w in words) >= 0.5 * len(words)


_ADDRESS = re.compile(r"^\W*(jalan|jl\b|jln|telp|telepon|fax|faks|kode\s*pos|website|laman|e-?mail|alamat)",
                      re.IGNORECASE)


def is_table_row(line: str) -> bool:
    """A row of figures: where a table starts, the title is over. A letterhead's address with its telephone
    numbers is not one, nor is a period such as "TAHUN 2024 - 2026"."""
    tokens = line.split()
    if len(tokens) < 3 or _ADDRESS.match(line):
        return False
    numeric = [bool(re.fullmatch(r"[\d.,%()/-]+", t) and any(c.isdigit() for c in t)) for t in tokens]
    return sum(numeric) >= 3 and (numeric[0] or sum(numeric) >= 0.6 * len(tokens))


def opening(text: str) -> Opening:
    lines: list[str] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        start, offset = offset, offset + len(raw)
        line = clean_line(raw)
        if not line or _is_junk(line):
            continue
        if not _FIELD.match(line) and (_OPENER.match(line) or is_prose(line) or is_table_row(line)):
            return Opening(tuple(lines), start)
        lines.append(line)
        if len(lines) >= MAX_LINES or sum(len(x) for x in lines) >= MAX_CHARS:
            break
    return Opening(tuple(lines), offset)
