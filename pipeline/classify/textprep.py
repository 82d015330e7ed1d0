"""Indonesian text normalisation for the classifier, with spaCy's Indonesian tokenizer.

The spaCy object lives here, never inside the saved model: the model sees plain normalised strings.
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_CHARS = 4000  # an evidence file's title and first page decide its subject

_NOISE = re.compile(r"[\^_|~`<>{}\[\]=*#\\]+")
_LETTER_RUN = re.compile(r"(.)\1{3,}")


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("id")
    return nlp


def clean(text: str) -> str:
    text = _NOISE.sub(" ", text[:MAX_CHARS])
    return _LETTER_RUN.sub(r"\1\1", text)


def normalize_many(texts: list[str], batch_size: int = 256) -> list[str]:
    """Lower-cased word tokens without stop words, punctuation or numbers, joined by spaces."""
    nlp = _nlp()
    stop = nlp.Defaults.stop_words
    out = []
    for doc in nlp.tokenizer.pipe((clean(t) for t in texts), batch_size=batch_size):
        words = []
        for tok in doc:
            if not tok.is_alpha or len(tok) < 2:
                continue
            low = tok.lower_
            if low not in stop:
                words.append(low)
        out.append(" ".join(words))
    return out


def normalize(text: str) -> str:
    return normalize_many([text])[0]
