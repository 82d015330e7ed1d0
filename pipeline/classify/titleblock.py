"""The document's own statement of what it is about: the title block.

An Indonesian regulation or decree says its subject once, between "TENTANG" and "DENGAN RAHMAT TUHAN" or the
issuer's name ("BUPATI DONGGALA,"); a letter says it after "Perihal" or "Hal"; a report, form or table says it
in the upper-case heading under the letterhead (kop). The body that follows cites other laws ("Undang-Undang
Nomor 36 Tahun 2009 tentang Kesehatan") and drifts across topics, so a classifier reading the whole text is
easily misled where the title is not.

OCR of a scan whose "Menimbang / Mengingat" labels sit in a left column often reads those labels in the middle
of the title ("... TENTANG PEDOMAN PELAKSANAAN / Menimbang : / Mengingat : 1. / PEMBERIAN BANTUAN RUMAH
SWADAYA"): such label-only lines are skipped instead of ending the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEAD_CHARS = 3000  # the title block is on the first page; later "tentang" are citations

# Regulations, decrees and other instruments that state their subject after "TENTANG".
_INSTRUMENT = re.compile(
    r"\b(PERATURAN\s+(DAERAH|BUPATI|WALI\s*KOTA|GUBERNUR|MENTERI|PEMERINTAH|PRESIDEN|KEPALA|DESA|BADAN)"
    r"|KEPUTUSAN|INSTRUKSI|SURAT\s+EDARAN|UNDANG\s*-\s*UNDANG|PERATURAN)\b")
_TENTANG = re.compile(r"(?<![A-Za-z])TENTANG(?![A-Za-z])\s*:?")


def _misread_tentang(line: str) -> bool:
    """A line that is TENTANG as OCR reads a scan: alone, in capitals, one letter dropped, changed or added, or
    letters spaced out ("TENANG", "TENTAN G", "TFNTANG"). Only asked after an instrument's kind."""
    if not line.isupper() or re.search(r"[^A-Z\s:.]", line):
        return False
    letters = re.sub(r"[^A-Z]", "", line)
    return 6 <= len(letters) <= 8 and _one_edit(letters, "TENTANG")


def _one_edit(a: str, b: str) -> bool:
    """At most one insertion, deletion or substitution between `a` and `b`."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] or a[i:] == b[i + 1:] or a[i + 1:] == b[i:]
# What ends a title: the preamble, the issuer's name with its comma, or the start of the considerations.
_TITLE_END = re.compile(
    r"^\W*(DENGAN\s+RAHMAT|(BUPATI|WALI\s*KOTA|GUBERNUR|MENTERI|PRESIDEN|KEPALA)\b[^,\n]{0,90},"
    r"|bahwa\b|MEMUTUSKAN|Menimbang\s*:?\s*a\b|Menetapkan\s*:\s*\S|a\.\s+bahwa|Dalam\s+rangka)", re.IGNORECASE)
# Left-column labels that OCR may read into the middle of a title.
_SIDE_LABEL = re.compile(
    r"^\W*(Menimbang|Mengingat|Memperhatikan|Menetapkan|Membaca|Memutuskan|KESATU|KEDUA|KETIGA|KEEMPAT"
    r"|KELIMA|Tembusan)\s*:?\s*(\d+\s*\.?|[a-z]\s*\.?)?\s*$", re.IGNORECASE)
_PERIHAL = re.compile(r"^\s*(Perihal|Hal)\s*[:.]\s*(.+)$", re.IGNORECASE | re.MULTILINE)
# Letterhead and page furniture: who wrote it and where, not what it is about.
_KOP = re.compile(
    r"^\W*(PEMERINTAH\s+(KABUPATEN|KOTA|PROVINSI|DAERAH)|PROVINSI\b|KABUPATEN\b|KOTA\b|SEKRETARIAT\s+DAERAH"
    r"|DINAS\b|BADAN\b|KANTOR\b|BAGIAN\b|BUPATI\b|WALI\s*KOTA\b|GUBERNUR\b|Jalan\b|Jl\.?|Telp|Telepon|Fax"
    r"|Website|E-?mail|Kode\s+Pos|Nomor\s*:|Lampiran\s*:|Sifat\s*:|Kepada|Yth|NOMOR\b|\d+\s*$)",
    re.IGNORECASE)
MAX_TITLE_WORDS = 45
MAX_HEADING_LINES = 6


@dataclass(frozen=True)
class TitleBlock:
    kind: str | None  # "PERATURAN BUPATI", "KEPUTUSAN", "SURAT", "LAPORAN", ... as written; None if unknown
    subject: str  # what the document says it is about ("" when it says nothing we can find)
    source: str  # "tentang", "perihal", "heading", "first-line" or "none": how the subject was found

    @property
    def core(self) -> str:
        """The innermost subject: "PERUBAHAN ATAS PERATURAN ... TENTANG PEMBERIAN BANTUAN RUMAH SWADAYA" and "TIM
        PENYUSUN ... RANCANGAN PERATURAN DAERAH TENTANG KABUPATEN LAYAK ANAK" are about what follows the last
        TENTANG, which is also the form of the regional regulation titles the model learnt from."""
        return _TENTANG.split(self.subject)[-1].strip() if self.source == "tentang" else self.subject

    @property
    def text(self) -> str:
        """Kind and subject as one short title, in the form of the corpus's regulation titles."""
        return " ".join(part for part in (self.kind or "", self.subject) if part).strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text[:HEAD_CHARS].splitlines()]


def _mostly_lower(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 8 and sum(c.islower() for c in letters) / len(letters) > 0.5


def _instrument_subject(lines: list[str]) -> tuple[str | None, str] | None:
    """Kind and subject of a regulation or decree: the lines after the first TENTANG that follows the kind."""
    kind = None
    for i, line in enumerate(lines):
        upper = line.upper()
        found = _INSTRUMENT.search(upper)
        if found and kind is None and line.isupper():
            kind = " ".join(found.group(0).split())
        match = _TENTANG.search(line)
        misread = match is None and kind is not None and _misread_tentang(line)
        if not misread and (not match or not line[:match.start()].strip().isupper()
                            and line[:match.start()].strip()):
            continue  # "tentang" in running text is a citation or a sentence, not a title
        if kind is None and not any(_INSTRUMENT.search(lines[k].upper()) for k in range(max(0, i - 4), i)):
            continue
        words: list[str] = []
        rest = "" if misread else line[match.end():].strip()
        for piece in [rest] + lines[i + 1:]:
            if not piece or _SIDE_LABEL.match(piece):
                continue
            if _TITLE_END.match(piece) or words and _mostly_lower(piece):
                break  # titles are set in capitals; a sentence after them is the body
            words.extend(piece.split())
            if len(words) >= MAX_TITLE_WORDS:
                break
        if words:
            return kind, " ".join(words[:MAX_TITLE_WORDS]).rstrip(",;:")
    return None


def _perihal_subject(text: str) -> str | None:
    found = _PERIHAL.search(text[:HEAD_CHARS])
    if not found:
        return None
    first = found.group(2).strip()
    # A subject often runs onto the next line or two of the address block; take them while they continue it.
    after = text[found.end():found.end() + 200].splitlines()[1:3]
    more = [line.strip() for line in after if line.strip() and not re.match(r"^\s*(Dengan|Yth|Kepada)", line)]
    return " ".join([first] + more[:1]) if first.endswith(("&", "dan", "di", "-", ",")) else first


# Words a document's own heading starts with: what kind of document it is. A chart or table whose boxes PDFium
# reads before its title ("BIDANG ... SEKRETARIAT ... BAGAN STRUKTUR ORGANISASI") is found by its heading.
_HEADING_KIND = re.compile(
    r"^\W*(LAPORAN|BAGAN|DAFTAR|PROFIL|DATA|FORMULIR|SURAT|PANDUAN|PEDOMAN|PETUNJUK|BUKU|RENCANA|REKAP"
    r"|PENGUMUMAN|HIMBAUAN|IMBAUAN|NOTULEN|BERITA\s+ACARA|PERJANJIAN|NOTA\s+KESEPAHAMAN|SOP\b|STANDAR"
    r"|USER\s+MANUAL|TABEL|STATISTIK|INFORMASI|KERANGKA\s+ACUAN|PROPOSAL|JADWAL|STRUKTUR)\b")


def _upper_blocks(lines: list[str]) -> list[list[str]]:
    """Runs of consecutive upper-case lines that are not letterhead."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        letters = [c for c in line if c.isalpha()]
        upper = len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8
        if upper and not _KOP.match(line):
            current.append(line)
        elif current and (len(letters) >= 4 or not line):
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _heading(lines: list[str]) -> str:
    """A report's, form's or table's own title: the first upper-case block that names a kind of document, or
    else the first upper-case block."""
    blocks = _upper_blocks(lines)
    if not blocks:
        return ""
    for block in blocks:  # "LAMPIRAN XVIII PERATURAN ... / BAGAN STRUKTUR ORGANISASI": start at the kind
        for k, line in enumerate(block[:3]):
            if _HEADING_KIND.match(line):
                return " ".join(block[k:k + MAX_HEADING_LINES])
    return " ".join(blocks[0][:MAX_HEADING_LINES])


def title_block(text: str) -> TitleBlock:
    lines = _lines(text)
    instrument = _instrument_subject(lines)
    if instrument:
        return TitleBlock(instrument[0], instrument[1], "tentang")
    perihal = _perihal_subject(text)
    if perihal:
        return TitleBlock("SURAT", perihal, "perihal")
    heading = _heading(lines)
    if heading:
        return TitleBlock(None, heading, "heading")
    first = _short_first_line(lines)
    if first:
        return TitleBlock(None, first, "first-line")
    return TitleBlock(None, "", "none")


def _short_first_line(lines: list[str]) -> str | None:
    """A short first line in mixed case ("Retribusi Pelayanan Kesehatan", "Laporan Kegiatan Posyandu 2025") is
    a title too; a long one is the start of running text."""
    for line in lines:
        if len(re.findall(r"[A-Za-z]{2,}", line)) >= 2:
            return line if len(line.split()) <= 25 and not _KOP.match(line) else None
    return None
