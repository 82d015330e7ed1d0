"""The Tesseract engine behind ocr.read() and ocr.orientation(): the library or the command.

- library (tesserocr): Tesseract inside the worker, its models loaded once and kept. One `PyTessBaseAPI` per
  (languages, page segmentation mode) per thread: an API is not thread-safe, and a Dask worker may run tasks in
  several threads (tesserocr releases the GIL while Tesseract works, so they do run at once). APIs are made on
  first use in the process that reads, never at import: the forkserver imports this module, and an API made
  there would be copied into every worker it forks. The tesserocr wheel bundles its own libtesseract (5.5.4
  without OpenMP), faster than Debian's 5.3.0 command on the same language data.
- command (pytesseract): a `tesseract` process per call, as bukti did before; the fallback when tesserocr
  cannot be imported or no tessdata folder is found.

BUKTI_OCR_ENGINE picks one: `auto` (the default: the library when it loads, else the command, said once in the
log), `library` or `command`. Both give ocr.read() the same words with the same (block, paragraph, line)
numbers: the library's come from Tesseract's own TSV renderer, which is what the command prints for pytesseract.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple, Protocol

from PIL import Image

log = logging.getLogger(__name__)

ENV = "BUKTI_OCR_ENGINE"
CHOICES = ("auto", "library", "command")
PSM_AUTO, PSM_OSD_ONLY = 3, 0  # Tesseract's page segmentation modes (tesserocr.PSM.AUTO, .OSD_ONLY)
MAX_APIS_PER_THREAD = 4  # (languages, psm) pairs kept loaded; a run uses two (its languages and osd)


class TesseractTimeout(RuntimeError):
    """A Tesseract call ran past its time limit. A RuntimeError, as pytesseract's timeout always was:
    ocr._optional_read abandons a second reading on it, and a first reading's timeout fails the page."""


class EngineUnavailable(RuntimeError):
    """The engine BUKTI_OCR_ENGINE asks for cannot be used here."""


class Word(NamedTuple):
    text: str
    confidence: float  # 0-100, -1 when Tesseract gives none
    height: int  # pixels
    line: tuple[int, int, int]  # (block, paragraph, line), numbered as Tesseract's TSV numbers them


class Engine(Protocol):
    name: str

    def words(self, img: Image.Image, languages: str, timeout: float, dpi: float | None) -> list[Word]:
        """The words of a page read with --psm 3; raises TesseractTimeout past `timeout` seconds."""
        ...

    def osd(self, img: Image.Image, timeout: float) -> tuple[int, float] | None:
        """Tesseract OSD's clockwise turn that makes the page upright and its confidence; None when OSD finds
        too few characters to tell."""
        ...

    def describe(self) -> str:
        ...


def source_resolution(img: Image.Image, dpi: float | None) -> int:
    """The resolution the command sees: `--dpi` when given, else the BMP header ocr.read() writes, which Pillow
    fills from the image's own dpi or 96."""
    if dpi:
        return int(round(dpi))
    try:
        return int(round(float(img.info.get("dpi", (96, 96))[0])))
    except (TypeError, ValueError, IndexError):
        return 96


# ------------------------------------------------------------------------------------------ the command

class CommandEngine:
    """pytesseract: one `tesseract` process per call, fed an uncompressed file."""
    name = "command"

    def __init__(self, why: str = "") -> None:
        self.why = why  # why auto fell back to it, for `bukti doctor`

    def words(self, img: Image.Image, languages: str, timeout: float, dpi: float | None) -> list[Word]:
        import pytesseract

        config = "--psm 3" + (f" --dpi {int(round(dpi))}" if dpi else "")
        # Hand Tesseract an uncompressed file: pytesseract would write a PNG, and compressing a page costs a
        # third of the OCR time itself.
        with tempfile.NamedTemporaryFile(suffix=".bmp") as tmp:
            img.save(tmp.name, "BMP")
            try:
                data = pytesseract.image_to_data(tmp.name, lang=languages, config=config, timeout=timeout,
                                                 output_type=pytesseract.Output.DICT)
            except RuntimeError as exc:
                raise _as_timeout(exc) from exc
        words = []
        for i, text in enumerate(data["text"]):
            text = (text or "").strip()
            if text:
                words.append(Word(text, float(data["conf"][i]), int(data["height"][i]),
                                  (data["block_num"][i], data["par_num"][i], data["line_num"][i])))
        return words

    def osd(self, img: Image.Image, timeout: float) -> tuple[int, float] | None:
        import pytesseract

        try:
            with tempfile.NamedTemporaryFile(suffix=".bmp") as tmp:
                img.save(tmp.name, "BMP")
                osd = pytesseract.image_to_osd(tmp.name, config="--psm 0", timeout=timeout,
                                               output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractError:  # "Too few characters" on sparse pages
            return None
        except RuntimeError as exc:
            raise _as_timeout(exc) from exc
        return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0))

    def describe(self) -> str:
        import pytesseract

        return f"tesseract {pytesseract.get_tesseract_version()} (command{'; ' + self.why if self.why else ''})"


def _as_timeout(exc: RuntimeError) -> RuntimeError:
    # pytesseract kills the process and raises a bare RuntimeError("Tesseract process timeout").
    if "timeout" in str(exc).lower() and not isinstance(exc, TesseractTimeout):
        return TesseractTimeout(str(exc))
    return exc


# ------------------------------------------------------------------------------------------ the library

class LibraryEngine:
    """tesserocr: Tesseract in this process, one loaded API per (languages, psm) per thread."""
    name = "library"

    def __init__(self, tessdata: Path) -> None:
        import tesserocr  # ImportError here is auto's cue to fall back to the command

        self._tesserocr = tesserocr
        self.tessdata = str(tessdata)
        self._local = threading.local()

    def api(self, languages: str, psm: int):
        """This thread's API for (languages, psm), loaded on first use and kept."""
        state = self._local
        if getattr(state, "pid", None) != os.getpid():
            # Fresh thread, or a process forked from one that had APIs: the inherited copies belong to the
            # parent's threads, so start afresh (dropping them frees only this process's copy).
            state.pid, state.apis = os.getpid(), {}
        key = (languages, psm)
        api = state.apis.get(key)
        if api is None:
            if len(state.apis) >= MAX_APIS_PER_THREAD:
                state.apis.pop(next(iter(state.apis))).End()
            # Loading ind+eng takes about 0.07 s of CPU and 40-60 MB, once per worker thread.
            api = self._tesserocr.PyTessBaseAPI(path=self.tessdata, lang=languages, psm=psm)
            state.apis[key] = api
        return api

    def _set_image(self, api, img: Image.Image, resolution: int) -> bytes:
        grey = img if img.mode == "L" else img.convert("L")
        # Raw 8-bit pixels: SetImage(pil) would encode the page first (0.013 s against 0.002 s a page).
        pixels = grey.tobytes()
        api.SetImageBytes(pixels, grey.width, grey.height, 1, grey.width)
        api.SetSourceResolution(resolution)  # after SetImage, which resets it; as the command's --dpi
        return pixels  # Tesseract does not copy the buffer: the caller holds it until Tesseract is done

    def words(self, img: Image.Image, languages: str, timeout: float, dpi: float | None) -> list[Word]:
        api = self.api(languages, PSM_AUTO)
        pixels = self._set_image(api, img, source_resolution(img, dpi))
        started = time.monotonic()
        # Tesseract checks its deadline between words, so it stops a little late (layout analysis cannot be
        # interrupted: about 0.2 s on a full page); 0 would mean no deadline.
        done = api.Recognize(timeout=max(1, int(timeout * 1000)))
        elapsed = time.monotonic() - started
        if not done:
            api.Clear()
            if elapsed >= timeout:
                raise TesseractTimeout(f"Tesseract timeout: stopped after {elapsed:.2f} s (limit {timeout:g} s)")
            raise RuntimeError("Tesseract could not read the image")
        tsv = api.GetTSVText(0)
        del pixels
        return parse_tsv(tsv)

    def osd(self, img: Image.Image, timeout: float) -> tuple[int, float] | None:
        # OSD takes no deadline: it looks at a bounded number of characters (about 0.2 s on a full page), and
        # the page's budget (ocr._Budget) allows it only when a whole timeout is left.
        api = self.api("osd", PSM_OSD_ONLY)
        pixels = self._set_image(api, img, source_resolution(img, None))
        result = api.DetectOrientationScript()  # None: too few characters (the command's TesseractError)
        del pixels
        if not result:
            return None
        # tesserocr says how far the page is turned clockwise; the command's "rotate" is the turn that undoes it.
        return (360 - int(result["orient_deg"])) % 360, float(result["orient_conf"])

    def load(self, languages: str) -> None:
        """Load `languages` and osd once, as a pass would, and let them go (for `bukti doctor`): raises
        RuntimeError when Tesseract refuses them."""
        for lang, psm in ((languages, PSM_AUTO), ("osd", PSM_OSD_ONLY)):
            self._tesserocr.PyTessBaseAPI(path=self.tessdata, lang=lang, psm=psm).End()

    def describe(self) -> str:
        version = self._tesserocr.tesseract_version().split()[1]  # "tesseract 5.5.4\n leptonica-1.87.0 ..."
        return f"tesserocr {self._tesserocr.__version__} (Tesseract {version})"


def parse_tsv(tsv: str) -> list[Word]:
    """Word rows (level 5) of Tesseract's TSV, as pytesseract.image_to_data reads the command's."""
    words = []
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if text:
            words.append(Word(text, float(cols[10]), int(cols[9]), (int(cols[2]), int(cols[3]), int(cols[4]))))
    return words


# ----------------------------------------------------------------------------------------- which engine

def choice() -> str:
    # Through Settings, the one reader of configuration (BUKTI_OCR_ENGINE or the config file); asked each
    # time, since a test or a worker may change it, and cheap next to a page.
    from pipeline.config import load_settings

    return load_settings().ocr_engine.strip().lower() or "auto"


def tessdata_dir() -> Path:
    """Tesseract's language data: Settings.tessdata_prefix (TESSDATA_PREFIX), else the folder the tesseract
    command names."""
    from pipeline.config import load_settings

    prefix = load_settings().tessdata_prefix
    if prefix:
        return Path(prefix)
    import re

    import pytesseract

    out = subprocess.run([pytesseract.pytesseract.tesseract_cmd, "--list-langs"], capture_output=True, text=True,
                         timeout=30)
    found = re.search(r'"([^"]+)"', out.stdout + out.stderr)  # List of available languages in "/usr/.../" (3):
    if not found:
        raise OSError("tesseract --list-langs names no tessdata folder")
    return Path(found.group(1))


def current() -> Engine:
    """The engine BUKTI_OCR_ENGINE picks, made once per process and choice."""
    return _engine(choice())


@functools.lru_cache(maxsize=None)
def _engine(wanted: str) -> Engine:
    if wanted == "command":
        return CommandEngine()
    try:
        engine = _library()
    except EngineUnavailable as exc:
        if wanted == "library":
            raise
        log.info("OCR engine: the tesseract command (%s)", exc)
        return CommandEngine(why=str(exc))
    if wanted == "auto":
        log.info("OCR engine: tesserocr in this process, tessdata %s", engine.tessdata)
    return engine


def _library() -> LibraryEngine:
    try:
        tessdata = tessdata_dir()
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineUnavailable(f"no tessdata folder for tesserocr: {exc}; set TESSDATA_PREFIX") from exc
    if not tessdata.is_dir():
        raise EngineUnavailable(f"tessdata folder {tessdata} does not exist; set TESSDATA_PREFIX")
    try:
        return LibraryEngine(tessdata)
    except ImportError as exc:
        raise EngineUnavailable(f"tesserocr cannot be imported ({exc})") from exc


def describe() -> str:
    """The engine in use, for people: 'tesserocr 2.13.0 (Tesseract 5.5.4)' or 'tesseract 5.3.0 (command)'."""
    return current().describe()


def reset() -> None:
    """Forget the engines made so far (tests that change BUKTI_OCR_ENGINE or TESSDATA_PREFIX)."""
    _engine.cache_clear()
