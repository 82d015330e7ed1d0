"""The second stage of the decision: what real documents taught about the first stage's readings.

The first stage (model.py) reads a document in three views with a model trained on the corpus of regulation
texts and titles, and a second text model (`real`) trained on real inbox documents reads it once more. This
stage turns those readings, the kind of document (SOP, maklumat, PKS, laporan, data table, letter: the title
block's own words, pipeline/describe/evidence.py) and the labelling guideline's two rules (guideline.py) into one
calibrated probability per criterion: a logistic regression over (document, criterion) pairs, whose weights are
shared by the ten criteria (the real documents are a few hundred; one weight per criterion and feature would
learn their accidents) and whose intercept and main slopes are per criterion (calibration).

Trained on real documents only, out of fold and grouped by region (pipeline/training/stacking.py), so its
weights say how far each reading is to be trusted on a region the first stage never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.criteria import IDS

# The describe stage's kinds of document (pipeline/describe/evidence.py KINDS labels), and "none" when the
# title block names none. An unknown label (a kind added later) falls to "none" until the model is retrained.
KINDS = ("rancangan peraturan", "peraturan/keputusan", "surat edaran", "undang-undang", "SOP", "laporan kinerja",
         "laporan", "notulen", "berita acara", "daftar hadir", "daftar informasi publik", "undangan", "surat",
         "surat/pengumuman", "perjanjian kinerja", "perjanjian kerja sama", "anggaran", "rencana",
         "petunjuk/pedoman", "formulir", "publikasi kegiatan", "inventaris", "data/capaian", "daftar", "none")
CLIP = 8.0

# Feature groups, each switchable for the region-held-out ablation (`bukti eval --real`).
GROUPS = ("text", "opening", "title", "instrument", "real", "kind", "subjects", "veto", "others")


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.clip(np.log(p / (1 - p)), -CLIP, CLIP)


@dataclass(frozen=True)
class Readings:
    """Everything the second stage reads of a batch of documents: (n, 10) probabilities per view, per document
    whether its title block is a regulation's "TENTANG", its kind, and the guideline's flags."""
    text: np.ndarray
    opening: np.ndarray
    title: np.ndarray
    has_title: np.ndarray  # (n,) bool
    instrument: np.ndarray  # (n,) bool
    real: np.ndarray  # (n, 10), zeros when the model has no real-document text model
    kinds: tuple[str, ...]
    named: np.ndarray  # (n, 10) bool: the title names a subject LABELLING.md lists for the criterion
    vetoed: np.ndarray  # (n,) bool: the title states an administrative subject


def feature_names(groups: frozenset[str] = frozenset(GROUPS)) -> list[str]:
    names = []
    if "text" in groups:
        names += ["text"]
    if "opening" in groups:
        names += ["opening"]
    if "title" in groups:
        names += ["title", "has_title"]
    if "instrument" in groups:
        names += ["instrument", "instrument*title", "instrument*text"]
    if "real" in groups:
        names += ["real"]
    if "subjects" in groups:
        names += ["named"]
    if "veto" in groups:
        names += ["veto"]
    if "others" in groups:
        names += ["best_other"]
    if "kind" in groups:
        names += [f"kind={k}" for k in KINDS]
    names += [f"bias={c}" for c in IDS]
    # Per-criterion slopes of the two main readings: calibration per criterion.
    if "text" in groups:
        names += [f"text|{c}" for c in IDS]
    if "real" in groups:
        names += [f"real|{c}" for c in IDS]
    return names


def features(r: Readings, groups: frozenset[str] = frozenset(GROUPS)) -> np.ndarray:
    """(n * 10, features): one row per (document, criterion), document-major."""
    n, m = r.text.shape
    lt, lo = logit(r.text), logit(r.opening)
    ltt = np.where(r.has_title[:, None], logit(r.title), 0.0)
    inst = r.instrument[:, None].astype(float) * np.ones((1, m))
    cols = []
    if "text" in groups:
        cols.append(lt)
    if "opening" in groups:
        cols.append(lo)
    if "title" in groups:
        cols += [ltt, r.has_title[:, None].astype(float) * np.ones((1, m))]
    if "instrument" in groups:
        cols += [inst, inst * ltt, inst * lt]
    if "real" in groups:
        cols.append(logit(r.real))
    if "subjects" in groups:
        cols.append(r.named.astype(float))
    if "veto" in groups:
        cols.append(r.vetoed[:, None].astype(float) * np.ones((1, m)))
    if "others" in groups:
        best = np.maximum(np.maximum(lt, lo), ltt)
        # the strongest reading of any other criterion: a document squarely about one right is rarely another's
        top2 = np.sort(best, axis=1)[:, -2:] if m > 1 else np.zeros((n, 2))
        other = np.where(best >= top2[:, [1]], top2[:, [0]], top2[:, [1]]) if n else best
        cols.append(other)
    dense = [c.reshape(n * m, 1) for c in cols]
    if "kind" in groups:
        index = {k: i for i, k in enumerate(KINDS)}
        onehot = np.zeros((n, len(KINDS)))
        for i, k in enumerate(r.kinds):
            onehot[i, index.get(k, index["none"])] = 1.0
        dense.append(np.repeat(onehot, m, axis=0))
    eye = np.tile(np.eye(m), (n, 1))
    dense.append(eye)
    if "text" in groups:
        dense.append(eye * lt.reshape(n * m, 1))
    if "real" in groups:
        dense.append(eye * logit(r.real).reshape(n * m, 1))
    return np.hstack(dense) if dense else np.zeros((n * m, 0))


@dataclass
class RealTextModel:
    """TF-IDF words and character n-grams of real documents' text, one logistic regression per criterion."""
    vectorizer: object
    estimators: list  # per criterion: a fitted estimator, or a float (the prior) where a fold has no positive

    def probabilities(self, normalized: Sequence[str]) -> np.ndarray:
        return self.predict(self.vectorizer.transform(list(normalized)))

    def predict(self, X) -> np.ndarray:
        cols = []
        for est in self.estimators:
            cols.append(np.full(X.shape[0], est) if isinstance(est, float) else est.predict_proba(X)[:, 1])
        return np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))


@dataclass
class Stacker:
    """The fitted second stage: weights over `feature_names(groups)` and a bias."""
    coef: np.ndarray
    intercept: float
    groups: tuple[str, ...] = GROUPS

    def probabilities(self, r: Readings) -> np.ndarray:
        X = features(r, frozenset(self.groups))
        z = X @ self.coef + self.intercept
        return (1.0 / (1.0 + np.exp(-z))).reshape(r.text.shape)


def fit_stacker(r: Readings, Y: np.ndarray, groups: frozenset[str] = frozenset(GROUPS), C: float = 1.0,
                weights: np.ndarray | None = None) -> Stacker:
    """A logistic regression over every (document, criterion) pair. `weights`: one per document."""
    from sklearn.linear_model import LogisticRegression

    X = features(r, groups)
    y = Y.reshape(-1).astype(int)
    w = None if weights is None else np.repeat(weights, Y.shape[1])
    lr = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, class_weight="balanced")
    lr.fit(X, y, sample_weight=w)
    return Stacker(lr.coef_.ravel().astype(np.float64), float(lr.intercept_[0]),
                   tuple(g for g in GROUPS if g in groups))
