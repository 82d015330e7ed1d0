"""Labels of reports and the review page: Indonesian first, English on request."""

from __future__ import annotations

LABELS = {
    "id": {
        "title": "Laporan bukti dukung KKP HAM", "year": "Tahun penilaian", "summary": "Ringkasan",
        "criterion": "Kriteria", "status": "Status", "struktur": "Struktur", "proses": "Proses", "hasil": "Hasil",
        "covered": "terpenuhi", "weak": "lemah (perlu ditinjau)", "missing": "belum ada",
        "out-of-period": "di luar periode",
        "file": "Berkas", "opd": "OPD", "type": "Jenis", "date": "Tanggal", "confidence": "Keyakinan",
        "why": "Alasan", "in_period": "Dalam periode", "requests": "Permintaan data dukung",
        "request_intro": "Data dukung yang masih harus dikirim", "quarantine": "Berkas karantina",
        "reason": "Alasan", "total": "Jumlah", "ask": "Minta kepada", "none": "Tidak ada",
        "chart": "Bukti per kriteria dan jenis", "generated": "Dibuat", "yes": "ya", "no": "tidak",
        "still_needed": "Masih dibutuhkan", "evidence": "Bukti",
    },
    "en": {
        "title": "KKP HAM supporting-evidence report", "year": "Assessment year", "summary": "Summary",
        "criterion": "Criterion", "status": "Status", "struktur": "Structure", "proses": "Process",
        "hasil": "Outcome", "covered": "covered", "weak": "weak", "missing": "missing",
        "out-of-period": "out of period", "file": "File", "opd": "Agency (OPD)", "type": "Type", "date": "Date",
        "confidence": "Confidence", "why": "Why", "in_period": "In period", "requests": "Evidence requests",
        "request_intro": "Supporting documents still to be sent", "quarantine": "Quarantined files",
        "reason": "Reason", "total": "Total", "ask": "Ask", "none": "None", "chart": "Evidence by criterion and type",
        "generated": "Generated", "yes": "yes", "no": "no", "still_needed": "Still needed", "evidence": "Evidence",
    },
}
STATUS_COLOURS = {"covered": "C6EFCE", "weak": "FFEB9C", "missing": "FFC7CE", "out-of-period": "E4DFEC"}


def labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise ValueError(f"language {lang!r} is not available (id, en)")
    return LABELS[lang]


def criterion_name(criterion: dict, lang: str) -> str:
    return criterion["name"] if lang == "id" else criterion["name_en"]
