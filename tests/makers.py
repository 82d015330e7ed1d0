"""Files the tests build for themselves: digital and scanned PDFs, images, bad files."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from pipeline import synth


def digital_pdf(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(synth.digital_pdf_bytes(text))
    return path


def scanned_pdf(path: Path, text: str, dpi: int = 200, **damage) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = [synth.degrade(synth.render_page(lines, dpi=dpi), **damage) for lines in synth.paginate(text)]
    synth.save_scanned_pdf(pages, path, dpi)
    return path


def encrypted_pdf(path: Path, text: str, user_password: str) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption(user_password, ownerPassword="pemilik",
                                                                 canPrint=0))
    c.drawString(60, 760, text)
    c.showPage()
    c.save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def mixed_pdf(path: Path, digital_text: str, scanned_text: str, dpi: int = 200) -> Path:
    """Page 1 born digital, page 2 an image-only scan."""
    import pypdfium2 as pdfium

    first = pdfium.PdfDocument(synth.digital_pdf_bytes(digital_text))
    buf = io.BytesIO()
    synth.save_scanned_pdf([synth.render_page(synth.wrap(scanned_text), dpi=dpi)], buf, dpi)
    second = pdfium.PdfDocument(buf.getvalue())
    first.import_pages(second)
    path.parent.mkdir(parents=True, exist_ok=True)
    first.save(str(path))
    second.close()
    first.close()
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims width x height pixels: decoding it would need width*height bytes of memory."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path
