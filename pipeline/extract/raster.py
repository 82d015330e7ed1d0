"""Turn one page (of a PDF or an image file) into a bounded greyscale image for OCR.

Runs inside OCR worker processes: PDFium is not thread-safe, and a page that exhausts memory or crashes the
renderer then takes one worker down, not the run.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageOps

MIN_DPI, MAX_DPI = 150.0, 400.0


def limit_pixels(max_pixels: int) -> None:
    # Pillow raises DecompressionBombError above 2x this and warns above 1x; we check sizes ourselves first.
    Image.MAX_IMAGE_PIXELS = max_pixels


def choose_dpi(page_width_pt: float, page_height_pt: float, scan_dpi: float | None, default_dpi: float,
               max_pixels: int) -> float:
    """OCR at the scan's own resolution (re-rendering higher costs time and gains nothing), within bounds."""
    dpi = min(max(scan_dpi, MIN_DPI), MAX_DPI) if scan_dpi else default_dpi
    pixels = (page_width_pt / 72 * dpi) * (page_height_pt / 72 * dpi)
    if pixels > max_pixels:  # enormous pages are read at a reduced resolution, never at unbounded size
        dpi *= math.sqrt(max_pixels / pixels)
    return dpi


def render_pdf_page(path: Path, index: int, dpi: float) -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        try:
            # may_draw_forms=False: form widgets are not content; JavaScript is never run by PDFium rendering.
            bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=False)
            image = bitmap.to_pil().convert("L")
            bitmap.close()
        finally:
            page.close()
    finally:
        pdf.close()
    return image


def load_image_frame(path: Path, frame: int, max_pixels: int) -> tuple[Image.Image, float | None]:
    """Decode one frame of an image file, turned upright per EXIF and scaled down to at most max_pixels."""
    with Image.open(path) as img:
        if frame:
            img.seek(frame)
        w, h = img.size
        if w * h > max_pixels and img.format == "JPEG":
            img.draft("L", (int(w * math.sqrt(max_pixels / (w * h))) + 1, int(h * math.sqrt(max_pixels / (w * h))) + 1))
        dpi = _image_dpi(img)
        img = ImageOps.exif_transpose(img)  # phone photos store rotation in EXIF
        img = _flatten(img)
    w, h = img.size
    if w * h > max_pixels:
        factor = math.sqrt(max_pixels / (w * h))
        img = img.resize((max(1, int(w * factor)), max(1, int(h * factor))), Image.Resampling.LANCZOS)
        dpi = dpi * factor if dpi else None
    return img, dpi


def _image_dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    # Cameras write 72 dpi whatever the page size; such a value says nothing about the text size.
    return value if value and 100 <= value <= 1200 else None


def _flatten(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        background = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, img)
    if img.mode == "CMYK":
        img = img.convert("RGB")
    return img.convert("L")


def is_blank(img: Image.Image) -> bool:
    """A page with (almost) no dark pixels has nothing to read; skipping Tesseract saves its time.
    The bar is low on purpose: two small letters on an empty page must still be read. The page is reduced by
    keeping each block's darkest pixel, not its average: averaging dissolves thin strokes (a 96 dpi scan, a
    1080 x 6000 screenshot squeezed into a thumbnail) into light grey, and such pages were taken for blank."""
    import numpy as np

    arr = np.asarray(img.convert("L") if img.mode != "L" else img)
    block = max(1, math.ceil(math.sqrt(arr.size / 360_000)))  # about 600 x 600 blocks, as before
    h, w = (arr.shape[0] // block) * block, (arr.shape[1] // block) * block
    if h == 0 or w == 0:
        small = arr
    else:
        small = arr[:h, :w].reshape(h // block, block, w // block, block).min(axis=(1, 3))
    dark = int((small < 128).sum())
    return dark < 0.00005 * small.size + 10
