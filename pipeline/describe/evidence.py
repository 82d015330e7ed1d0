"""What kind of evidence a document is (struktur, proses, hasil), what period it is about, and whether it counts
for the assessment year.

The assessment of year N scores regulations in force (struktur) and the programmes (proses) and outcomes (hasil)
of year N itself. The type comes from the document's own title block (pipeline/describe/opening.py): the kind of
document it names first (PERATURAN, KEPUTUSAN, SURAT EDARAN, LAPORAN KEGIATAN, NOTULEN, a letter's Perihal,
PERJANJIAN KERJA SAMA, DPA, DATA, PROFIL, REKAPITULASI, LAPORAN KINERJA, ...), never from words cited in its
body. Only when the title block names no kind do the layout and the body decide (a decree's Menimbang /
Mengingat / Memutuskan, a spreadsheet, a page of figures). The reason is kept and shown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.criteria import TYPES  # noqa: F401  (defined with the criteria; re-exported for older imports)
from pipeline.describe.also import also_types
from pipeline.describe.dates import Dates, parse_dates
from pipeline.describe.opening import Opening, canon, is_table_row, ocr_pattern, opening


@dataclass(frozen=True)
class Kind:
    pattern: re.Pattern
    type: str | None  # None: a report or list, decided by what follows or by its figures
    label: str  # Indonesian
    label_en: str
    dated_by_letter: bool = False  # its period is its own date (letters, minutes, agreements)


def _k(pattern: str, type_: str | None, label: str, label_en: str, dated: bool = False) -> Kind:
    return Kind(ocr_pattern(pattern), type_, label, label_en, dated)


# Matched at the start of a title-block line (joined with the next one, for kinds broken over two lines).
# Earlier lines win over later ones; on the same line, the first pattern listed wins.
KINDS = (
    _k(r"rancangan\s+(peraturan|keputusan)", "proses", "rancangan peraturan", "draft regulation"),
    _k(r"(lampiran\s+(?:[ivxl]+\s+|\d+\s+)?)?(surat\s+)?(peraturan|keputusan|instruksi|qanun|maklumat)\b",
       "struktur", "peraturan/keputusan", "regulation or decree"),
    _k(r"surat\s+edaran\b", "struktur", "surat edaran", "circular"),
    _k(r"undang[\s-]*undang\b", "struktur", "undang-undang", "statute"),
    _k(r"(identitas\s+)?(sop\b|standar\s+operasional\s+prosedur|standard\s+operating\s+procedure)", "struktur",
       "SOP", "standard operating procedure"),
    _k(r"(laporan\s+)?(akuntabilitas\s+)?kiner[jil]a\s+(instansi|tahunan)|lkjip\b|lakip\b|lkip\b|lkt\b",
       "hasil", "laporan kinerja", "performance report"),
    _k(r"laporan\b", None, "laporan", "report"),
    _k(r"(notulen|notula|notulensi|risalah)\b", "proses", "notulen", "minutes", True),
    _k(r"berita\s+acara\b", "proses", "berita acara", "official record", True),
    _k(r"daftar\s+hadir\b", "proses", "daftar hadir", "attendance list", True),
    _k(r"daftar\s+informasi\s+publik|\bdip\b", "proses", "daftar informasi publik", "list of public information"),
    _k(r"undangan\b", "proses", "undangan", "invitation", True),
    _k(r"(perihal|hal)\s*[:.]", "proses", "surat", "letter", True),
    _k(r"(pengumuman|surat\s+tugas|surat\s+perintah|nota\s+dinas|siaran\s+pers|press\s+release|himbauan|imbauan"
       r"|seruan|telaahan\s+staf)\b", "proses", "surat/pengumuman", "letter or announcement", True),
    _k(r"perjanjian\s+kinerja\b", "proses", "perjanjian kinerja", "performance agreement"),
    _k(r"(perjanjian|nota\s+kesepahaman|memorandum|kesepakatan\s+bersama|mou\b|ad+endum)", "proses",
       "perjanjian kerja sama", "agreement", True),
    _k(r"(dokumen\s+pelaksanaan\s+(perubahan\s+)?anggaran|dpa\b|dppa\b|rencana\s+kerja\s+(dan\s+)?anggaran|rka\b"
       r"|anggaran\s+pendapatan|apbd\b)", "proses", "anggaran", "budget"),
    _k(r"(rencana\s+(strategis|kerja|aksi|pembangunan|kegiatan)|renstra\b|renja\b|rkpd\b|rpjmd?\b|"
       r"indikator\s+kinerja\s+utama|iku\b)", "proses", "rencana", "plan"),
    _k(r"(kerangka\s+acuan|kak\b|term\s+of\s+reference|tor\b|petunjuk\s+(teknis|pelaksanaan)|juknis\b|juklak\b"
       r"|pedoman\b|buku\s+pedoman|pandua*n\b|buku\s+pandua*n|user\s+manual|manual\b|modul\b)", "proses",
       "petunjuk/pedoman", "guide"),
    _k(r"(formulir|blanko|surat\s+pernyataan|surat\s+keterangan|surat\s+permohonan)\b", "proses", "formulir",
       "form"),
    _k(r"(proposal|jadwal|bahan\s+paparan|paparan|buletin|newsletter|majalah|tabloid|edisi)\b", "proses",
       "publikasi kegiatan", "programme material"),
    _k(r"(buku\s+inventaris|kartu\s+inventaris|inventaris)\b", "proses", "inventaris", "inventory"),
    _k(r"(data|statistik|rekapitulasi|rekap|profil|capaian|pencapaian|indeks|jumlah|persentase|prosentase|cakupan"
       r"|hasil\s+(survei|survey|pengukuran|evaluasi|penilaian|pendataan|pemetaan)|survei|pengukuran\s+kinerja"
       r"|evaluasi\s+kinerja|neraca\s+gender)\b|dalam\s+angka", "hasil", "data/capaian", "figures"),
    _k(r"daftar\b", None, "daftar", "list"),
)
# After "LAPORAN": the earliest of these words says what the report is.
_REPORT_HASIL = ocr_pattern(r"kiner[jil]a|akuntabilitas|capaian|pencapaian|hasil\s+(survei|survey|pengukuran|evaluasi"
                            r"|penilaian|pemantauan|pendataan)|\bdata\b|statistik|rekapitulasi|\brekap\b|indeks"
                            r"|cakupan|survei")
_REPORT_PROSES = ocr_pattern(r"kegiatan|pelaksanaan|penyelenggaraan|perjalanan|keuangan|anggaran|\baset\b|barang"
                             r"|inventaris|pertanggungjawaban|monitoring|monev|pendampingan|sosialisasi|rapat"
                             r"|pelatihan|penyuluhan|pelayanan|layanan|kunjungan|penerimaan|program")
# A decree's body: considerations ("Menimbang", or just "a. bahwa ..." when the label was lost), legal basis,
# decision.
_DECREE_BODY = (re.compile(r"\bmenimbang\b|^\W*(a\s*[.)])?\s*bahwa\b", re.I | re.M), re.compile(r"\bmengingat\b", re.I),
                re.compile(r"\b(memutuskan|menetapkan)\b", re.I))
_SOURCE_LINE = re.compile(r"^\W*sumber\s*(data)?\s*:", re.IGNORECASE | re.MULTILINE)
_CAPTION = re.compile(r"^\W*(tabel|gambar|grafik|diagram)\s+\d", re.IGNORECASE | re.MULTILINE)
FIGURES_SHARE = 0.25  # a page where a quarter of the words are figures is a table of figures


@dataclass(frozen=True)
class EvidenceType:
    type: str
    reason: str  # Indonesian / English
    dated_by_letter: bool = False  # its period is its own date (letters, minutes, agreements)
    is_report: bool = False  # a LAPORAN: may also carry a second type (pipeline/describe/also.py)


@dataclass(frozen=True)
class Description:
    type: str
    reason: str
    dates: Dates
    also: tuple[tuple[str, str], ...] = ()  # further types it is evidence of, each with why (also.py)

    @property
    def types(self) -> tuple[str, ...]:
        """Every type it is evidence of, its own kind first."""
        return (self.type, *(t for t, _ in self.also))

    @property
    def period(self) -> tuple[int, ...]:
        return period_of(self.type, self.dates)


def numeric_share(text: str) -> float:
    tokens = re.findall(r"\S+", text[:4000])
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if re.fullmatch(r"[\d.,%()-]+", t) and any(c.isdigit() for c in t)) / len(tokens)


def find_kind(lines: tuple[str, ...]) -> tuple[Kind, str] | None:
    """The first kind of document the title block names, with the words that named it."""
    for i, line in enumerate(lines):
        probe = re.sub(r"^(salinan|copy)\s+", "", line, flags=re.IGNORECASE)
        joined = probe + (" " + lines[i + 1] if i + 1 < len(lines) else "")
        for kind in KINDS:
            if kind.pattern.match(canon(joined)):
                return kind, joined[:160]
    return None


def _resolve_report(words: str, body: str) -> tuple[str, str]:
    """A report or a list: hasil when it reports achievements or figures, proses when activities or services;
    when its title says neither, its pages decide (mostly figures: hasil)."""
    hasil, proses = _REPORT_HASIL.search(canon(words)), _REPORT_PROSES.search(canon(words))
    if hasil and (not proses or hasil.start() < proses.start()):
        return "hasil", f"\"{words[hasil.start():hasil.end()]}\""
    if proses:
        return "proses", f"\"{words[proses.start():proses.end()]}\""
    share = numeric_share(body)
    if share >= FIGURES_SHARE:
        return "hasil", f"{share:.0%} isi berupa angka / {share:.0%} figures"
    rows = sum(is_table_row(line) for line in body[:6000].splitlines())
    if canon(words).startswith("daftar") and rows >= 3:
        # A list with a row of figures per entry (villages and their population, recipients and amounts).
        return "hasil", f"{rows} baris berisi angka / {rows} rows of figures"
    return "proses", "isi berupa uraian / mostly prose"


def classify_evidence_type(text: str, kind: str = "pdf", block: Opening | None = None) -> EvidenceType:
    block = block or opening(text)
    body = text[block.end:]
    found = find_kind(block.lines)
    if found:
        k, words = found
        shown = " ".join(words.split())[:60]
        if k.type is None:
            t, why = _resolve_report(words, body)
            return EvidenceType(t, f"judul \"{shown}\": {k.label} {why} / title block: a {k.label_en}, {why}",
                                k.dated_by_letter, is_report=k.label == "laporan")
        return EvidenceType(k.type, f"judul \"{shown}\" ({k.label}) / title block names a {k.label_en}",
                            k.dated_by_letter)
    head = text[:6000]
    if all(p.search(head) for p in _DECREE_BODY):
        return EvidenceType("struktur", "susunan keputusan: menimbang, mengingat, memutuskan / decree structure")
    if kind in ("xlsx", "csv"):
        return EvidenceType("hasil", "lembar kerja berisi angka / spreadsheet of figures")
    share = numeric_share(body or text)
    if share >= FIGURES_SHARE:
        return EvidenceType("hasil", f"{share:.0%} isi berupa angka (tabel) / mostly figures")
    if len(_SOURCE_LINE.findall(text)) >= 2 and len(_CAPTION.findall(text)) >= 2:
        return EvidenceType("hasil", "tabel dan grafik bersumber data / tables and charts with data sources")
    return EvidenceType("proses", "bukan peraturan dan bukan data: kegiatan atau surat / neither regulation nor data")


def describe(text: str, kind: str = "pdf", today: dt.date | None = None) -> Description:
    """Type, reason and dates of one document, from its text."""
    block = opening(text)
    evidence = classify_evidence_type(text, kind, block)
    dates = parse_dates(text, today, evidence.type, block.lines, block.end, evidence.dated_by_letter)
    return Description(evidence.type, evidence.reason, dates, also_types(evidence.type, evidence.is_report,
                                                                         text[block.end:]))


def period_of(evidence_type: str, dates: Dates) -> tuple[int, ...]:
    """The period as the rules decide it: a regulation's enactment year; otherwise the years the document is
    about, or the year of its own date when it states none. () when nothing could be read."""
    if evidence_type == "struktur":
        year = dates.date.year if dates.date else (min(dates.years) if dates.years else dates.own_number_year)
        return (year,) if year else ()
    if dates.years:
        return tuple(dates.years)
    return (dates.date.year,) if dates.date else ()


def in_period(evidence_type: str, dates: Dates, assessment_year: int) -> tuple[bool, str]:
    """Whether the evidence counts for `assessment_year`, and why (Indonesian / English)."""
    if evidence_type == "struktur":
        enacted = period_of("struktur", dates)
        if not enacted:
            return True, "tahun penetapan tidak terbaca; dianggap berlaku / enactment year unread; assumed in force"
        if enacted[0] <= assessment_year:
            return True, f"ditetapkan {enacted[0]}, berlaku pada {assessment_year} / enacted {enacted[0]}, in force"
        return False, f"ditetapkan {enacted[0]}, setelah tahun penilaian {assessment_year} / enacted after the year"
    if dates.years:
        if assessment_year in dates.years:
            return True, f"membahas tahun {assessment_year} / concerns {assessment_year}"
        shown = ", ".join(map(str, dates.years))
        return False, f"membahas tahun {shown}, bukan {assessment_year} / concerns {shown}, not {assessment_year}"
    if dates.date:
        # A report that names no period and is signed early in N+1 is usually about N.
        if dates.date.year == assessment_year or (dates.date.year == assessment_year + 1 and dates.date.month <= 3):
            return True, f"bertanggal {dates.date.isoformat()} / dated {dates.date.isoformat()}"
        return False, f"bertanggal {dates.date.isoformat()}, di luar {assessment_year} / dated outside the year"
    return False, "tahun kegiatan tidak terbaca / the year it concerns cannot be read"
