"""Which judgement a stored classification is: the model's version and the decision rules' code.

A document is reclassified when its stored classification was made by another model, and also when the rules
that decide with the model's probabilities changed (a guideline subject added, the title block read
differently): those rules are code, not part of the model file, and a deployment upgraded to new rules must not
keep last month's judgements until the next retraining. Reclassifying costs no OCR (about 460 documents a
second from stored text), so any change to these files is taken as a change of rules, comments included.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

# The code between the model's probabilities and the stored decision.
RULE_FILES = ("model.py", "stack.py", "guideline.py", "titleblock.py", "textprep.py", "ngrams.py",
              # the kind of document the second stage reads comes from the describe stage's title-block rules
              "../describe/evidence.py", "../describe/opening.py")


@functools.lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in RULE_FILES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return digest.hexdigest()[:8]


def judgement_version(model) -> str:
    """What classifications are stored under: "criteria-22951cf2c906+r1a2b3c4d" (at most 64 characters)."""
    return f"{model.version}+r{rules_fingerprint()}"[:64]
