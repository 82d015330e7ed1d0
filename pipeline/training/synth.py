"""Synthetic documents with known text: scans, photos and digital PDFs for tests, benchmarks and the sample inbox.

Not used by the pipeline itself. Digital PDFs need reportlab (a development dependency).
"""

from __future__ import annotations

import io
import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
A4_INCHES = (8.27, 11.69)


def font_path(name: str = "DejaVuSerif.ttf") -> Path:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"font {name} not found; install Debian's fonts-dejavu-core (scripts/setup.sh does)")


def wrap(text: str, width: int = 80) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


def render_page(lines: list[str], dpi: int = 200, font_pt: float = 11, margin_in: float = 0.9) -> Image.Image:
    """A clean white A4 page with the given lines typeset at `font_pt`, as a greyscale image."""
    width, height = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(font_path()), int(round(font_pt * dpi / 72)))
    y, x = int(margin_in * dpi), int(margin_in * dpi)
    step = int(font_pt * 1.45 * dpi / 72)
    for line in lines:
        if y + step > height - margin_in * dpi:
            break
        draw.text((x, y), line, fill=0, font=font)
        y += step
    return page


def paginate(text: str, lines_per_page: int = 48, width: int = 80) -> list[list[str]]:
    lines = wrap(text, width)
    return [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]


def degrade(page: Image.Image, *, angle: float = 0.0, noise: float = 0.0, blur: float = 0.0,
            seed: int = 0, shade: bool = False) -> Image.Image:
    """What a scanner or a phone does to a page: turn it, blur it, add grain and uneven light."""
    rng = random.Random(seed)
    img = page
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=235)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if noise or shade:
        import numpy as np
        arr = np.asarray(img, dtype=np.float32)
        np_rng = np.random.default_rng(seed)
        if noise:
            arr = arr + np_rng.normal(0, noise, arr.shape)
        if shade:  # a phone photo is darker at one side
            ramp = np.linspace(0, 40 + rng.random() * 20, arr.shape[1], dtype=np.float32)
            arr = arr - ramp[None, :]
        img = Image.fromarray(arr.clip(0, 255).astype("uint8"), "L")
    return img


def save_scanned_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    """An image-only PDF, like a scanner's: no text layer at all."""
    rgb = [p.convert("L") for p in pages]
    rgb[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=rgb[1:])


def save_tiff(pages: list[Image.Image], path: Path, dpi: int) -> None:
    bilevel = [p.point(lambda v: 255 if v > 150 else 0).convert("1") for p in pages]
    bilevel[0].save(path, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=bilevel[1:], compression="group4")


def save_jpeg(page: Image.Image, path: Path, quality: int = 80) -> None:
    page.convert("RGB").save(path, "JPEG", quality=quality)  # a phone photo: no dpi worth the name


def digital_pdf_bytes(text: str, title: str = "") -> bytes:
    """A born-digital PDF with a real text layer (reportlab, DejaVu so Indonesian text maps to Unicode)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(font_path())))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)  # invariant: same bytes every time
    c.setTitle(title)
    for lines in paginate(text, lines_per_page=52, width=88):
        y = A4[1] - 60
        c.setFont("DejaVuSerif", 10)
        for line in lines:
            c.drawString(60, y, line)
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


def char_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over the reference length, on whitespace-collapsed text (layout is not content)."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))
