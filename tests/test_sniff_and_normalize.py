import zipfile
from pathlib import Path

import pytest

from pipeline.extract.normalize import normalize_text, usable_text
from pipeline.intake.sniff import sniff


@pytest.mark.parametrize("content,kind", [
    (b"%PDF-1.7\n...", "pdf"),
    (b"junk before\n%PDF-1.4\n", "pdf"),
    (b"\xff\xd8\xff\xe0rest", "jpeg"),
    (b"\x89PNG\r\n\x1a\nrest", "png"),
    (b"II*\x00rest", "tiff"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
    (b"Notulen rapat koordinasi, bukan PDF.\n", "text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole"),
    (b"\x00\x01\x02\x03binary", "unknown"),
    (b"", "empty"),
])
def test_sniff_by_content(tmp_path: Path, content: bytes, kind: str):
    f = tmp_path / "file.pdf"  # the name claims PDF; only the content counts
    f.write_bytes(content)
    assert sniff(f) == kind


def test_sniff_office_and_zip(tmp_path: Path):
    for name, members, kind in [("a.docx", ["[Content_Types].xml", "word/document.xml"], "docx"),
                                ("b.xlsx", ["[Content_Types].xml", "xl/workbook.xml"], "xlsx"),
                                ("c.zip", ["dokumen.pdf"], "zip")]:
        with zipfile.ZipFile(tmp_path / name, "w") as zf:
            for m in members:
                zf.writestr(m, "x")
        assert sniff(tmp_path / name) == kind


def test_normalize_joins_hyphenated_line_breaks_and_spaces():
    raw = "pelaksana-\nan  program\u00a0 kerja\r\n\n\n\nselesai (cid:12)"
    assert normalize_text(raw) == "pelaksanaan program kerja\n\nselesai"


def test_normalize_keeps_real_hyphens_before_capitals():
    assert normalize_text("Sukamaju-\nUtara") == "Sukamaju-\nUtara"


def test_usable_text_rejects_unmapped_glyphs():
    assert not usable_text("(cid:25)(cid:18)(cid:3)" * 20)
    assert not usable_text('"7+%-  ')
    assert not usable_text("䴀甀氀琀椀挀漀氀漀爀 䈀氀愀挀欀 倀甀爀攀 䈀氀愀挀欀 ⠀䬀 㴀 ⤀")
    assert usable_text("PERATURAN WALI KOTA SUKAMAJU NOMOR 14 TAHUN 2025")


def test_zip_holding_an_uncompressed_pdf_is_a_zip(tmp_path: Path):
    f = tmp_path / "kiriman.zip"
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("dokumen.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    assert sniff(f) == "zip"
