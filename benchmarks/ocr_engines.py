"""bukti's Tesseract engine in the OCR benchmarks: which one a bukti side runs, and where its time shows.

ocr_compare.py's side `bukti` runs the engine the environment picks (BUKTI_OCR_ENGINE, `auto` by default: tesserocr
kept loaded in each worker); `bukti-command` runs the same extraction with BUKTI_OCR_ENGINE=command (a `tesseract`
process per call, as before), so the pair shows what the engine alone buys. Light at import (only os): OCR
workers import the benchmark scripts again.
"""

from __future__ import annotations

import os

# side -> BUKTI_OCR_ENGINE for its run; None leaves the environment as it is.
BUKTI_SIDES = {"bukti": None, "bukti-command": "command"}


def use_engine(side: str) -> None:
    """Set BUKTI_OCR_ENGINE for this (child) process before bukti starts its workers, which inherit it."""
    value = BUKTI_SIDES[side]
    if value:
        os.environ["BUKTI_OCR_ENGINE"] = value


def describe(sides: list[str]) -> dict[str, str]:
    """Each bukti side's engine as people read it: 'tesserocr 2.13.0 (Tesseract 5.5.4)', 'tesseract 5.3.0
    (command)'. Chosen here as the side's child will choose it."""
    from pipeline.extract import engine

    saved = os.environ.get(engine.ENV)
    out = {}
    try:
        for side in (s for s in sides if s in BUKTI_SIDES):
            if BUKTI_SIDES[side]:
                os.environ[engine.ENV] = BUKTI_SIDES[side]
            elif saved is None:
                os.environ.pop(engine.ENV, None)
            else:
                os.environ[engine.ENV] = saved
            engine.reset()
            out[side] = engine.describe()
    finally:
        if saved is None:
            os.environ.pop(engine.ENV, None)
        else:
            os.environ[engine.ENV] = saved
        engine.reset()
    return out


def in_process_tesseract(stats: dict) -> float:
    """Seconds (wall, cumulative) spent in ocr.read and ocr.orientation, from cProfile's raw stats: Tesseract
    itself when the engine is the library (it runs in the process); with the command this is mostly waiting for
    the `tesseract` processes, whose CPU RUSAGE_CHILDREN counts apart."""
    total = 0.0
    for (filename, _, func), (_, _, _, cumulative, _) in stats.items():
        if func in ("read", "orientation") and filename.endswith(os.path.join("extract", "ocr.py")):
            total += cumulative
    return total


# ------------------------------------------------------------------------------ the engine's gain, split

def split_gain(set_dirs: list, languages: str = "ind+eng") -> dict:
    """CPU seconds per page of Tesseract alone on the same PNG pages, read in turn in this one process: the
    tesseract command (one process per page, what plain Tesseract and BUKTI_OCR_ENGINE=command pay), tesserocr
    with a fresh API per page (the newer libtesseract, the model loaded every time) and tesserocr with one API
    kept (what bukti's workers do). The first two differ by the library; the last two by keeping it loaded."""
    import json
    import subprocess
    import time

    from PIL import Image

    from pipeline.extract import engine
    from pipeline.extract.ocr import _tessdata_dir

    tessdata = str(_tessdata_dir())
    library = engine.LibraryEngine(_tessdata_dir())
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = {}
    for set_dir in set_dirs:
        dpi = json.loads((set_dir / "reference.json").read_text())["dpi"]
        pngs = sorted((set_dir / "png").glob("*.png"))
        images = [Image.open(p).convert("L") for p in pngs]

        def children() -> float:
            t = os.times()
            return t.children_user + t.children_system

        c = children()
        for png in pngs:
            subprocess.run(["tesseract", str(png), "stdout", "-l", languages, "--dpi", str(dpi)], env=env,
                           capture_output=True, check=True)
        command = (children() - c) / len(pngs)
        c = time.process_time()
        for img in images:
            api = library._tesserocr.PyTessBaseAPI(path=tessdata, lang=languages, psm=engine.PSM_AUTO)
            pixels = library._set_image(api, img, dpi)
            api.Recognize()
            api.GetUTF8Text()
            api.End()
            del pixels
        fresh = (time.process_time() - c) / len(images)
        library.words(images[0], languages, 600.0, dpi)  # load the kept API first
        c = time.process_time()
        for img in images:
            library.words(img, languages, 600.0, dpi)
        kept = (time.process_time() - c) / len(images)
        out[set_dir.name] = {"pages": len(pngs), "command": command, "fresh_api": fresh, "kept_api": kept}
    return out


def main() -> int:
    """`.venv/bin/python benchmarks/ocr_engines.py [SET_DIR ...]`: the split above on ocr_compare's clean sets."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    dirs = [Path(a) for a in sys.argv[1:]] or [root / "benchmarks" / "out" / "ocr-compare-v2-10x5" / name
                                               for name in ("200-straight", "300-straight")]
    missing = [d for d in dirs if not (d / "reference.json").exists()]
    if missing:
        raise SystemExit(f"no scans in {', '.join(map(str, missing))}: run benchmarks/ocr_compare.py once first")
    print(f"load average before {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    for name, r in split_gain(dirs).items():
        print(f"{name}: {r['pages']} pages, Tesseract CPU s/page: command {r['command']:.3f}, tesserocr with a "
              f"fresh API per page {r['fresh_api']:.3f}, with one API kept {r['kept_api']:.3f}", flush=True)
    print(f"load average after {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
