"""Files the tests build for themselves: digital and scanned PDFs, images, bad files."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from pipeline.training import synth


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


# --- Pages that are hard to read well (tests/test_page_reading.py) ------------------------------------------------

def budget_table_pdf(path: Path, rows: int = 36) -> Path:
    """A born-digital budget-realisation page: a title, then rows of account codes and figures, mostly digits."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(synth.font_path())))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("DejaVuSerif", 9)
    y = A4[1] - 60
    for line in ["REALISASI APBD 2025", "Kode Anggaran Realisasi %"] + budget_rows(rows):
        c.drawString(50, y, line)
        y -= 13
    c.showPage()
    c.save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def budget_rows(rows: int) -> list[str]:
    def rupiah(n: int) -> str:
        return f"{n:,}".replace(",", ".") + ",00"
    lines = []
    for i in range(rows):
        budget = 1_000_000_000 + 137_913_577 * i
        spent = budget * (80 + i % 17) // 100
        share = f"{spent * 100 / budget:.2f}".replace(".", ",")
        lines.append(f"5.1.{i % 4 + 1:02d}.{i + 1:02d} {rupiah(budget)} {rupiah(spent)} {share}")
    return lines


def bad_ocr(text: str, rate: float = 0.35, seed: int = 0) -> str:
    """What a poor OCR engine makes of `text`: look-alike digits inside words (pe1aksanaan), words split or run
    on, random case and stray marks inside words; `rate` of the words are damaged."""
    import random

    rng = random.Random(seed)
    lookalike = {"o": "0", "l": "1", "i": "1", "e": "c", "m": "rn", "s": "5", "a": "o", "n": "h", "b": "8"}
    out = []
    for word in text.split(" "):
        if len(word) > 3 and rng.random() < rate:
            cut = rng.randrange(1, len(word) - 1)
            kind = rng.randrange(4)
            if kind == 0:
                word = "".join(lookalike.get(ch, ch) if rng.random() < 0.4 else ch for ch in word)
            elif kind == 1:
                word = word[:cut] + " " + word[cut:]
            elif kind == 2:
                word = word[0] + "".join(ch.swapcase() if rng.random() < 0.5 else ch for ch in word[1:])
            else:
                word = word[:cut] + rng.choice(".,;'") + word[cut:]
        out.append(word)
    return " ".join(out)


def scan_with_text_layer(path: Path, text: str, layer_text: str, dpi: int = 200, **damage) -> Path:
    """A scanned page (an image covering it) carrying an invisible text layer (render mode 3), as scanners'
    OCR and OCRmyPDF make them. `layer_text` is what the layer says: the page's text, or a bad engine's."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(synth.font_path())))
    image = synth.degrade(synth.render_page(synth.wrap(text, 80), dpi=dpi), **damage)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(image.convert("RGB")), 0, 0, A4[0], A4[1])
    layer = c.beginText(0.9 * 72, A4[1] - 0.9 * 72 - 11)
    layer.setTextRenderMode(3)  # invisible: the image shows the page, the layer makes it searchable
    layer.setFont("DejaVuSerif", 11)
    layer.setLeading(11 * 1.45)
    for line in synth.wrap(layer_text, 80):
        layer.textLine(line)
    c.drawText(layer)
    c.showPage()
    c.save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def rotated_scan_pdf(path: Path, text: str, rotate: int = 90, dpi: int = 200) -> Path:
    """A scan stored on its side, turned upright by the page's /Rotate (a sheet fed sideways, fixed in the
    scanner's software): viewers show it upright, the image itself is not."""
    import pypdfium2 as pdfium

    upright = synth.degrade(synth.render_page(synth.wrap(text, 80), dpi=dpi), noise=4)
    buf = io.BytesIO()
    synth.save_scanned_pdf([upright.rotate(rotate, expand=True)], buf, dpi)  # PIL turns counter-clockwise
    pdf = pdfium.PdfDocument(buf.getvalue())
    pdf[0].set_rotation(rotate)  # /Rotate turns clockwise when shown
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(str(path))
    pdf.close()
    return path


def rotated_digital_pdf(path: Path, lines: list[str]) -> Path:
    """A born-digital page with /Rotate 90 whose content is drawn turned back, so that it shows upright."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(synth.font_path())))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setPageRotation(90)  # reportlab then lays the media box on its side: content is drawn turned back
    c.translate(A4[0], 0)
    c.rotate(90)
    c.setFont("DejaVuSerif", 11)
    y = A4[0] - 60
    for line in lines:
        c.drawString(60, y, line)
        y -= 16
    c.showPage()
    c.save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def landscape_page(text: str, dpi: int = 200, font_pt: float = 11) -> "Image.Image":
    """A clean A4 landscape page with `text` in long lines (a wide table's report), as a greyscale image."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(synth.A4_INCHES[1] * dpi), int(synth.A4_INCHES[0] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(synth.font_path()), int(round(font_pt * dpi / 72)))
    y, step = int(0.8 * dpi), int(font_pt * 1.45 * dpi / 72)
    for line in synth.wrap(text, 120):
        draw.text((int(0.8 * dpi), y), line, fill=0, font=font)
        y += step
    return page


def landscape_scan_pdf(path: Path, text: str, dpi: int = 200) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.save_scanned_pdf([synth.degrade(landscape_page(text, dpi), noise=4)], path, dpi)
    return path


def phone_photo(path: Path, text: str, turn: int = 90, long_side: int = 1280) -> Path:
    """A phone picture of a whole page as chat apps pass it on: off square, unevenly lit, shrunk to
    `long_side` pixels (about 110 dpi for A4), JPEG, no EXIF; turned `turn` degrees counter-clockwise."""
    from PIL import Image

    page = synth.degrade(synth.render_page(synth.wrap(text, 80), dpi=300), angle=-2.0, noise=8, blur=0.8,
                         shade=True)
    factor = long_side / max(page.size)
    page = page.resize((round(page.width * factor), round(page.height * factor)), Image.Resampling.BOX)
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.save_jpeg(page.rotate(turn, expand=True, fillcolor=235) if turn else page, path, quality=70)
    return path


def low_res_scan(path: Path, text: str, dpi: int = 96, font_pt: float = 6.0) -> Path:
    """A page scanned at `dpi` (the sensor averages what a 300 dpi render shows), saved as PNG with its dpi:
    small print of a table or a footnote at 96 dpi is a few pixels high."""
    from PIL import Image

    sharp = synth.degrade(synth.render_page(synth.wrap(text, 80), dpi=300, font_pt=font_pt), noise=4)
    scan = sharp.resize((round(sharp.width * dpi / 300), round(sharp.height * dpi / 300)), Image.Resampling.BOX)
    path.parent.mkdir(parents=True, exist_ok=True)
    scan.save(path, dpi=(dpi, dpi))
    return path


def tall_image(path: Path, text: str, width: int = 1080, height: int = 4000, font_px: int = 26,
               banner: str = "") -> list[str]:
    """A long phone screenshot (or, with a `banner` heading in a coloured band, an infographic strip): `text` in
    lines down a `width` x `height` PNG. Returns the lines drawn, in order, the banner first."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (width, height), (250, 248, 242))
    draw = ImageDraw.Draw(img)
    y, drawn = 40, []
    if banner:
        draw.rectangle([0, 0, width, 140], fill=(0, 84, 147))
        draw.text((40, 40), banner, fill="white", font=ImageFont.truetype(str(synth.font_path("DejaVuSans.ttf")), 56))
        y, drawn = 200, [banner]
    font = ImageFont.truetype(str(synth.font_path("DejaVuSans.ttf")), font_px)
    for line in synth.wrap(text, int((width - 80) / (font_px * 0.62))):
        if y > height - 2 * font_px:
            break
        draw.text((40, y), line, fill=(30, 30, 30), font=font)
        drawn.append(line)
        y += int(font_px * 1.5)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return drawn
