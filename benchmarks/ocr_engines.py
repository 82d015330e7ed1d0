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
