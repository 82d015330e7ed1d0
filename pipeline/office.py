"""Text from DOCX, XLSX and plain-text files: these carry their text, so no OCR is needed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from . import reasons

MAX_UNPACKED_BYTES = 200_000_000  # a zip bomb disguised as an office file is refused before parsing
MAX_CELLS = 1_000_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(path: Path, kind: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise reasons.Rejected("quarantined", reasons.damaged_office(kind, str(exc))) from exc
    total = sum(info.file_size for info in zf.infolist())
    if total > MAX_UNPACKED_BYTES:
        zf.close()
        raise reasons.Rejected("quarantined", reasons.damaged_office(kind, f"isi terlalu besar / unpacks to {total} bytes"))
    return zf


def read_docx(path: Path) -> str:
    """Paragraphs in order, table cells separated by tabs; headers and footers (the letterhead) first."""
    with _check_zip(path, "docx") as zf:
        parts = sorted(n for n in zf.namelist() if n.startswith("word/header") and n.endswith(".xml"))
        parts.append("word/document.xml")
        chunks = []
        for name in parts:
            try:
                root = ET.fromstring(zf.read(name))
            except (ET.ParseError, KeyError) as exc:
                raise reasons.Rejected("quarantined", reasons.damaged_office("docx", str(exc))) from exc
            chunks.append(_docx_text(root))
    return "\n".join(c for c in chunks if c)


def _docx_text(root: ET.Element) -> str:
    lines: list[str] = []

    def text_of(el: ET.Element) -> str:
        return "".join(t.text or "" for t in el.iter(f"{_W}t"))

    def walk(el: ET.Element) -> None:
        for child in el:
            if child.tag == f"{_W}tbl":
                for row in child.iter(f"{_W}tr"):
                    lines.append("\t".join(text_of(cell) for cell in row.iter(f"{_W}tc")))
            elif child.tag == f"{_W}p":
                lines.append(text_of(child))
            else:
                walk(child)

    walk(root)
    return "\n".join(lines)


def read_xlsx(path: Path) -> list[str]:
    """One text per sheet: the sheet name, then rows of tab-separated cell values."""
    import openpyxl

    _check_zip(path, "xlsx").close()
    try:  # a file object: openpyxl judges a path by its extension, and archived originals have none
        wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        raise reasons.Rejected("quarantined", reasons.damaged_office("xlsx", str(exc)[:120])) from exc
    sheets, cells = [], 0
    try:
        for ws in wb.worksheets:
            rows = [ws.title]
            for row in ws.iter_rows(values_only=True):
                values = ["" if v is None else str(v) for v in row]
                cells += len(values)
                if cells > MAX_CELLS:
                    break
                if any(values):
                    rows.append("\t".join(values).rstrip("\t"))
            sheets.append("\n".join(rows))
    finally:
        wb.close()
    return sheets or [""]


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")
