"""The endorsement stage: stamps, signatures and e-signature QR codes on the pages of each evidence document.

Listed once, in pipeline/process.py's STAGES (part "look": it reads the archived pages, not the text); this module
gives it its work (`endorse_documents`) and its pending test (`has_work`). Marks are found by
pipeline/endorse/detect.py; what is stored and shown, by pipeline/endorse/store.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from pipeline.endorse.detect import Mark, detect_page
from pipeline.endorse.pages import page_images
from pipeline.endorse.store import EndorsementStore

log = logging.getLogger(__name__)

# Bump when detect.py or pages.py change what they find: every evidence document is looked at again.
DETECTOR_VERSION = "1"  # the version benchmarks/README.md measured

IMAGE_KINDS = {"jpeg", "png", "tiff", "bmp", "webp"}  # pipeline/intake/sniff.py's image kinds

Detector = Callable[[np.ndarray, float], Mapping[str, Mark]]  # (BGR page, dpi) -> marks; tests pass a fake


def archived(originals_dir: Path, sha256: str) -> Path:
    return originals_dir / sha256[:2] / sha256  # pipeline/intake/record.py's content-addressed archive


def endorse_documents(store: EndorsementStore, originals_dir: Path, detector: Detector | None = None,
                      max_pixels: int = 40_000_000) -> int:
    """Look at the chosen pages of every evidence document not yet looked at; returns how many documents."""
    detector = detector or detect_page  # looked up at call time: tests replace it with a fake
    todo = store.to_look_at(DETECTOR_VERSION)
    for sha, kind in todo:
        pages = []
        family = "pdf" if kind == "pdf" else "image" if kind in IMAGE_KINDS else None
        if family is not None:
            try:
                for number, image, dpi in page_images(archived(originals_dir, sha), family, max_pixels):
                    started = time.perf_counter()
                    marks = detector(image, dpi)
                    pages.append((number, marks, time.perf_counter() - started))
            except Exception as exc:  # noqa: BLE001 - a page that cannot be looked at counts as unmarked; the pass goes on
                log.warning("endorsement: %s could not be looked at (%s: %s)", sha[:12], type(exc).__name__, exc)
        store.store(sha, pages, DETECTOR_VERSION)
    return len(todo)


def has_work(store: EndorsementStore) -> bool:
    return bool(store.to_look_at(DETECTOR_VERSION))
