"""A model of OCR noise for robustness tests: the confusions Tesseract makes on Indonesian scans."""

from __future__ import annotations

import random

# Letter shapes OCR confuses, both ways; multi-letter ones (rn/m, li/h) included.
CONFUSIONS = {
    "e": ["c"], "c": ["e"], "i": ["l", "1"], "l": ["1", "i", "I"], "o": ["0"], "O": ["0"], "0": ["O"],
    "a": ["o", "e"], "u": ["n"], "n": ["u", "ri"], "m": ["rn", "nn"], "h": ["b", "li"], "b": ["h"],
    "s": ["5"], "S": ["5"], "g": ["q", "9"], "t": ["f"], "f": ["t"], "r": ["t"], "k": ["lc"], "B": ["8"],
    "I": ["l", "1"], "E": ["F"], "G": ["C"], "D": ["O"],
}


def add_ocr_noise(text: str, rate: float = 0.04, seed: int = 0) -> str:
    """Misread about `rate` of the letters, drop and split some, and sprinkle the ^ and | marks of bad scans."""
    rng = random.Random(seed)
    out: list[str] = []
    for ch in text:
        r = rng.random()
        if r < rate and ch in CONFUSIONS:
            out.append(rng.choice(CONFUSIONS[ch]))
        elif r < rate * 1.25 and ch.isalpha():
            continue  # a faint letter lost
        elif r < rate * 1.5 and ch.isalpha():
            out.append(ch + " ")  # a word split in two
        elif r < rate * 1.6:
            out.append(ch + rng.choice("^|.,'"))
        else:
            out.append(ch)
    return "".join(out)
