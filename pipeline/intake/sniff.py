"""Identify a file's type from its first bytes, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

# Kinds the pipeline reads, and the extensions that claim them (a claim the content must back up).
READABLE = {"pdf", "jpeg", "png", "tiff", "bmp", "webp", "docx", "xlsx", "text"}
IMAGE_KINDS = {"jpeg", "png", "tiff", "bmp", "webp"}
CLAIMS = {
    ".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff", ".tiff": "tiff",
    ".bmp": "bmp", ".webp": "webp", ".docx": "docx", ".xlsx": "xlsx", ".txt": "text",
}


def sniff(path: Path) -> str:
    """Return the content kind: one of READABLE, or zip/ole/html/gif/heic/unknown/empty."""
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):  # before the PDF test: a zip may store a PDF uncompressed near its start
        return _sniff_zip(path)
    if b"%PDF-" in head[:1024]:  # the PDF spec tolerates junk before the header
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"BM") and len(head) > 14:
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
        return "heic"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return _sniff_text(head)


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return "unknown"
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return "zip"


def _sniff_text(head: bytes) -> str:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:  # a multi-byte character cut at the end of the sample
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return "unknown"
    if "\x00" in text:
        return "unknown"
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html")) or "<body" in lowered[:512]:
        return "html"
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return "text" if printable / len(text) > 0.95 else "unknown"
