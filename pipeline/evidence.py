"""What kind of evidence a document is (struktur, proses, hasil) and whether it counts for the assessment year.

The assessment of year N scores regulations in force (struktur) and the programmes (proses) and outcomes
(hasil) of year N itself. Rules over the heading and the layout of the first page; the reason is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .criteria import TYPES  # noqa: F401  (defined with the criteria; re-exported for older imports)
from .dates import Dates

_REGULATION = re.compile(
    r"\b(peraturan\s+(daerah|wali\s*kota|walikota|bupati|gubernur|menteri|pemerintah|presiden|kepala)"
    r"|undang-undang|keputusan\s+(wali\s*kota|walikota|bupati|gubernur|kepala|menteri|sekretaris)"
    r"|surat\s+keputusan|instruksi\s+(wali\s*kota|walikota|bupati|gubernur)|surat\s+edaran|qanun)\b", re.IGNORECASE)
_DECREE_BODY = re.compile(r"\b(memutuskan|menetapkan\s*:|menimbang\s*:?|pasal\s+1\b|diktum|kesatu\s*:)",
                          re.IGNORECASE)
_OUTCOME = re.compile(r"\b(capaian|data|statistik|rekapitulasi|rekap|profil|indeks|angka|cakupan|hasil survei"
                      r"|laporan kinerja|lkjip|realisasi capaian)\b", re.IGNORECASE)
_PROCESS = re.compile(r"\b(laporan\s+(kegiatan|pelaksanaan)|kegiatan|program|rencana\s+kerja|renja|renstra"
                      r"|anggaran|dpa|rka|notulen|notula|undangan|daftar hadir|sosialisasi|pelatihan|rapat"
                      r"|nota dinas|surat tugas)\b", re.IGNORECASE)


@dataclass(frozen=True)
class EvidenceType:
    type: str
    reason: str


def _heading(text: str) -> str:
    """The first lines of the first page, where the kind of document is named (after the letterhead)."""
    return "\n".join(text.strip().splitlines()[:12])[:700]


def _numeric_share(text: str) -> float:
    tokens = re.findall(r"\S+", text[:4000])
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if re.fullmatch(r"[\d.,%()-]+", t) and any(c.isdigit() for c in t)) / len(tokens)


def classify_evidence_type(text: str, kind: str = "pdf") -> EvidenceType:
    head = _heading(text)
    regulation = _REGULATION.search(head)
    if regulation and (_DECREE_BODY.search(text[:6000]) or re.search(r"\bnomor\b", head, re.IGNORECASE)):
        return EvidenceType("struktur", f"judul \"{regulation.group(0).strip()}\" / regulation heading")
    outcome = _OUTCOME.search(head)
    if outcome:
        return EvidenceType("hasil", f"judul memuat \"{outcome.group(0)}\" / outcome heading")
    if kind == "xlsx":
        return EvidenceType("hasil", "lembar kerja berisi angka / spreadsheet of figures")
    share = _numeric_share(text)
    if share >= 0.25:
        return EvidenceType("hasil", f"{share:.0%} isi berupa angka (tabel) / mostly figures")
    process = _PROCESS.search(head)
    if process:
        return EvidenceType("proses", f"judul memuat \"{process.group(0)}\" / programme or activity heading")
    return EvidenceType("proses", "bukan peraturan dan bukan data: kegiatan atau surat / neither regulation nor data")


def in_period(evidence_type: str, dates: Dates, assessment_year: int) -> tuple[bool, str]:
    """Whether the evidence counts for `assessment_year`, and why (Indonesian / English)."""
    if evidence_type == "struktur":
        enacted = dates.own_number_year or (dates.date.year if dates.date else None)
        if enacted is None:
            return True, "tahun penetapan tidak terbaca; dianggap berlaku / enactment year unread; assumed in force"
        if enacted <= assessment_year:
            return True, f"ditetapkan {enacted}, berlaku pada {assessment_year} / enacted {enacted}, in force"
        return False, f"ditetapkan {enacted}, setelah tahun penilaian {assessment_year} / enacted after the year"
    if dates.years:
        if assessment_year in dates.years:
            return True, f"membahas tahun {assessment_year} / concerns {assessment_year}"
        shown = ", ".join(map(str, dates.years))
        return False, f"membahas tahun {shown}, bukan {assessment_year} / concerns {shown}, not {assessment_year}"
    if dates.date:
        # A report signed early in N+1 is usually about N.
        if dates.date.year == assessment_year or (dates.date.year == assessment_year + 1 and dates.date.month <= 3):
            return True, f"bertanggal {dates.date.isoformat()} / dated {dates.date.isoformat()}"
        return False, f"bertanggal {dates.date.isoformat()}, di luar {assessment_year} / dated outside the year"
    return False, "tahun kegiatan tidak terbaca / the year it concerns cannot be read"
