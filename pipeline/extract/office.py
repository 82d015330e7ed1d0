"""Text from DOCX, XLSX and plain-text files: these carry their text, so no OCR is needed.

DOCX and XLSX are ZIP archives of XML, and neither the sizes a ZIP declares nor the size of its XML can be
trusted: a 1 KB declared member may inflate to gigabytes, and a few hundred KB may hold hundreds of MB of XML.
So limits apply *before* anything is inflated or parsed whole:
- the ZIP's central directory is sized from its end record before `zipfile` reads it (MAX_ZIP_ENTRIES,
  MAX_CENTRAL_DIRECTORY);
- members are read through a capped stream in 64 KB steps, counting the bytes actually inflated
  (MAX_UNPACKED_BYTES per document), so a lying header is caught after at most one step (zipfile's CRC check);
- XML is parsed as it streams (XMLPullParser), each element dropped once read, its elements counted
  (MAX_XML_ELEMENTS); a DOCTYPE (never in Office XML; entity tricks live there) is refused;
- text stops at reasons.TEXT_CAP characters, with a note saying it was cut.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

from pipeline import reasons
from pipeline.status import Status

MAX_UNPACKED_BYTES = 200_000_000  # inflated bytes read from one document's members, counted as they stream
MAX_XML_ELEMENTS = 5_000_000  # a 1,000-page report has well under a million
MAX_SHARED_STRINGS_BYTES = 64_000_000  # openpyxl keeps every shared string in memory (~4x the XML)
MAX_ZIP_ENTRIES = 10_000  # zipfile builds an object per entry before we can look at any of them
MAX_CENTRAL_DIRECTORY = 4_000_000
MAX_CELLS = 1_000_000
CHUNK = 1 << 16
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError,
               KeyError, struct.error)


def _damaged(kind: str, detail: str) -> reasons.Rejected:
    return reasons.Rejected(Status.QUARANTINED, reasons.damaged_office(kind, detail[:160]))


def _too_large(detail: str) -> reasons.Rejected:
    return reasons.Rejected(Status.QUARANTINED, reasons.archive_too_large(detail))


def check_zip_directory(path: Path) -> None:
    """Refuse a ZIP whose central directory is too big to hand to `zipfile` (an object per entry, all in memory),
    judged from the end-of-central-directory record alone. Also used before sniffing an archived original."""
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            tail_len = min(size, 22 + 65535 + 20)  # EOCD, its longest comment, and the ZIP64 locator before it
            fh.seek(size - tail_len)
            tail = fh.read(tail_len)
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) - at < 22:
                return  # not our problem here: zipfile says "not a zip file" and the caller names it
            _, _, _, entries, cd_size, _, _ = struct.unpack("<HHHHIIH", tail[at + 4:at + 22])
            locator = tail[at - 20:at] if at >= 20 else b""
            if locator.startswith(b"PK\x06\x07"):
                (eocd64_at,) = struct.unpack("<Q", locator[8:16])
                if 0 <= eocd64_at < size:
                    fh.seek(eocd64_at)
                    record = fh.read(56)
                    if record.startswith(b"PK\x06\x06") and len(record) == 56:
                        entries, cd_size = struct.unpack("<QQ", record[32:48])
    except OSError:
        return
    if entries > MAX_ZIP_ENTRIES or cd_size > MAX_CENTRAL_DIRECTORY:
        raise _too_large(f"{entries} entri ZIP / ZIP entries, direktori {cd_size} bita / directory bytes; "
                         f"batas / limit {MAX_ZIP_ENTRIES}")


def _open_zip(path: Path, kind: str) -> zipfile.ZipFile:
    check_zip_directory(path)
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise _damaged(kind, str(exc)) from exc
    declared = sum(info.file_size for info in zf.infolist())
    if declared > MAX_UNPACKED_BYTES:  # an honest header already says too much: refuse without inflating
        zf.close()
        raise _too_large(f"isi {declared:,} bita / unpacks to {declared:,} bytes; batas / limit "
                         f"{MAX_UNPACKED_BYTES:,}")
    return zf


class _Budget:
    """Inflated bytes left for one document, across all its members."""

    def __init__(self, limit: int = MAX_UNPACKED_BYTES):
        self.left = limit
        self.limit = limit

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _too_large(f"isi melebihi {self.limit:,} bita / unpacks to more than {self.limit:,} bytes")


def _member_chunks(zf: zipfile.ZipFile, name: str, budget: _Budget, kind: str) -> Iterator[bytes]:
    """A member's inflated bytes in CHUNK steps, counted against `budget`. zipfile never hands out more than
    the declared size and checks the CRC at the end, so a member that inflates beyond what it declares fails
    (damaged) after one step instead of being inflated whole (`ZipFile.read` would inflate it all first)."""
    try:
        info = zf.getinfo(name)
        if info.file_size > budget.left:
            raise _too_large(f"{name}: {info.file_size:,} bita / bytes")
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                budget.take(len(chunk))
                yield chunk
    except reasons.Rejected:
        raise
    except _ZIP_ERRORS as exc:
        raise _damaged(kind, f"{name}: {exc}") from exc


class _NoDoctype:
    """Refuses a DOCTYPE before the root element: Office XML never has one, and entity expansion lives there."""

    def __init__(self, kind: str):
        self.kind = kind
        self.tail = b""
        self.done = False

    def check(self, chunk: bytes) -> None:
        if self.done:
            return
        window = self.tail + chunk
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise _damaged(self.kind, "DOCTYPE/ENTITY dalam XML / in the XML")
        self.tail = window[-16:]

    def root_seen(self) -> None:
        self.done = True


def read_docx(path: Path) -> str:
    """Paragraphs in order, table cells separated by tabs; headers and footers (the letterhead) first."""
    with _open_zip(path, "docx") as zf:
        names = set(zf.namelist())
        parts = sorted(n for n in names if n.startswith("word/header") and n.endswith(".xml"))
        if "word/document.xml" not in names:
            raise _damaged("docx", "word/document.xml tidak ada / is missing")
        parts.append("word/document.xml")
        budget, sink = _Budget(), _Lines(reasons.TEXT_CAP)
        for name in parts:
            sink.start_part()
            _docx_part(_member_chunks(zf, name, budget, "docx"), sink)
            if sink.full:
                break
    return sink.text()


class _Lines:
    """Lines of text per part, up to `cap` characters in all; `full` once the cap is reached (the rest is not
    read). Parts join as before streaming: empty parts are left out, empty paragraphs within a part kept."""

    def __init__(self, cap: int):
        self.parts: list[list[str]] = []
        self.chars = 0
        self.cap = cap
        self.full = False

    def start_part(self) -> None:
        self.parts.append([])

    def add(self, line: str) -> None:
        if self.full:
            return
        self.parts[-1].append(line)
        self.chars += len(line) + 1
        if self.chars > self.cap:
            self.full = True

    def text(self) -> str:
        text = "\n".join(t for t in ("\n".join(lines) for lines in self.parts) if t)
        if self.full:
            return text[:self.cap] + reasons.truncation_note()
        return text


def _docx_part(chunks: Iterator[bytes], sink: _Lines) -> None:
    """One WordprocessingML part, streamed: a paragraph outside tables is a line, a table row is a line of
    tab-separated cells (the text of everything inside a cell, nested tables included). Every element is
    removed from its parent once read, so the tree never grows beyond the current path."""
    parser = ET.XMLPullParser(events=("start", "end"))
    guard = _NoDoctype("docx")
    stack: list[ET.Element] = []
    elements = 0
    table_depth = 0
    para: list[str] = []
    cell: list[str] = []
    row: list[str] = []
    try:
        for chunk in chunks:
            guard.check(chunk)
            parser.feed(chunk)
            for event, el in parser.read_events():
                if event == "start":
                    guard.root_seen()
                    elements += 1
                    if elements > MAX_XML_ELEMENTS:
                        raise _too_large(f"lebih dari {MAX_XML_ELEMENTS:,} elemen XML / more than "
                                         f"{MAX_XML_ELEMENTS:,} XML elements")
                    if el.tag == f"{_W}tbl":
                        table_depth += 1
                    stack.append(el)
                    continue
                tag = el.tag
                if tag == f"{_W}t":
                    (cell if table_depth else para).append(el.text or "")
                elif tag == f"{_W}p" and not table_depth:
                    sink.add("".join(para))
                    para.clear()
                elif table_depth == 1 and tag == f"{_W}tc":
                    row.append("".join(cell))
                    cell.clear()
                elif table_depth == 1 and tag == f"{_W}tr":
                    sink.add("\t".join(row))
                    row.clear()
                elif tag == f"{_W}tbl":
                    table_depth -= 1
                stack.pop()
                if stack:
                    stack[-1].remove(el)  # the parent holds at most this child: removal is O(1)
                if sink.full:
                    return
        parser.close()
    except ET.ParseError as exc:
        raise _damaged("docx", str(exc)) from exc


def read_xlsx(path: Path) -> list[str]:
    """One text per sheet: the sheet name, then rows of tab-separated cell values."""
    import openpyxl

    with _open_zip(path, "xlsx") as zf:
        _verify_members(zf, "xlsx")
    # A file object: openpyxl judges a path by its extension (archived originals have none), and a file object
    # is read where it lies instead of copied into memory whole.
    fh = path.open("rb")
    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        fh.close()
        raise _damaged("xlsx", str(exc)[:120]) from exc
    sheets, cells, chars, full = [], 0, 0, False
    try:
        for ws in wb.worksheets:
            rows = [ws.title]
            for values in ws.iter_rows(values_only=True):
                texts = ["" if v is None else str(v) for v in values]
                cells += len(texts)
                if cells > MAX_CELLS:
                    break
                if any(texts):
                    line = "\t".join(texts).rstrip("\t")
                    rows.append(line)
                    chars += len(line) + 1
                    if chars > reasons.TEXT_CAP:
                        full = True
                        break
            sheets.append("\n".join(rows))
            if full or cells > MAX_CELLS:
                break
    finally:
        wb.close()
        fh.close()
    if full:
        sheets[-1] += reasons.truncation_note()
    return sheets or [""]


def _verify_members(zf: zipfile.ZipFile, kind: str) -> None:
    """Inflate every member once through the capped stream, throwing the bytes away: afterwards every declared
    size is known to be true (zipfile checked each CRC), so openpyxl's own reads stay within the caps. XML parts
    are checked for a DOCTYPE on the way."""
    budget = _Budget()
    for info in zf.infolist():
        if info.filename.endswith("sharedStrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise _too_large(f"{info.filename}: {info.file_size:,} bita / bytes; batas / limit "
                             f"{MAX_SHARED_STRINGS_BYTES:,}")
        guard = _NoDoctype(kind) if info.filename.endswith((".xml", ".rels")) else None
        seen = 0
        for chunk in _member_chunks(zf, info.filename, budget, kind):
            if guard and seen < 1 << 20:  # the prolog; a root element starts long before this
                guard.check(chunk)
            seen += len(chunk)


def read_text_file(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(reasons.TEXT_CAP * 4 + 4)  # enough for the cap in any encoding; the rest is never read
    cut = len(data) > reasons.TEXT_CAP * 4
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            if cut and encoding.startswith("utf-8") and exc.start >= len(data) - 4:
                text = data[:exc.start].decode(encoding)  # a character split by our own cut
                break
    if text is None:
        text = data.decode("utf-8", errors="replace")
    if cut or len(text) > reasons.TEXT_CAP:
        return text[:reasons.TEXT_CAP] + reasons.truncation_note()
    return text
