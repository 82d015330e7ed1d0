"""Labels of the gap list, the reports and the review page: Indonesian first, English on request.

The one place where statuses get their words and colours. Two sets of statuses:
- a cell (criterion x evidence type): `covered` / `weak` / `missing` / `out-of-period`;
- a criterion, counted as the assessment counts it (struktur, proses and hasil are all scored):
  `complete` (all three types covered), `partial` (one or two), `weak` (only evidence within the review band),
  `missing` (nothing usable).
"""

from __future__ import annotations

CRITERION_STATUSES = ("complete", "partial", "weak", "missing")
CELL_STATUSES = ("covered", "weak", "missing", "out-of-period")

LABELS = {
    "id": {
        "title": "Laporan bukti dukung KKP HAM", "year": "Tahun penilaian", "summary": "Ringkasan",
        "criterion": "Kriteria", "status": "Status", "struktur": "Struktur", "proses": "Proses", "hasil": "Hasil",
        # criterion statuses
        "complete": "lengkap", "partial": "sebagian", "weak": "lemah", "missing": "belum ada",
        # cell statuses (weak and missing are shared with the criterion statuses and mean the same)
        "covered": "terpenuhi", "out-of-period": "di luar periode",
        "file": "Berkas", "opd": "OPD", "type": "Jenis", "date": "Tanggal", "confidence": "Keyakinan",
        "why": "Alasan", "in_period": "Dalam periode", "requests": "Permintaan data dukung",
        "request_intro": "Data dukung yang masih harus dikirim", "quarantine": "Berkas karantina",
        "reason": "Alasan", "total": "Jumlah", "ask": "Minta kepada", "none": "Tidak ada",
        "chart": "Kelengkapan per kriteria dan jenis bukti", "generated": "Dibuat", "yes": "ya", "no": "tidak",
        "still_needed": "Masih dibutuhkan", "evidence": "Bukti", "need": "Yang diminta",
        "documents": "dokumen", "headline": "Kelengkapan", "criteria_count": "kriteria",
        "status_help": "lengkap: struktur, proses dan hasil ada; sebagian: satu atau dua jenis ada; "
                       "lemah: hanya bukti yang perlu ditinjau; belum ada: tidak ada bukti yang dihitung",
        "region": "Wilayah", "province": "Provinsi", "province_title": "Ringkasan provinsi bukti dukung KKP HAM",
        "at_risk": "Berisiko", "critical": "Kriteria kritis", "report": "Laporan",
        "risk_help": "berisiko: ada kriteria tanpa bukti yang dihitung atau hanya dengan satu jenis bukti (nilai "
                     "penilaian paling banyak sepertiga); urutan: jumlah kriteria kritis, lalu sel yang belum terpenuhi",
    },
    "en": {
        "title": "KKP HAM supporting-evidence report", "year": "Assessment year", "summary": "Summary",
        "criterion": "Criterion", "status": "Status", "struktur": "Structure", "proses": "Process",
        "hasil": "Outcome",
        "complete": "complete", "partial": "partial", "weak": "weak", "missing": "missing",
        "covered": "covered", "out-of-period": "out of period",
        "file": "File", "opd": "Agency (OPD)", "type": "Type", "date": "Date",
        "confidence": "Confidence", "why": "Why", "in_period": "In period", "requests": "Evidence requests",
        "request_intro": "Supporting documents still to be sent", "quarantine": "Quarantined files",
        "reason": "Reason", "total": "Total", "ask": "Ask", "none": "None",
        "chart": "Completeness by criterion and evidence type",
        "generated": "Generated", "yes": "yes", "no": "no", "still_needed": "Still needed", "evidence": "Evidence",
        "need": "What to ask for", "documents": "documents", "headline": "Completeness", "criteria_count": "criteria",
        "status_help": "complete: structure, process and outcome evidence; partial: one or two of them; "
                       "weak: only evidence a reviewer should check; missing: nothing that counts",
        "region": "Region", "province": "Province", "province_title": "KKP HAM province evidence summary",
        "at_risk": "At risk", "critical": "Critical criteria", "report": "Report",
        "risk_help": "at risk: a criterion with no evidence that counts or with one evidence type only (it scores "
                     "a third at most); order: critical criteria, then cells not covered",
    },
}
# Criterion statuses and cell statuses share one palette: green is "counts", yellow "look at it", red "nothing".
STATUS_COLOURS = {"complete": "C6EFCE", "covered": "C6EFCE", "partial": "DDEBF7", "weak": "FFEB9C",
                  "missing": "FFC7CE", "out-of-period": "E4DFEC"}


def labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise ValueError(f"language {lang!r} is not available (id, en)")
    return LABELS[lang]


def criterion_name(criterion, lang: str) -> str:
    """A criterion's name (anything with `name` and `name_en`: CriterionGaps, OpdRequest, Criterion)."""
    return criterion.name if lang == "id" else criterion.name_en


def need_text(cell, lang: str) -> str:
    """What to ask for to fill a cell of the gap list (a TypeCell or an OpdRequest)."""
    return cell.need if lang == "id" else cell.need_en


def headline(gaps, lang: str = "id") -> str:
    """One line counting criteria by completeness, e.g. "Tahun penilaian 2025: 1 lengkap, 6 sebagian, ..."
    (`gaps`: a GapList)."""
    L = labels(lang)
    counts = ", ".join(f"{gaps.summary[s]} {L[s]}" for s in CRITERION_STATUSES)
    return f"{L['year']} {gaps.assessment_year} — {L['headline'].lower()} {len(gaps.criteria)} " \
           f"{L['criteria_count']}: {counts}"
