"""Why a file was not read: a stable code plus one sentence in Indonesian and one in English.

Reasons are stored in the ledger and shown to OPD staff and the coordinator, so they say what happened and what
to do about it, not how the code failed.
"""

from __future__ import annotations

import re
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


# -- the file itself, before its content is read: recorded against the path in the inbox --------------------

def unreadable_file(detail: str) -> Reason:
    return Reason("unreadable-file",
                  f"Berkas tidak dapat dibaca oleh bukti ({detail}). Periksa izin akses berkas di folder bersama, "
                  "atau kirim ulang.",
                  f"bukti cannot read the file ({detail}). Check the file's permissions on the shared folder, or "
                  "send it again.")


def unreadable_folder(detail: str) -> Reason:
    return Reason("unreadable-folder",
                  f"Folder tidak dapat dibuka oleh bukti ({detail}); berkas di dalamnya tidak terbaca. Periksa izin "
                  "akses folder.",
                  f"bukti cannot open the folder ({detail}); the files in it are not read. Check the folder's "
                  "permissions.")


def vanished() -> Reason:
    return Reason("vanished",
                  "Berkas hilang dari inbox sebelum sempat diarsipkan (dihapus atau dipindah saat proses berjalan). "
                  "Kirim ulang bila masih diperlukan.",
                  "The file left the inbox before it could be archived (deleted or moved during the pass). Send it "
                  "again if it is still needed.")


def symlink() -> Reason:
    return Reason("symlink",
                  "Tautan simbolik (symlink) tidak diikuti. Salin berkas aslinya ke folder OPD.",
                  "Symbolic links are not followed. Copy the real file into the OPD's folder.")


def not_regular_file() -> Reason:
    return Reason("not-a-file",
                  "Bukan berkas biasa (pipa, soket atau perangkat). Simpan dokumen sebagai berkas biasa.",
                  "Not a regular file (a pipe, socket or device). Save the document as an ordinary file.")


def unexpected(detail: str) -> Reason:
    return Reason("unreadable", f"Berkas tidak dapat dibaca ({detail}).", f"The file cannot be read ({detail}).")


def archive_too_large(detail: str) -> Reason:
    return Reason("archive-too-large",
                  f"Isi berkas terlalu besar untuk dibuka dengan aman ({detail}). Simpan ulang dokumen, atau kirim "
                  "sebagai PDF.",
                  f"The file's contents are too large to unpack safely ({detail}). Save the document again, or send "
                  "it as PDF.")


# -- how much text a document keeps ----------------------------------------------------------------------------

# Extracted text is cut at about 1.6 MB per document (some 800 dense pages): the readers stop there, and the ledger
# stores each of its three copies of the text (raw, normalised, per page) within it, so one document takes at most
# ~5 MB of ledger. The classifier and the review page need the opening and the body, not page 2,000.
TEXT_CAP = 1_600_000
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (not UTF-8)


def truncation_note(cap: int = TEXT_CAP) -> str:
    mb = f"{cap / 1e6:.1f}".replace(".", ",")
    return (f"\n\n[... teks dipotong: dokumen melebihi batas {mb} MB teks per dokumen / text truncated: the "
            f"document exceeds the {cap / 1e6:.1f} MB per-document text limit ...]")


def storable_text(text: str, cap_bytes: int = TEXT_CAP) -> str:
    """`text` as the ledger can store it: no NUL or lone surrogate, at most `cap_bytes` of UTF-8 with the note,
    cut on a character boundary."""
    if _UNSTORABLE.search(text):
        text = _UNSTORABLE.sub("\ufffd", text)
    if len(text) * 4 <= cap_bytes:  # no character takes more than 4 bytes: surely within the cap
        return text
    encoded = text.encode("utf-8")
    if len(encoded) <= cap_bytes:
        return text
    note = truncation_note()
    room = max(0, cap_bytes - len(note.encode("utf-8")))
    return encoded[:room].decode("utf-8", "ignore") + note
