"""Indonesian text normalisation for the classifier, with spaCy's Indonesian tokenizer.

The spaCy object lives here, never inside the saved model: the model sees plain normalised strings.

spaCy's tokenizer splits a text at whitespace first and then tokenizes each whitespace-free chunk on its own
(prefixes, suffixes, infixes, special cases; the six special cases that contain a space, "Dr. med" and the
like, give the same tokens as their parts). So a text's normalised form is the normalised forms of its chunks
in order, and a chunk's form is kept once computed (`_CHUNKS`): most chunks of an inbox ("Peraturan",
"Kabupaten", "tentang") recur in every document, and only chunks not seen before go through spaCy, all of a
batch in one call. Same output as tokenizing each text whole (checked on the corpus: tests/test_classifier.py
and benchmarks/classify_speed.py --check), about ten times faster.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

MAX_CHARS = 4000  # an evidence file's title and first page decide its subject
CHUNK_CACHE_MAX = 300_000  # chunks remembered (a few tens of MB); beyond that the cache starts afresh
SPACY_GROUP = 20_000  # unseen chunks tokenized per spaCy call

_NOISE = re.compile(r"[\^_|~`<>{}\[\]=*#\\]+")
_LETTER_RUN = re.compile(r"(.)\1{3,}")
_CHUNKS: dict[str, str] = {}  # whitespace-free chunk -> its normalised words joined by spaces ("" if none)


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("id")
    return nlp


def clean(text: str) -> str:
    text = _NOISE.sub(" ", text[:MAX_CHARS])
    return _LETTER_RUN.sub(r"\1\1", text)


def _tokenize_chunks(chunks: list[str]) -> dict[str, str]:
    """Normalise chunks with spaCy, one call per SPACY_GROUP chunks joined by single spaces."""
    nlp = _nlp()
    stop = nlp.Defaults.stop_words
    forms: dict[str, str] = {}
    for at in range(0, len(chunks), SPACY_GROUP):
        group = chunks[at:at + SPACY_GROUP]
        starts, pos = [], 0
        for chunk in group:
            starts.append(pos)
            pos += len(chunk) + 1
        words: list[list[str]] = [[] for _ in group]
        for tok in nlp.tokenizer(" ".join(group)):
            if not tok.is_alpha or len(tok) < 2:
                continue
            low = tok.lower_
            if low not in stop:
                words[bisect_right(starts, tok.idx) - 1].append(low)
        for chunk, found in zip(group, words):
            forms[chunk] = " ".join(found)
    return forms


def normalize_many(texts: list[str], batch_size: int = 256) -> list[str]:
    """Lower-cased word tokens without stop words, punctuation or numbers, joined by spaces."""
    if len(_CHUNKS) > CHUNK_CACHE_MAX:  # between calls only: a call never loses what it learnt
        _CHUNKS.clear()
    split = [clean(t).split() for t in texts]
    unseen = list(dict.fromkeys(c for chunks in split for c in chunks if c not in _CHUNKS))
    if unseen:
        _CHUNKS.update(_tokenize_chunks(unseen))
    get = _CHUNKS.get
    out = []
    for chunks in split:
        forms = [get(c) for c in chunks]
        if None in forms:  # another thread cleared the cache meanwhile
            mine = _tokenize_chunks(list(dict.fromkeys(chunks)))
            forms = [mine[c] for c in chunks]
        out.append(" ".join(f for f in forms if f))
    return out


def normalize_whole(texts: list[str], batch_size: int = 256) -> list[str]:
    """The reference: each text tokenized whole by spaCy (what normalize_many must equal; kept for tests)."""
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
