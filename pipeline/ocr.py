"""OCR of one page image: straighten it (orientation and skew), then Tesseract.

Plain Tesseract reads a page a few degrees off square or upside down as garbage, so skew is measured and
corrected on every page (cheap: a projection profile on a thumbnail), and orientation is checked with
Tesseract's OSD only when the first reading looks poor, so straight pages pay nothing for it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import numpy as np
import pytesseract
from PIL import Image, ImageFilter

# Below this mean word confidence (or with too few words) a reading is suspect and orientation is checked.
SUSPECT_CONFIDENCE = 70.0
MIN_WORDS = 8


@dataclass
class Reading:
    text: str
    confidence: float | None  # mean word confidence, 0-100; None when no word was found
    words: int
    rotation: int = 0
    skew: float = 0.0

    @property
    def score(self) -> float:
        return (self.confidence or 0.0) * self.words


def ensure_single_thread() -> None:
    # Tesseract is built with OpenMP; several processes each starting several threads on 2 cores is
    # catastrophically slow. We parallelise over pages instead, one process per core.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def estimate_skew(img: Image.Image, max_angle: float = 10.0) -> float:
    """Angle in degrees (counter-clockwise positive, as PIL's rotate) that makes text lines horizontal."""
    small = img.copy()
    small.thumbnail((700, 700), Image.Resampling.BOX)  # text lines stay resolvable; 1/5 of the pixels of a page
    ink = small.point(lambda v: 255 if v < 140 else 0)  # text becomes white on black
    if sum(ink.histogram()[255:]) < 100:
        return 0.0

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-max_angle, max_angle + 0.01, 1.0), key=sharpness)
    fine = max(np.arange(best - 1.0, best + 1.01, 0.1), key=sharpness)
    # A very small gain over 0 is noise (tables, ruled lines); leave such pages alone.
    return float(round(fine, 1)) if abs(fine) >= 0.3 and sharpness(fine) > 1.02 * sharpness(0.0) else 0.0


def flatten_illumination(img: Image.Image, spread: int = 30) -> Image.Image:
    """Even out a phone photo's light (one side darker): Tesseract binarises with one global threshold, which
    turns the dark side black. Pages whose paper is evenly lit (every scanner's) are returned unchanged."""
    small = img.resize((max(1, img.width // 16), max(1, img.height // 16)), Image.Resampling.BOX)
    paper = small.filter(ImageFilter.MaxFilter(7))  # local paper brightness: the brightest pixel around
    arr = np.asarray(paper, dtype=np.float32)
    if np.percentile(arr, 95) - np.percentile(arr, 5) < spread:
        return img
    background = paper.filter(ImageFilter.GaussianBlur(3)).resize(img.size, Image.Resampling.BILINEAR)
    page = np.asarray(img, dtype=np.float32)
    flat = page / np.maximum(np.asarray(background, dtype=np.float32), 1.0) * 255.0
    return Image.fromarray(flat.clip(0, 255).astype(np.uint8), "L")


def straighten(img: Image.Image, angle: float) -> Image.Image:
    return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255) if angle else img


def read(img: Image.Image, languages: str, timeout: float, dpi: float | None) -> Reading:
    config = "--psm 3" + (f" --dpi {int(round(dpi))}" if dpi else "")
    # Hand Tesseract an uncompressed file: pytesseract would write a PNG, and compressing a page costs a
    # third of the OCR time itself.
    with tempfile.NamedTemporaryFile(suffix=".bmp") as tmp:
        img.save(tmp.name, "BMP")
        data = pytesseract.image_to_data(tmp.name, lang=languages, config=config, timeout=timeout,
                                         output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        conf = float(data["conf"][i])
        if conf >= 0:
            confidences.append(conf)
    text_lines, previous = [], None
    for key, words in lines.items():
        if previous is not None and key[:2] != previous[:2]:
            text_lines.append("")  # blank line between paragraphs
        text_lines.append(" ".join(words))
        previous = key
    confidence = sum(confidences) / len(confidences) if confidences else None
    return Reading("\n".join(text_lines), confidence, len(confidences))


def detect_rotation(img: Image.Image, timeout: float) -> int:
    """Clockwise degrees the page must be turned to be upright, per Tesseract OSD; 0 when unsure."""
    try:
        with tempfile.NamedTemporaryFile(suffix=".bmp") as tmp:
            img.save(tmp.name, "BMP")
            osd = pytesseract.image_to_osd(tmp.name, config="--psm 0", timeout=timeout,
                                           output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:  # "Too few characters" on sparse pages: nothing to turn
        return 0
    if float(osd.get("orientation_conf", 0)) < 1.0:
        return 0
    return int(osd.get("rotate", 0)) % 360


def ocr_image(img: Image.Image, languages: str = "ind+eng", timeout: float = 180.0,
              dpi: float | None = None) -> Reading:
    """Read a greyscale page: deskew, OCR, and if the reading is poor, fix orientation and read again."""
    img = flatten_illumination(img)
    skew = estimate_skew(img)
    upright = straighten(img, skew)
    reading = read(upright, languages, timeout, dpi)
    reading.skew = skew
    if reading.words >= MIN_WORDS and (reading.confidence or 0) >= SUSPECT_CONFIDENCE:
        return reading
    rotation = detect_rotation(upright, timeout)
    if rotation:
        turned = upright.rotate(-rotation, expand=True, fillcolor=255)
        skew2 = estimate_skew(turned)
        second = read(straighten(turned, skew2), languages, timeout, dpi)
        second.rotation, second.skew = rotation, skew + skew2
        if second.score > reading.score:
            return second
    return reading
