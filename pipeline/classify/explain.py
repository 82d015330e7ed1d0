"""Why a document was read as evidence for a criterion: the words and sentences that pushed it there (the first
stage's word features: readable), its title block, the kind of document, and the guideline rule when one
named the subject. What a reviewer reads beside the confidence."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pipeline.classify.guideline import named_subjects
from pipeline.classify.textprep import normalize_many
from pipeline.classify.titleblock import TitleBlock, title_block
from pipeline.criteria import IDS


def pieces(text: str) -> list[str]:
    """The sentences (or lines) of a text's first 20,000 characters that an explanation may quote."""
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+|\n+", text[:20000]) if len(s.strip()) > 15]


def explainer(model, text: str, words=None, block: TitleBlock | None = None, kind: str | None = None):
    """`explain` for one text and any number of criteria: the text's word features, its sentences' word
    features and its title block are computed once, here (or taken from the model's views: `words` is the
    text's row of Views.words, `block` its title block), and each criterion costs two sparse products."""
    x = words if words is not None else model.word_grams.transform(normalize_many([text]))
    found = pieces(text)
    piece_x = model.word_grams.transform(normalize_many(found)) if found else None
    return _explain_fn(model, x, found, piece_x, block if block is not None else title_block(text), kind)


def explainers(model, texts: Sequence[str], views, which: Sequence[bool]) -> list:
    """`explainer` for each of `texts` where `which` says so (None elsewhere), the sentences of all of them
    read in one go: what stage 6 needs for a batch."""
    chosen = [i for i, wanted in enumerate(which) if wanted]
    found = {i: pieces(texts[i]) for i in chosen}
    flat = [p for i in chosen for p in found[i]]
    X = model.word_grams.transform(normalize_many(flat)) if flat else None
    from pipeline.classify.model import kind_of

    # The kind as the describe stage names it ("laporan"), as one document's explanation gives it; the second
    # stage reads its group ("report"), which a reviewer does not need.
    kinds = {i: kind_of(texts[i]) for i in chosen}
    out: list = [None] * len(texts)
    at = 0
    for i in chosen:
        n = len(found[i])
        out[i] = _explain_fn(model, views.words[i], found[i], X[at:at + n] if n else None, views.blocks[i],
                             kinds[i])
        at += n
    return out


def _explain_fn(model, x, found: list[str], piece_x, block: TitleBlock, kind: str | None):
    _, names = model.word_features
    named_all = named_subjects(block.subject) if block.source != "none" else {}

    def explain_one(criterion: str, terms: int = 5, sentences: int = 2) -> dict:
        j = IDS.index(criterion)
        coef = model.estimators[j].coef_.ravel()[:len(names)]
        contrib = x.multiply(coef).tocsr()
        order = np.argsort(-contrib.data)
        top_terms = [str(names[contrib.indices[k]]) for k in order[:terms] if contrib.data[k] > 0]
        if piece_x is not None:
            scores = piece_x @ coef
            best = [found[k] for k in np.argsort(-scores)[:sentences] if scores[k] > 0]
        else:
            best = []
        out = {"terms": top_terms, "sentences": [s[:300] for s in best], "title": block.text[:300]}
        if kind and kind != "none":
            out["kind"] = kind
        named = named_all.get(criterion)
        if named:
            out["rule"] = f"judul menyebut «{named}» (pedoman pelabelan) / the title names «{named}» (guideline)"
        return out

    return explain_one
