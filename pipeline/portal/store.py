"""Files from the upload page into `inbox/<folder>/`, as if the OPD had dropped them there itself.

The inbox stays the one way in: the nightly pass reads these files as any other. So that it never sees half a
file, the upload is written under a hidden temporary name (`.unggah-*.part`, which the scanner skips) in the
same folder, checked (size while it streams, type by its first bytes), flushed, then given its name by a hard
link, which fails rather than replace a file of that name: an existing file gets "name (2).pdf". The original
name is kept, cleaned only of what no file name may carry (folders, control characters).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.intake.sniff import sniff

# What the page takes: the kinds the pipeline reads as evidence (no plain text: nobody sends a .txt as evidence,
# and a page that took any text would take HTML too).
ACCEPTED_KINDS = {"pdf", "jpeg", "png", "tiff", "bmp", "webp", "docx", "xlsx"}
ACCEPTED_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".docx", ".xlsx")
MAX_NAME = 180
CHUNK = 1 << 20


class UploadRefused(ValueError):
    """Why a file was not stored, in Indonesian and English (`id`, `en`)."""

    def __init__(self, id_text: str, en_text: str):
        super().__init__(f"{id_text} / {en_text}")
        self.id, self.en = id_text, en_text


@dataclass(frozen=True)
class StoredFile:
    path: Path  # where it landed
    relative: str  # the same, relative to the inbox (as the ledger names files)
    sha256: str
    size: int


def clean_name(name: str) -> str:
    """The file's own name, as the OPD called it: no folders, no control characters, not hidden, not too long."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:MAX_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 8 else name[:MAX_NAME]
    if not name:
        raise UploadRefused("nama berkas kosong", "the file has no name")
    return name


def _free_name(folder: Path, name: str, attempt: int) -> Path:
    if attempt == 0:
        return folder / name
    stem, dot, suffix = name.rpartition(".")
    return folder / (f"{stem} ({attempt + 1}).{suffix}" if dot else f"{name} ({attempt + 1})")


def store_upload(inbox: Path, folder: str, name: str, source: BinaryIO, max_bytes: int) -> StoredFile:
    """Stream `source` into `inbox/<folder>/<name>` (never replacing a file), or raise UploadRefused."""
    name = clean_name(name)
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise UploadRefused(f"jenis berkas tidak diterima: {name} (PDF, gambar, DOCX, XLSX)",
                            f"file type not accepted: {name} (PDF, images, DOCX, XLSX)")
    target = inbox / folder
    target.mkdir(parents=True, exist_ok=True)
    temp = target / f".unggah-{secrets.token_hex(8)}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with open(temp, "xb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(f"berkas terlalu besar (lebih dari {max_bytes // 1_000_000} MB): {name}",
                                        f"file too large (over {max_bytes // 1_000_000} MB): {name}")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise UploadRefused(f"berkas kosong: {name}", f"empty file: {name}")
        kind = sniff(temp)
        if kind not in ACCEPTED_KINDS:
            raise UploadRefused(f"isi berkas bukan PDF, gambar, DOCX atau XLSX: {name}",
                                f"the content is not a PDF, image, DOCX or XLSX: {name}")
        for attempt in range(1000):
            final = _free_name(target, name, attempt)
            try:
                os.link(temp, final)  # atomic, and never over an existing file
                break
            except FileExistsError:
                continue
        else:
            raise UploadRefused(f"terlalu banyak berkas bernama {name}", f"too many files named {name}")
    finally:
        temp.unlink(missing_ok=True)
    return StoredFile(final, final.relative_to(inbox).as_posix(), digest.hexdigest(), size)
