"""What the OCR benchmarks share: pages of known text and what a scanner or a phone does to them.

Kept light (no pipeline import at the top): benchmarks that start OCR workers have this module imported
again in every worker.
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DPI = 200
LINES_PER_PAGE, LINE_WIDTH = 44, 68  # 44 lines of 11 pt fit an A4 page at 96, 200 and 300 dpi


def page_texts(count: int) -> list[str]:
    """One page per sample text in turn (most are short: about 900 characters, a third of a page)."""
    from pipeline.training import synth

    pages = []
    texts = sorted((ROOT / "samples" / "texts").glob("*.txt"))
    while len(pages) < count:
        for path in texts:
            for lines in synth.paginate(path.read_text(encoding="utf-8"), lines_per_page=LINES_PER_PAGE,
                                        width=LINE_WIDTH):
                pages.append("\n".join(lines))
    return pages[:count]


def full_page_texts(count: int) -> list[str]:
    """Full pages (44 lines, about 2,500 characters, as most pages of a regulation or a report): the sample
    texts one after another as one stream of lines, each page starting 37 lines after the one before."""
    from pipeline.training import synth

    stream: list[str] = []
    for path in sorted((ROOT / "samples" / "texts").glob("*.txt")):
        stream.extend(synth.wrap(path.read_text(encoding="utf-8"), LINE_WIDTH) + [""])
    pages = []
    for i in range(count):
        start = (i * 37) % len(stream)
        lines = (stream[start:] + stream)[:LINES_PER_PAGE]
        pages.append("\n".join(lines).strip("\n"))
    return pages


def damage(i: int, img, kind: str):
    """Page `i` as scanned: `clean` (a straight office scan, light noise), `skewed` (4-5 degrees off square),
    `upside-down`, `photo` (a phone photo: turned, blurred, darker at one side), or `damaged` (the last three
    in turn, by i)."""
    from pipeline.training import synth

    if kind == "clean":
        return synth.degrade(img, noise=6, blur=0.3, seed=i)
    if kind == "damaged":
        kind = ("skewed", "upside-down", "photo")[i % 3]
    if kind == "skewed":
        return synth.degrade(img, angle=4.5 if i % 2 else -4.0, noise=6, seed=i)
    if kind == "upside-down":
        return synth.degrade(img, noise=6, seed=i).rotate(180)
    if kind == "photo":
        return synth.degrade(img, angle=-4.0, noise=10, blur=0.6, shade=True, seed=i)
    raise ValueError(f"unknown page kind {kind!r}")


def stage_timer():
    """A stage runner for pipeline.process (`run_stage=`) and the dict it fills: each stage's seconds, added up
    when a stage runs more than once."""
    stages: dict[str, float] = {}

    def run_stage(name, fn, *args, **kwargs):
        t = time.monotonic()
        try:
            return fn(*args, **kwargs)
        finally:
            stages[name] = stages.get(name, 0.0) + time.monotonic() - t

    return run_stage, stages
