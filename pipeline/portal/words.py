"""The upload page's and the coordinator's progress table's words, Indonesian first (merged into
pipeline.i18n.LABELS like the review page's own)."""

PORTAL = {
    "id": {
        "upload_title": "Unggah data dukung", "upload_for": "Untuk permintaan", "upload_any": "(tidak untuk "
        "permintaan tertentu)", "upload_drop": "Tarik berkas ke sini, atau pilih", "upload_send": "Kirim berkas",
        "upload_help": "PDF, gambar (JPG, PNG, TIFF), DOCX atau XLSX; paling besar {mb} MB per berkas. Beberapa "
                       "berkas sekaligus boleh. Berkas dibaca pada putaran malam berikutnya.",
        "open_requests": "Permintaan yang masih terbuka", "no_requests": "Tidak ada permintaan terbuka. Terima kasih.",
        "what_counts": "Yang dihitung sebagai bukti", "sent_files": "Berkas yang sudah dikirim",
        "sent_none": "Belum ada berkas yang dikirim lewat halaman ini.", "sent_at": "Dikirim",
        "fate": "Hasil", "for_request": "Untuk", "refused": "Tidak diterima",
        "fates": {"waiting": "menunggu dibaca pada putaran malam berikutnya", "quarantined": "dikarantina",
                  "read": "sudah dibaca, belum dihitung sebagai bukti", "counted": "dihitung sebagai bukti untuk",
                  "rejected": "ditolak peninjau"},
        "superseded_by_new": "digantikan kiriman yang lebih baru", "rejected_for": "ditolak untuk",
        "deadline": "Tenggat", "days_left": "{n} hari lagi", "days_today": "hari ini", "days_over": "lewat",
        "calendar": "Jadwal penilaian", "progress": "Kemajuan per OPD", "progress_open": "terbuka",
        "progress_answered": "sudah dijawab", "progress_accepted": "bukti diterima",
        "progress_help": "terbuka: diminta, belum ada kiriman; sudah dijawab: ada kiriman lewat halaman unggah, "
                         "belum dihitung; bukti diterima: sel kriteria × jenis yang terpenuhi oleh dokumen OPD ini",
        "stored": "Tersimpan", "uploading": "Mengunggah",
        "link_active": "Halaman unggah OPD: tautan aktif sejak", "link_none": "Belum ada tautan unggah:",
    },
    "en": {
        "upload_title": "Upload supporting evidence", "upload_for": "For request", "upload_any": "(no particular "
        "request)", "upload_drop": "Drop files here, or choose", "upload_send": "Send files",
        "upload_help": "PDF, images (JPG, PNG, TIFF), DOCX or XLSX; at most {mb} MB a file. Several files at once "
                       "are fine. Files are read in the next nightly pass.",
        "open_requests": "Open requests", "no_requests": "No open requests. Thank you.",
        "what_counts": "What counts as evidence", "sent_files": "Files sent",
        "sent_none": "No file has been sent through this page yet.", "sent_at": "Sent",
        "fate": "Outcome", "for_request": "For", "refused": "Not accepted",
        "fates": {"waiting": "waiting for the next nightly pass", "quarantined": "quarantined",
                  "read": "read, not counted as evidence", "counted": "counted as evidence for",
                  "rejected": "rejected by a reviewer"},
        "superseded_by_new": "superseded by a newer upload", "rejected_for": "rejected for",
        "deadline": "Deadline", "days_left": "{n} days left", "days_today": "today", "days_over": "past",
        "calendar": "Assessment calendar", "progress": "Progress per OPD", "progress_open": "open",
        "progress_answered": "answered", "progress_accepted": "evidence accepted",
        "progress_help": "open: asked, nothing sent; answered: sent through the upload page, not yet counted; "
                         "evidence accepted: criterion × type cells covered by this OPD's documents",
        "stored": "Stored", "uploading": "Uploading",
        "link_active": "OPD upload page: link active since", "link_none": "No upload link yet:",
    },
}
