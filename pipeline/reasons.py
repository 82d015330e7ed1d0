"""Why a file was not read: a stable code plus one sentence in Indonesian and one in English.

Reasons are stored in the ledger and shown to OPD staff and the coordinator, so they say what happened and what
to do about it, not how the code failed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    id: str  # Bahasa Indonesia, shown first
    en: str

    def __str__(self) -> str:
        return f"{self.id} / {self.en}"


class Rejected(Exception):
    """Raised by a stage when a file cannot be processed; carries the reason and the resulting status."""

    def __init__(self, status: str, reason: Reason):
        super().__init__(str(reason))
        self.status = status  # "quarantined" (a bad file) or "unsupported" (a kind we do not read)
        self.reason = reason


def empty_file() -> Reason:
    return Reason("empty", "Berkas kosong (0 bita). Kirim ulang berkas yang benar.",
                  "Empty file (0 bytes). Send the file again.")


def too_big_file(size: int, limit: int) -> Reason:
    return Reason("file-too-large", f"Berkas terlalu besar ({size // 1_000_000} MB; batas {limit // 1_000_000} MB).",
                  f"File too large ({size // 1_000_000} MB; limit {limit // 1_000_000} MB).")


def damaged_pdf(detail: str) -> Reason:
    return Reason("damaged-pdf", f"PDF rusak atau terpotong dan tidak dapat dibuka ({detail}). Kirim ulang dari sumbernya.",
                  f"Damaged or truncated PDF that cannot be opened ({detail}). Send it again from the source.")


def encrypted_pdf() -> Reason:
    return Reason("encrypted-pdf", "PDF dikunci dengan kata sandi. Kirim ulang tanpa kata sandi.",
                  "PDF is protected by a password. Send it again without a password.")


def no_pages() -> Reason:
    return Reason("no-pages", "PDF tidak memiliki halaman.", "PDF has no pages.")


def type_mismatch(extension: str, actual: str) -> Reason:
    return Reason("type-mismatch",
                  f"Nama berkas berakhiran {extension}, tetapi isinya {actual_id(actual)}. Berkas kemungkinan salah simpan; kirim ulang berkas aslinya.",
                  f"The file is named {extension} but contains {actual_en(actual)}. It was probably saved wrongly; send the real file.")


def image_too_large(width: int, height: int, limit: int) -> Reason:
    mp = width * height / 1e6
    return Reason("image-too-large",
                  f"Gambar terlalu besar untuk dibaca dengan aman ({width} × {height} piksel = {mp:.0f} MP; batas {limit / 1e6:.0f} MP). Pindai ulang dengan resolusi 200-300 dpi.",
                  f"Image too large to decode safely ({width} × {height} pixels = {mp:.0f} MP; limit {limit / 1e6:.0f} MP). Rescan at 200-300 dpi.")


def damaged_image(detail: str) -> Reason:
    return Reason("damaged-image", f"Gambar rusak atau tidak dapat dibaca ({detail}).",
                  f"Damaged or unreadable image ({detail}).")


def damaged_office(kind: str, detail: str) -> Reason:
    return Reason("damaged-office", f"Berkas {kind.upper()} rusak atau tidak dapat dibaca ({detail}).",
                  f"Damaged or unreadable {kind.upper()} file ({detail}).")


def unreadable_pages(detail: str) -> Reason:
    return Reason("no-readable-page", f"Tidak ada halaman yang dapat dibaca ({detail}).",
                  f"No page could be read ({detail}).")


def unsupported(actual: str) -> Reason:
    advice_id = _ADVICE_ID.get(actual, "Kirim dalam bentuk PDF, JPEG, PNG, TIFF, DOCX atau XLSX.")
    advice_en = _ADVICE_EN.get(actual, "Send it as PDF, JPEG, PNG, TIFF, DOCX or XLSX.")
    return Reason("unsupported", f"Jenis berkas tidak didukung: {actual_id(actual)}. {advice_id}",
                  f"Unsupported file type: {actual_en(actual)}. {advice_en}")


_NAMES = {
    "text": ("teks biasa", "plain text"), "html": ("halaman HTML", "an HTML page"),
    "zip": ("arsip ZIP", "a ZIP archive"), "ole": ("dokumen Office lama (.doc/.xls)", "a legacy Office document (.doc/.xls)"),
    "unknown": ("data yang tidak dikenali", "unrecognised data"), "gif": ("gambar GIF", "a GIF image"),
    "pdf": ("PDF", "a PDF"), "jpeg": ("gambar JPEG", "a JPEG image"), "png": ("gambar PNG", "a PNG image"),
    "tiff": ("gambar TIFF", "a TIFF image"), "docx": ("dokumen Word (DOCX)", "a Word document (DOCX)"),
    "xlsx": ("lembar kerja Excel (XLSX)", "an Excel workbook (XLSX)"), "heic": ("foto HEIC", "a HEIC photo"),
}
_ADVICE_ID = {
    "zip": "Ekstrak isinya ke folder OPD di inbox.",
    "ole": "Simpan ulang sebagai .docx/.xlsx atau PDF.",
    "heic": "Simpan ulang sebagai JPEG atau PDF.",
}
_ADVICE_EN = {
    "zip": "Extract its contents into the OPD's inbox folder.",
    "ole": "Save it again as .docx/.xlsx or PDF.",
    "heic": "Save it again as JPEG or PDF.",
}


def actual_id(kind: str) -> str:
    return _NAMES.get(kind, (kind, kind))[0]


def actual_en(kind: str) -> str:
    return _NAMES.get(kind, (kind, kind))[1]
