"""Learning from real documents, measured region-held-out.

The first stage (the corpus model) never sees a real document. On top of it, two things are learnt from real
documents: a text model of real inbox documents (`RealTextModel`) and the second stage (pipeline/classify/stack.py)
that weighs every reading. Both are cheap (a few hundred documents), so every figure can be honest:

- `heldout`: grouped folds over the regions (or one fold per region). For each fold, everything learnt from
  real documents (text model, second stage, thresholds) is learnt again from the other regions only, and the
  fold's regions are judged by it. Inside, the second stage is fitted on text-model readings that are
  themselves out of fold (grouped k-fold over the remaining regions), and the thresholds are chosen on the
  second stage's own out-of-fold answers: nothing of a held-out region reaches any choice.
- `fit_final`: the same steps on every real document, for the shipped model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.classify.stack import (SHIPPED_GROUPS, STACK_C, Readings, RealTextModel, Stacker, fit_stacker, joined,
                                     rows_of)
from pipeline.criteria import IDS

INNER_FOLDS = 5
THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


def make_real_vectorizer():
    """Word 1-2-grams only: character n-grams as well (as the first stage has) cost twice the time and did no
    better region-held-out (README)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                                  max_features=50_000, dtype=np.float32))])


def with_any(Y: np.ndarray) -> np.ndarray:
    """The labels and, as an eleventh column, whether the document is evidence for any criterion."""
    return np.hstack([Y, Y.any(axis=1, keepdims=True)]).astype(np.int8)


def _fit_estimators(X, Y: np.ndarray, weights: np.ndarray | None, C: float = 4.0) -> list:
    from sklearn.linear_model import LogisticRegression

    Y = with_any(Y)
    ests = []
    for j in range(Y.shape[1]):
        y = Y[:, j].astype(int)
        if y.min() == y.max():
            ests.append(float(y.mean()))
            continue
        ests.append(LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=1000,
                                       random_state=0).fit(X, y, sample_weight=weights))
    return ests


def group_folds(groups: Sequence[str], k: int, seed: int = 0) -> list[np.ndarray]:
    """Indices of k folds that never split a group: groups shuffled (seeded), then dealt so that the folds hold
    about the same number of documents."""
    rng = np.random.default_rng(seed)
    names = sorted(set(groups))
    rng.shuffle(names)
    size = {g: 0 for g in names}
    for g in groups:
        size[g] += 1
    folds: list[list[str]] = [[] for _ in range(min(k, len(names)))]
    load = [0] * len(folds)
    for g in sorted(names, key=lambda g: -size[g]):
        j = int(np.argmin(load))
        folds[j].append(g)
        load[j] += size[g]
    where = {g: j for j, gs in enumerate(folds) for g in gs}
    return [np.array([i for i, g in enumerate(groups) if where[g] == j]) for j in range(len(folds))]


def oof_real(X, Y: np.ndarray, groups: Sequence[str], k: int = INNER_FOLDS,
             weights: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold text-model probabilities, folds grouped by region. `X`: the documents' features from a
    vectorizer fitted on these documents (the vocabulary is unlabelled; the weights are learnt out of fold)."""
    out = np.zeros((Y.shape[0], Y.shape[1] + 1), dtype=np.float64)
    for held in group_folds(groups, k):
        train = np.setdiff1d(np.arange(len(groups)), held)
        model = RealTextModel(None, _fit_estimators(X[train], Y[train], None if weights is None else weights[train]))
        out[held] = model.predict(X[held])
    return out


# The F-measure the thresholds maximise. Below 1 it weighs precision more: evidence taken wrongly fills a cell
# nobody checks, while a document just below its threshold is listed first for review (the weak band), one
# click from counting.
BETA = 0.5


def choose_thresholds(probs: np.ndarray, Y: np.ndarray, per_criterion: bool) -> dict[str, float]:
    """Thresholds of best F-measure (BETA) on out-of-fold probabilities: one for all criteria (micro), or one
    per criterion where it has at least 8 positives (else the shared one): few positives make a lucky one."""
    b2 = BETA * BETA

    def best(p, y):
        f1 = []
        for t in THRESHOLD_GRID:
            pred = p >= t
            tp, fp, fn = (pred & y).sum(), (pred & ~y).sum(), (~pred & y).sum()
            f1.append((1 + b2) * tp / max(1, (1 + b2) * tp + fp + b2 * fn))
        f1 = np.array(f1)
        near = THRESHOLD_GRID[f1 >= f1.max() - 0.005]
        return float(np.round(np.median(near), 2))

    y = Y.astype(bool)
    shared = best(probs.ravel(), y.ravel())
    out = {}
    for j, c in enumerate(IDS):
        out[c] = best(probs[:, j], y[:, j]) if per_criterion and y[:, j].sum() >= 8 else shared
    return out


@dataclass
class Rows:
    """Labelled rows that are not real documents (the corpus's hand-annotated titles and texts, read out of fold
    by the first stage): the second stage also learns from them, so that a regulation title is judged as the
    corpus taught, but they are never held out nor choose a threshold."""
    readings: Readings
    normalized: list[str]
    Y: np.ndarray
    weight: float


@dataclass
class Learnt:
    text_model: RealTextModel
    stacker: Stacker
    thresholds: dict[str, float]


def fit_final(readings: Readings, normalized: Sequence[str], Y: np.ndarray, groups: Sequence[str],
              weights: np.ndarray | None = None, stack_groups: frozenset[str] = SHIPPED_GROUPS,
              per_criterion: bool = False, C: float = STACK_C, extra: Rows | None = None) -> Learnt:
    """Everything learnt from these real documents: text model, second stage, thresholds (grouped out of fold)."""
    vec = make_real_vectorizer()
    X = vec.fit_transform(list(normalized)).tocsr()
    text_model = RealTextModel(vec, _fit_estimators(X, Y, weights))
    r = rows_of(readings, np.arange(len(groups)), oof_real(X, Y, groups, weights=weights))
    w = np.ones(len(groups)) if weights is None else np.asarray(weights, dtype=np.float64)
    if extra is not None:  # the text model reads them as any new document (it never learnt from them)
        extra_r = rows_of(extra.readings, np.arange(len(extra.Y)), text_model.probabilities(extra.normalized))

    def stacker_on(idx: np.ndarray) -> Stacker:
        if extra is None:
            return fit_stacker(rows_of(r, idx), Y[idx], stack_groups, C, w[idx])
        return fit_stacker(joined(rows_of(r, idx), extra_r), np.vstack([Y[idx], extra.Y]), stack_groups, C,
                           np.concatenate([w[idx], np.full(len(extra.Y), extra.weight)]))

    # The second stage's own out-of-fold answers choose the thresholds.
    stack_oof = np.zeros(Y.shape)
    for held in group_folds(groups, INNER_FOLDS, seed=1):
        stack_oof[held] = stacker_on(np.setdiff1d(np.arange(len(groups)), held)).probabilities(rows_of(r, held))
    thresholds = choose_thresholds(stack_oof, Y, per_criterion)
    return Learnt(text_model, stacker_on(np.arange(len(groups))), thresholds)


def heldout(readings: Readings, normalized: Sequence[str], Y: np.ndarray, groups: Sequence[str],
            weights: np.ndarray | None = None, stack_groups: frozenset[str] = SHIPPED_GROUPS,
            per_criterion: bool = False, C: float = STACK_C, progress=None, folds: int = 10,
            extra: Rows | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Region-held-out: (probabilities, thresholds) of every document and criterion, each learnt without the
    document's region (decisions: probabilities >= thresholds). `folds` grouped folds (0: one per region)."""
    probs = np.zeros(Y.shape)
    limits = np.zeros(Y.shape)
    outer = group_folds(groups, folds or len(set(groups)), seed=2)
    for k, held in enumerate(outer, 1):
        train = np.setdiff1d(np.arange(len(groups)), held)
        g = ", ".join(sorted({groups[i] for i in held}))
        learnt = fit_final(rows_of(readings, train), [normalized[i] for i in train], Y[train],
                           [groups[i] for i in train], None if weights is None else weights[train],
                           stack_groups, per_criterion, C, extra)
        real = learnt.text_model.probabilities([normalized[i] for i in held])
        p = learnt.stacker.probabilities(rows_of(readings, held, real))
        probs[held] = p
        limits[held] = np.array([learnt.thresholds[c] for c in IDS])
        if progress:
            progress(f"fold {k}/{len(outer)} held out: {g}")
    return probs, limits
