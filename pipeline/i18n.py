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
        "file": "Berkas", "opd": "OPD", "type": "Jenis", "date": "Tanggal", "confidence": "Kecocokan",
        "why": "Alasan", "in_period": "Dalam periode", "requests": "Permintaan data dukung",
        # endorsement (pipeline/endorse/): the label, then each status as end_<status>
        "endorsement": "Pengesahan", "end_endorsed": "disahkan (cap dan tanda tangan, atau QR TTE)",
        "end_partial": "tidak lengkap (cap atau tanda tangan saja)", "end_unendorsed": "belum disahkan",
        "end_not-checked": "belum diperiksa",
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
        "confidence": "Match", "why": "Why", "in_period": "In period", "requests": "Evidence requests",
        "endorsement": "Endorsement", "end_endorsed": "endorsed (stamp and signature, or e-signature QR)",
        "end_partial": "incomplete (stamp or signature only)", "end_unendorsed": "not endorsed",
        "end_not-checked": "not checked",
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
# Criterion statuses and cell statuses share one palette that says what it means: green "counts", orange "partly
# there, still to collect" (not blue, which reads as fine), yellow "look at it", red "nothing", grey "does not
# count this year".
STATUS_COLOURS = {"complete": "C6EFCE", "covered": "C6EFCE", "partial": "FFD8A8", "weak": "FFEB9C",
                  "missing": "FFC7CE", "out-of-period": "E0E0E0"}


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


def status_css() -> str:
    """The palette as CSS classes, so every page colours a status as the workbook does."""
    return " ".join(f".{s} {{ background: #{c}; }}" for s, c in STATUS_COLOURS.items())


# The review page's and the reports' own words, beside the gap list's above: one language per page.
PAGE = {
    "id": {
        "home": "Beranda", "documents_nav": "Dokumen", "requests_nav": "Permintaan ke OPD", "switch": "English",
        "switch_lang": "en", "review_queue": "Perlu ditinjau", "all_documents": "Semua dokumen",
        "queue_help": "Dokumen yang skornya sedikit di bawah batas suatu kriteria, yang paling dekat dengan batas "
                      "lebih dulu. Satu klik menjadikannya bukti; keputusan langsung dihitung dan menjadi data latih.",
        "queue_empty": "Tidak ada dokumen yang menunggu tinjauan.",
        "confirm_for": "Ya, bukti untuk", "search": "Cari", "search_placeholder": "nama berkas atau isi",
        "filter": "Saring", "any": "semua", "not_evidence": "bukan bukti", "low_confidence": "ragu-ragu",
        "not_reviewed": "belum ditinjau", "reviewed": "sudah ditinjau", "shown": "ditampilkan", "of": "dari",
        "pending_note": "sedang ditulis; dibaca pada", "cannot_read": "tidak dapat dibaca",
        "duplicate_of": "sama dengan", "open": "buka", "download": "Unduh berkas asli", "text": "Isi teks",
        "preview_alt": "Halaman pertama", "history": "Riwayat tinjauan", "when": "Waktu", "reviewer": "Peninjau",
        "action": "Tindakan", "change": "Perubahan", "note": "Catatan", "save": "Simpan perubahan",
        "review": "Tinjauan", "reviewer_name": "Nama peninjau", "decision": "Keputusan",
        "confirm": "Konfirmasi", "reject": "Tolak", "confirmed": "dikonfirmasi", "rejected": "ditolak",
        "model_yes": "menurut model: ya", "types_help": "Centang semua jenis yang dibuktikan dokumen ini "
                                                        "(laporan sering memuat proses dan hasil).",
        "criteria_help": "Centang kriteria yang dibuktikan dokumen ini.", "years": "Tahun yang dibahas",
        "period": "Periode", "set_by_reviewer": "ditetapkan peninjau", "back": "Kembali",
        "reject_title": "Tolak sebagai bukti", "reject_reason": "Alasan penolakan",
        "reject_confirm": "Ya, tolak sebagai bukti untuk", "reject_help": "Dokumen ini tidak lagi dihitung untuk "
                          "kriteria tersebut. Tuliskan alasannya agar peninjau lain mengerti.",
        "cancel": "Batal", "nothing_changed": "Tidak ada yang diubah.", "date_help": "contoh: 2025-05-02",
        "years_help": "contoh: 2025", "counted_in": "Dihitung pada", "letter_to": "Kepada Yth.",
        "letter_head": "Kepala", "letter_intro": "Untuk penilaian Kabupaten/Kota Peduli HAM tahun {year}, mohon "
                       "dikirimkan data dukung berikut ke folder kotak masuk",
        "together": "bersama", "last_upload": "Unggahan terakhir", "percent_complete": "Sel terpenuhi",
        "of_cells": "sel", "region_kind": {"kota": "Kota", "kabupaten": "Kabupaten"},
        "action_names": {"confirm": "konfirmasi", "reject": "tolak", "criteria": "ubah kriteria",
                         "type": "ubah jenis", "dates": "ubah tanggal", "note": "catatan",
                         "evidence": "putusan bukti"},
        "statuses": {"processed": "terbaca", "duplicate": "duplikat", "quarantined": "karantina",
                     "unsupported": "jenis berkas tidak dibaca", "pending": "menunggu", "withdrawn": "ditarik",
                     "moved": "dipindah", "superseded": "digantikan"},
        "folder": "Folder kotak masuk", "not_in_table": "belum ada di daftar OPD", "where_links": "Tautan berkas membuka halaman tinjauan",
        "links_local": "hanya dapat dibuka di komputer ini; atur BUKTI_PUBLIC_URL agar dapat dibuka penerima",
    },
    "en": {
        "home": "Home", "documents_nav": "Documents", "requests_nav": "Requests to OPDs",
        "switch": "Bahasa Indonesia", "switch_lang": "id", "review_queue": "Needs review",
        "all_documents": "All documents",
        "queue_help": "Documents scored just below a criterion's threshold, closest to it first. One click makes "
                      "one evidence; the decision counts at once and becomes a training row.",
        "queue_empty": "No document is waiting for review.",
        "confirm_for": "Yes, evidence for", "search": "Search", "search_placeholder": "file name or text",
        "filter": "Filter", "any": "any", "not_evidence": "not evidence", "low_confidence": "uncertain",
        "not_reviewed": "not reviewed", "reviewed": "reviewed", "shown": "shown", "of": "of",
        "pending_note": "still being written; read on", "cannot_read": "cannot be read",
        "duplicate_of": "same as", "open": "open", "download": "Download the original", "text": "Text",
        "preview_alt": "First page", "history": "Review history", "when": "When", "reviewer": "Reviewer",
        "action": "Action", "change": "Change", "note": "Note", "save": "Save changes", "review": "Review",
        "reviewer_name": "Reviewer's name", "decision": "Decision", "confirm": "Confirm", "reject": "Reject",
        "confirmed": "confirmed", "rejected": "rejected", "model_yes": "model: yes",
        "types_help": "Tick every type this document evidences (reports often carry process and outcome).",
        "criteria_help": "Tick the criteria this document evidences.", "years": "Years it concerns",
        "period": "Period", "set_by_reviewer": "set by a reviewer", "back": "Back",
        "reject_title": "Reject as evidence", "reject_reason": "Reason for rejecting",
        "reject_confirm": "Yes, reject as evidence for", "reject_help": "The document will no longer count for "
                          "that criterion. Say why, so that other reviewers understand.",
        "cancel": "Cancel", "nothing_changed": "Nothing was changed.", "date_help": "e.g. 2025-05-02",
        "years_help": "e.g. 2025", "counted_in": "Counted in", "letter_to": "To",
        "letter_head": "Head of", "letter_intro": "For the {year} Human-Rights-Friendly Regency/City assessment, "
                       "please send the following supporting documents to the inbox folder",
        "together": "with", "last_upload": "Last upload", "percent_complete": "Cells covered",
        "of_cells": "cells", "region_kind": {"kota": "City", "kabupaten": "Regency"},
        "action_names": {"confirm": "confirm", "reject": "reject", "criteria": "change criteria",
                         "type": "change type", "dates": "change dates", "note": "note",
                         "evidence": "evidence decision"},
        "statuses": {"processed": "read", "duplicate": "duplicate", "quarantined": "quarantined",
                     "unsupported": "file type not read", "pending": "waiting", "withdrawn": "withdrawn",
                     "moved": "moved", "superseded": "superseded"},
        "folder": "Inbox folder", "not_in_table": "not in the OPD table", "where_links": "File links open the review page",
        "links_local": "open on this computer only; set BUKTI_PUBLIC_URL so that recipients can open them",
    },
}
for _lang, _words in PAGE.items():
    LABELS[_lang].update(_words)

from pipeline.portal.words import PORTAL  # noqa: E402  (the upload page's words, issue 16)

for _lang, _words in PORTAL.items():
    LABELS[_lang].update(_words)
