"""OCR of one page image: straighten it (orientation and skew), enlarge small print, then Tesseract.

Plain Tesseract reads a page a few degrees off square or upside down as garbage, so skew is measured and
corrected on every page (cheap: a projection profile on a thumbnail), and orientation is checked with
Tesseract's OSD only when the first reading looks poor or the text lines run up the page, so straight pages
pay nothing for it. Words under 16 px high (a 96 dpi scan, a phone picture of a whole page) are read again
enlarged; images many times taller than wide (infographics, long screenshots) are read in pieces cut between
lines. All calls for one page share a budget of TESSERACT_CALLS_PER_PAGE x timeout, the bound the worker pool
sets its page deadline by. Tesseract itself is called through pipeline/extract/engine.py: the library kept
loaded in the worker, or the command.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytesseract
from PIL import Image, ImageFilter

from pipeline.extract import engine
from pipeline.extract.raster import is_blank

log = logging.getLogger(__name__)

TesseractTimeout = engine.TesseractTimeout  # what read() raises past its time limit (a RuntimeError)

# Below this mean word confidence (or with too few words) a reading is suspect and orientation is checked.
SUSPECT_CONFIDENCE = 70.0
MIN_WORDS = 8
# Tesseract misreads words much under 16 px high (6 pt print at 96 dpi is 8 px: 28% of characters wrong; 4%
# when read at 2.6x). Such a page is read again enlarged to about 18 px, at most 3 times (beyond that JPEG blocks
# grow, not letters) and to at most 16 Mpx (an A4 page at 400 dpi); the better reading is kept. Tesseract is
# erratic between scales (a reading may drop a line's fragments at one scale and not the next), which is why
# the comparison, not the enlargement, has the last word. Pages read at 90+ confidence are left alone.
SMALL_WORD_PX, TARGET_WORD_PX, MAX_ENLARGE, MAX_ENLARGED_PIXELS = 16.0, 18.0, 3.0, 16_000_000
EXCELLENT_CONFIDENCE = 90.0
# Text lines running up the page (columns of ink sharper than rows by this factor): the page lies on its side,
# so OSD is asked even when the first reading looks fine (Tesseract reads sideways lines passably).
SIDEWAYS_RATIO = 1.5
# Taller than this many widths: read in pieces of at most TILE_RATIO widths, cut at the emptiest row.
TALL_RATIO, TILE_RATIO, MIN_TILE_PX = 3.0, 2.0, 2400
TESSERACT_MAX_SIDE = 32767  # Tesseract refuses larger images ("Image too large")
TESSERACT_CALLS_PER_PAGE = 3  # the page budget in timeouts; pipeline/extract/workers.py sets its deadline by the same


@dataclass
class Reading:
    text: str
    confidence: float | None  # mean word confidence, 0-100; None when no word was found
    words: int
    rotation: int = 0
    skew: float = 0.0
    scale: float = 1.0  # how much the page was enlarged before this reading
    word_height: float | None = None  # median height of the words found, in pixels of the image read

    @property
    def score(self) -> float:
        return (self.confidence or 0.0) * self.words


@dataclass
class _Budget:
    """The time one page may spend in Tesseract, shared by all its calls."""
    timeout: float
    ends: float = field(init=False)

    def __post_init__(self) -> None:
        self.ends = time.monotonic() + TESSERACT_CALLS_PER_PAGE * self.timeout

    def next_call(self) -> float:
        """Timeout for the next call; what is left of the page's budget, at most one call's timeout."""
        return max(0.01, min(self.timeout, self.ends - time.monotonic()))

    def allows_extra(self) -> bool:
        """Whether an optional call (enlarging, orientation) still fits: a full timeout must remain."""
        return self.ends - time.monotonic() >= self.timeout


def ensure_single_thread() -> None:
    # Debian's tesseract command is built with OpenMP; several processes each starting several threads on 2
    # cores is catastrophically slow. We parallelise over pages instead, one process per core. (The tesserocr
    # wheel's libtesseract has no OpenMP: one thread whatever this says.)
    os.environ["OMP_THREAD_LIMIT"] = "1"


class _Ink:
    """A page's ink (text white on black) on a thumbnail of at most 700 px, which the sideways check and the
    skew estimate both look at: made once per piece, with the row profile's sharpness at each angle kept, since
    both ask for it at the whole degrees from -5 to 5 (together about 0.01 s of CPU a page)."""

    def __init__(self, img: Image.Image) -> None:
        small = img.copy()
        small.thumbnail((700, 700), Image.Resampling.BOX)  # text lines stay resolvable; 1/5 of the pixels of a page
        self.image = small.point(lambda v: 255 if v < 140 else 0)
        self.enough = sum(self.image.histogram()[255:]) >= 100
        self._rows: dict[float, float] = {}

    def row_sharpness(self, angle: float) -> float:
        if angle not in self._rows:
            self._rows[angle] = _sharpness(self.image, angle)
        return self._rows[angle]


def _sharpness(picture: Image.Image, angle: float) -> float:
    """How sharply the rows of `picture` turned by `angle` alternate between ink and paper."""
    turned = picture.rotate(angle, resample=Image.Resampling.NEAREST) if angle else picture
    rows = np.asarray(turned, dtype=np.float32).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def estimate_skew(img: Image.Image, max_angle: float = 10.0, ink: _Ink | None = None) -> float:
    """Angle in degrees (counter-clockwise positive, as PIL's rotate) that makes text lines horizontal."""
    ink = ink or _Ink(img)
    if not ink.enough:
        return 0.0
    sharpness = ink.row_sharpness
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
    """One Tesseract reading (--psm 3) by the engine in use (pipeline/extract/engine.py); raises
    TesseractTimeout past `timeout` seconds."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    heights: list[int] = []
    for word in engine.current().words(img, languages, timeout, dpi):
        lines.setdefault(word.line, []).append(word.text)
        if word.confidence >= 0:
            confidences.append(word.confidence)
        if len(word.text) >= 2:
            heights.append(word.height)
    text_lines, previous = [], None
    for key, words in lines.items():
        if previous is not None and key[:2] != previous[:2]:
            text_lines.append("")  # blank line between paragraphs
        text_lines.append(" ".join(words))
        previous = key
    confidence = sum(confidences) / len(confidences) if confidences else None
    return Reading("\n".join(text_lines), confidence, len(confidences),
                   word_height=float(np.median(heights)) if heights else None)


def orientation(img: Image.Image, timeout: float) -> tuple[int, float]:
    """Tesseract OSD's clockwise turn that makes the page upright, and its confidence (1+ is sure); (0, 0.0)
    when OSD finds too few characters (a sparse page: nothing to turn)."""
    found = engine.current().osd(img, timeout)
    return found if found is not None else (0, 0.0)


def ocr_image(img: Image.Image, languages: str = "ind+eng", timeout: float = 180.0,
              dpi: float | None = None) -> Reading:
    """Read a greyscale page: even its light, cut it into pieces if it is very tall, and read each piece."""
    budget = _Budget(timeout)
    img = flatten_illumination(img)
    pieces = split_tall(img)
    if len(pieces) == 1:
        return _read_piece(img, languages, budget, dpi)
    readings = []
    for piece in pieces:
        if readings and budget.ends - time.monotonic() <= 1.0:
            break  # the page's time is spent: keep the pieces already read rather than fail the whole page
        if not is_blank(piece):
            readings.append(_read_piece(piece, languages, budget, dpi))
    return join_readings(readings)


def _read_piece(img: Image.Image, languages: str, budget: _Budget, dpi: float | None) -> Reading:
    """Deskew and OCR. If the reading is poor or the lines run up the page, fix orientation and read again; if
    the print is small, read again enlarged. Each extra reading is kept only if it reads better."""
    img, dpi = _fit_tesseract(img, dpi)
    ink = _Ink(img)
    sideways = looks_sideways(img, ink)  # judged before deskewing, which takes any lines for rows
    skew = estimate_skew(img, ink=ink)
    upright = straighten(img, skew)
    reading = read(upright, languages, budget.next_call(), dpi)
    reading.skew = skew
    poor = reading.words < MIN_WORDS or (reading.confidence or 0) < SUSPECT_CONFIDENCE
    if sideways or poor:
        upright, reading = _turn_if_needed(upright, dpi, reading, sideways, poor, languages, budget)
    return _enlarge_if_small(upright, dpi, reading, languages, budget)[1]


def _turn_if_needed(img: Image.Image, dpi: float | None, reading: Reading, sideways: bool, poor: bool,
                    languages: str, budget: _Budget) -> tuple[Image.Image, Reading]:
    """Read the page turned the way OSD says; when OSD is unsure (small or little text) but the lines run up
    the page, turned either way if the first reading was poor, else OSD's guess. The best reading wins."""
    if not budget.allows_extra():
        return img, reading
    rotation, confidence = orientation(img, budget.next_call())
    if rotation and confidence >= 1.0:
        turns = [rotation]
    elif sideways and poor:
        turns = [90, 270]
    elif sideways and rotation:
        turns = [rotation]
    else:
        return img, reading
    best_img, best = img, reading
    for turn in turns:
        if not budget.allows_extra():
            break
        turned = img.rotate(-turn, expand=True, fillcolor=255)
        skew2 = estimate_skew(turned)
        turned = straighten(turned, skew2)
        second = _optional_read(turned, languages, budget, dpi)
        if second is None:
            continue
        second.rotation, second.skew = turn, reading.skew + skew2
        turned, second = _enlarge_if_small(turned, dpi, second, languages, budget)  # small print turned too
        if better(second, best, languages):
            best_img, best = turned, second
    return best_img, best


def _enlarge_if_small(img: Image.Image, dpi: float | None, reading: Reading, languages: str, budget: _Budget
                      ) -> tuple[Image.Image, Reading]:
    """Small print (a 96 dpi scan, a phone picture of a page; judged by the words Tesseract found, so images
    with no resolution or a camera's 72 dpi are judged too): read again enlarged, keep the better reading."""
    height = reading.word_height
    if (height is None or height >= SMALL_WORD_PX or (reading.confidence or 0) >= EXCELLENT_CONFIDENCE
            or not budget.allows_extra()):
        return img, reading
    factor = min(TARGET_WORD_PX / height, MAX_ENLARGE, math.sqrt(MAX_ENLARGED_PIXELS / (img.width * img.height)))
    if factor < 1.25:
        return img, reading
    bigger = img.resize((round(img.width * factor), round(img.height * factor)), Image.Resampling.LANCZOS)
    second = _optional_read(bigger, languages, budget, dpi * factor if dpi else None)
    if second is None:
        return img, reading
    second.rotation, second.skew, second.scale = reading.rotation, reading.skew, factor
    return (bigger, second) if better(second, reading, languages) else (img, reading)


def better(new: Reading, old: Reading, languages: str) -> bool:
    """Whether a second reading of the same page beats the first. By dictionary words net of non-words when
    the page has words enough to tell (Tesseract is sometimes sure of a reading that drops half the words
    of a line); otherwise (figures, or no dictionary) by confidence x words."""
    from pipeline.extract.normalize import MIN_WORDS_TO_JUDGE, text_quality

    lexicon = tesseract_lexicon(languages)
    if len(lexicon):
        q_new, q_old = text_quality(new.text, lexicon), text_quality(old.text, lexicon)
        if max(q_new.words, q_old.words) >= MIN_WORDS_TO_JUDGE and q_new.net != q_old.net:
            return q_new.net > q_old.net
    return new.score > old.score


def _optional_read(img: Image.Image, languages: str, budget: _Budget, dpi: float | None) -> Reading | None:
    """A second reading that may only improve on the first: if it runs out of time, the first stands."""
    try:
        return read(img, languages, budget.next_call(), dpi)
    except RuntimeError as exc:  # TesseractTimeout (a RuntimeError), or the library giving up
        log.info("second reading abandoned: %s", exc)
        return None


def looks_sideways(img: Image.Image, ink: _Ink | None = None) -> bool:
    """Whether the text lines run up the page: the ink's column profile, at its best angle within a few
    degrees (a photo is rarely square), is sharper than its row profile at its best angle."""
    ink = ink or _Ink(img)
    if not ink.enough:
        return False
    rows = max(ink.row_sharpness(a) for a in range(-5, 6))
    sideways = ink.image.transpose(Image.Transpose.ROTATE_90)
    columns = max(_sharpness(sideways, a) for a in range(-5, 6))
    return columns > SIDEWAYS_RATIO * max(rows, 1.0)


def split_tall(img: Image.Image) -> list[Image.Image]:
    """Cut an image many times taller than wide (an infographic, a long phone screenshot) into pieces of a
    page's proportions, each cut at the emptiest row near its end so that no line of text is split. Tesseract
    refuses images over 32767 px, and it judges skew and orientation better on a page-sized piece."""
    w, h = img.size
    if h <= TALL_RATIO * w and h <= TESSERACT_MAX_SIDE:
        return [img]
    tile = min(max(int(TILE_RATIO * w), MIN_TILE_PX), TESSERACT_MAX_SIDE // 2)
    ink = (np.asarray(img) < 128).sum(axis=1)
    cuts, top = [0], 0
    while h - top > tile:
        window = ink[top + tile * 3 // 4: top + tile]  # cut in the last quarter of the piece
        # The emptiest row; among equally empty rows, the one farthest down (fewest pieces).
        cut = top + tile * 3 // 4 + int(len(window) - 1 - np.argmin(window[::-1]))
        cuts.append(cut)
        top = cut
    cuts.append(h)
    return [img.crop((0, a, w, b)) for a, b in zip(cuts, cuts[1:]) if b > a]


def join_readings(readings: list[Reading]) -> Reading:
    """One reading of a page read in pieces: texts in order, confidence weighted by words."""
    words = sum(r.words for r in readings)
    weighted = sum((r.confidence or 0.0) * r.words for r in readings)
    rotations = {r.rotation for r in readings}
    return Reading("\n\n".join(r.text for r in readings if r.text), weighted / words if words else None, words,
                   rotation=rotations.pop() if len(rotations) == 1 else 0,
                   skew=max((r.skew for r in readings), key=abs, default=0.0),
                   scale=max((r.scale for r in readings), default=1.0))


def _fit_tesseract(img: Image.Image, dpi: float | None) -> tuple[Image.Image, float | None]:
    """Scale down an image wider (or, unsplit, taller) than Tesseract accepts."""
    side = max(img.size)
    if side <= TESSERACT_MAX_SIDE:
        return img, dpi
    factor = TESSERACT_MAX_SIDE / side
    img = img.resize((max(1, int(img.width * factor)), max(1, int(img.height * factor))), Image.Resampling.LANCZOS)
    return img, (dpi * factor if dpi else None)


class Lexicon:
    """A word list as a sorted array of string hashes: 2 MB for the 230,000 words of ind+eng, where a set of
    Python strings takes 40 MB in every worker. Hashes are salted per process, so a lexicon is built where it
    is used and never pickled."""

    def __init__(self, words: Iterable[str]):
        self._hashes = np.unique(np.fromiter((hash(w.lower()) for w in words), dtype=np.int64))

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not len(self._hashes):
            return False
        h = hash(word.lower())
        i = int(np.searchsorted(self._hashes, h))
        return i < len(self._hashes) and int(self._hashes[i]) == h

    def __reduce__(self):
        raise TypeError("a Lexicon holds this process's string hashes; build it where it is used")


@functools.lru_cache(maxsize=4)
def tesseract_lexicon(languages: str) -> Lexicon:
    """The dictionaries inside the installed Tesseract language data (ind: 76,000 words, eng: 150,000 after
    folding case), unpacked with Tesseract's own tools in under a second. Nothing is downloaded; without the
    tools the lexicon is empty, and text layers are then taken as they are, as before."""
    words: list[str] = []
    try:
        tessdata = _tessdata_dir()
        with tempfile.TemporaryDirectory(prefix="bukti-dawg-") as tmp:
            for lang in languages.split("+"):
                words.extend(_dawg_words(tessdata / f"{lang}.traineddata", Path(tmp), lang))
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("no dictionary for judging text layers (%s); text layers are taken as they are", exc)
    return Lexicon(words)


_tessdata_dir = engine.tessdata_dir  # the one place that finds it (engine.py no longer imports this module)


def _dawg_words(traineddata: Path, tmp: Path, lang: str) -> list[str]:
    combine, dawg2wordlist = shutil.which("combine_tessdata"), shutil.which("dawg2wordlist")
    if not (combine and dawg2wordlist and traineddata.exists()):
        raise OSError(f"combine_tessdata, dawg2wordlist or {traineddata} missing")
    subprocess.run([combine, "-u", str(traineddata), str(tmp / f"{lang}.")], capture_output=True, check=True,
                   timeout=60)
    # LSTM models carry lstm-word-dawg; legacy-only ones word-dawg.
    for unicharset, dawg in (("lstm-unicharset", "lstm-word-dawg"), ("unicharset", "word-dawg")):
        if (tmp / f"{lang}.{dawg}").exists() and (tmp / f"{lang}.{unicharset}").exists():
            out = tmp / f"{lang}.words"
            subprocess.run([dawg2wordlist, str(tmp / f"{lang}.{unicharset}"), str(tmp / f"{lang}.{dawg}"),
                            str(out)], capture_output=True, check=True, timeout=60)
            return out.read_text(encoding="utf-8", errors="replace").split()
    return []
