"""Office files built to exhaust memory: a member that inflates far beyond what its headers declare, and an honest
but XML-heavy document. Generated on the fly (a few seconds), never stored."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from .docx_maker import _CT, _RELS, _W

_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode()
_TAIL = b"</w:body></w:document>"


def _write_docx(path: Path, body_chunks, *, compresslevel: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w") as member:
            member.write(_HEAD)
            for chunk in body_chunks:
                member.write(chunk)
            member.write(_TAIL)


def lying_docx(path: Path, inflated: int = 1 << 30, declared: int = 1024) -> Path:
    """A DOCX whose word/document.xml inflates to `inflated` bytes (valid XML: a paragraph, then whitespace)
    while both its local header and the central directory declare `declared` bytes."""
    first = b"<w:p><w:r><w:t>Laporan forum anak</w:t></w:r></w:p>"
    _write_docx(path, [first] + [_SPACES] * (inflated >> 20))
    _declare(path, "word/document.xml", declared)
    return path


def lying_xlsx(path: Path, inflated: int = 1 << 30, declared: int = 1024) -> Path:
    """A real workbook whose xl/styles.xml (which openpyxl reads whole with ZipFile.read) is followed by
    `inflated` bytes of whitespace while its headers declare `declared` bytes."""
    import io

    import openpyxl

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["Puskesmas", "Sasaran"])
    wb.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/styles.xml":
                out.writestr(info.filename, data)
                continue
            with out.open(info.filename, "w") as member:
                member.write(data)
                for _ in range(inflated >> 20):
                    member.write(_SPACES)
    _declare(path, "xl/styles.xml", declared)
    return path


_SPACES = b" " * (1 << 20)


def _declare(path: Path, member: str, declared: int) -> None:
    """Rewrite the uncompressed size of `member` in its local header and central directory entry."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    struct.pack_into("<I", data, _find_header(data, b"PK\x01\x02", 46, 28, name) + 24, declared)
    struct.pack_into("<I", data, _find_header(data, b"PK\x03\x04", 30, 26, name) + 22, declared)
    path.write_bytes(bytes(data))


def _find_header(data: bytearray, signature: bytes, fixed: int, name_len_at: int, name: bytes) -> int:
    at = -1
    while (at := data.find(signature, at + 1)) >= 0:
        (length,) = struct.unpack_from("<H", data, at + name_len_at)
        if data[at + fixed:at + fixed + length] == name:
            return at
    raise AssertionError(f"no {signature!r} header for {name!r}")


def xml_heavy_docx(path: Path, xml_bytes: int = 190_000_000, with_text: bool = True) -> Path:
    """An honest DOCX of a few hundred KB holding `xml_bytes` of XML: repeated short paragraphs (with_text) or
    empty runs, millions of elements either way."""
    unit = (b"<w:p><w:r><w:t>Laporan kegiatan forum anak kota</w:t></w:r></w:p>" if with_text
            else b"<w:p><w:r/><w:r/><w:r/><w:r/><w:r/><w:r/><w:r/><w:r/></w:p>")
    block = unit * ((1 << 20) // len(unit))
    _write_docx(path, [block] * (xml_bytes // len(block)), compresslevel=9)
    return path


def many_entries_zip(path: Path, entries: int = 100_000) -> Path:
    """A DOCX-looking ZIP with a huge central directory (tiny empty members): zipfile would build an object per
    entry before anything could look at them."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("word/document.xml", _HEAD + _TAIL)
        for i in range(entries):
            zf.writestr(f"x/{i}", b"")
    return path
