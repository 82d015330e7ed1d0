"""The second stage of the decision: what real documents taught about the first stage's readings.

The first stage (model.py) reads a document in three views with a model trained on the corpus of regulation
texts and titles, and a second text model (`real`) trained on real inbox documents reads it once more. This
stage turns those readings, the kind of document (SOP, maklumat, PKS, laporan, data table, letter: the title
block's own words, pipeline/describe/evidence.py) and the labelling guideline's two rules (guideline.py) into one
calibrated probability per criterion: a logistic regression over (document, criterion) pairs, whose weights are
shared by the ten criteria (the real documents are a few hundred; one weight per criterion and feature would
learn their accidents) and whose intercept and main slopes are per criterion (calibration).

Trained on real documents, out of fold and grouped by region (pipeline/training/stacking.py), so its weights
say how far each reading is to be trusted on a region the first stage never read; and on the corpus's annotated
rows read out of fold by the first stage (pipeline/training/corpus_rows.py), which carry the criteria that real
documents lack.
"""

from __future__ import annotations

from collections.abc import Sequence
import re
from dataclasses import dataclass

import numpy as np

from pipeline.criteria import IDS

# Kinds of document, in groups that a few hundred documents can teach: the describe stage's kind (its title
# block's own words, pipeline/describe/evidence.py KINDS labels) and, for kinds it does not name, the words a
# title block opens with. An unknown label falls to "none" until the model is retrained.
KIND_GROUPS = ("regulation", "procedure", "letter", "agreement", "plan", "budget", "report", "data", "form",
               "guide", "structure", "none")
_BY_LABEL = {"peraturan/keputusan": "regulation", "undang-undang": "regulation", "surat edaran": "regulation",
             "rancangan peraturan": "regulation", "SOP": "procedure", "surat": "letter",
             "surat/pengumuman": "letter", "undangan": "letter", "notulen": "letter", "berita acara": "letter",
             "daftar hadir": "letter", "perjanjian kerja sama": "agreement", "rencana": "plan",
             "perjanjian kinerja": "plan", "laporan kinerja": "plan", "anggaran": "budget", "inventaris": "budget",
             "laporan": "report", "data/capaian": "data", "daftar": "data", "daftar informasi publik": "data",
             "formulir": "form", "petunjuk/pedoman": "guide", "publikasi kegiatan": "guide"}
_BY_TITLE = (  # (group, how a title block of that kind opens), checked before the describe stage's label
    ("structure", re.compile(r"\b(struktur|bagan|susunan)\s+organisasi|\bsotk\b", re.I)),
    ("procedure", re.compile(r"^\W*(standar\s+pelayanan|maklumat|alur|mekanisme|prosedur|tata\s+cara)\b", re.I)),
    ("plan", re.compile(r"\b(indikator\s+kinerja|rencana\s+(kerja|strategis)|renstra|renja|perjanjian\s+kinerja)\b",
                        re.I)),
    ("budget", re.compile(r"\b(realisasi\s+anggaran|laporan\s+keuangan|pelaksanaan\s+anggaran)\b", re.I)),
)
# Kinds that are evidence for nothing, whatever right they mention: LABELLING.md's "a tax, budget ...,
# organisational-structure, civil-service pay or procedure document is none even if a right is mentioned in
# passing", with corpus/READING.md's convention that an agency's own plans and performance accountability are
# planning and budget documents. Among the real documents (corpus and dev set): 45 plans, one of them labelled
# evidence; 13 budgets and 14 organisation charts, none.
NONE_KINDS = ("plan", "budget", "structure")
CLIP = 8.0

# Feature groups, each switchable for the region-held-out ablation (`bukti eval --real`).
GROUPS = ("text", "opening", "title", "instrument", "real", "any", "kind", "kindx", "subjects", "veto", "others",
          "slopes")
# The groups the shipped second stage uses. Left out, region-held-out over 10 grouped folds (README): the opening
# view and the kind × view interactions, without which precision rose from 0.830 to 0.849 and false evidence
# fell from 24 to 20 of 388 documents, macro-F1 moving by 0.002.
SHIPPED_GROUPS = frozenset(GROUPS) - {"opening", "kindx"}


def kind_group(label: str, title: str) -> str:
    """The kind group of a document whose describe-stage kind is `label` and whose title block reads `title`."""
    for group, pattern in _BY_TITLE:
        if pattern.search(title):
            return group
    return _BY_LABEL.get(label, "none")


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
    # (n, 11): the real-document text model's probability per criterion and, last, that the document is evidence
    # for any criterion at all (what plans, budgets and organisation charts of every agency share); zeros when
    # the model has no real-document text model
    real: np.ndarray
    kinds: tuple[str, ...]  # kind_group of each document
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
    if "any" in groups:
        names += ["any"]
    if "subjects" in groups:
        names += ["named"]
    if "others" in groups:
        names += ["best_other"]
    if "kind" in groups:
        names += [f"kind={k}" for k in KIND_GROUPS]
    if "kindx" in groups:
        names += [f"kind={k}*best" for k in KIND_GROUPS]
    names += [f"bias={c}" for c in IDS]
    if "slopes" in groups:  # per-criterion slopes of the two main readings: calibration per criterion
        names += [f"text|{c}" for c in IDS] + [f"real|{c}" for c in IDS]
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
    lr = logit(r.real[:, :m])
    if "real" in groups:
        cols.append(lr)
    if "any" in groups:
        cols.append(logit(r.real[:, m:m + 1]) * np.ones((1, m)))
    if "subjects" in groups:
        cols.append(r.named.astype(float))
    if "others" in groups:
        best = np.maximum(np.maximum(lt, lo), ltt)
        # the strongest reading of any other criterion: a document squarely about one right is rarely another's
        top2 = np.sort(best, axis=1)[:, -2:] if m > 1 else np.zeros((n, 2))
        other = np.where(best >= top2[:, [1]], top2[:, [0]], top2[:, [1]]) if n else best
        cols.append(other)
    dense = [c.reshape(n * m, 1) for c in cols]
    index = {k: i for i, k in enumerate(KIND_GROUPS)}
    onehot = np.zeros((n, len(KIND_GROUPS)))
    for i, k in enumerate(r.kinds):
        onehot[i, index.get(k, index["none"])] = 1.0
    onehot = np.repeat(onehot, m, axis=0)
    if "kind" in groups:
        dense.append(onehot)
    if "kindx" in groups:  # how far the readings are trusted depends on the kind (a plan names its agency's right)
        best = np.maximum(np.maximum(lt, lo), np.maximum(ltt, lr if "real" in groups else -CLIP))
        dense.append(onehot * best.reshape(n * m, 1))
    eye = np.tile(np.eye(m), (n, 1))
    dense.append(eye)
    if "slopes" in groups:
        dense += [eye * lt.reshape(n * m, 1), eye * lr.reshape(n * m, 1)]
    return np.hstack(dense) if dense else np.zeros((n * m, 0))


@dataclass
class RealTextModel:
    """TF-IDF words and character n-grams of real documents' text, one logistic regression per criterion and one
    for "evidence for any criterion" (the last column)."""
    vectorizer: object
    estimators: list  # per criterion: a fitted estimator, or a float (the prior) where a fold has no positive

    def probabilities(self, normalized: Sequence[str]) -> np.ndarray:
        return self.predict(self.vectorizer.transform(list(normalized)))

    def predict(self, X) -> np.ndarray:
        cols = []
        for est in self.estimators:
            cols.append(np.full(X.shape[0], est) if isinstance(est, float) else est.predict_proba(X)[:, 1])
        return np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))


def ruled_none(r: Readings) -> np.ndarray:
    """(n,) documents the guideline's administrative rule makes evidence for nothing: a title block stating an
    administrative subject (guideline.py), or a kind of document in NONE_KINDS."""
    return r.vetoed | np.isin(np.array(r.kinds, dtype=object), NONE_KINDS)


@dataclass
class Stacker:
    """The fitted second stage: weights over `feature_names(groups)` and a bias."""
    coef: np.ndarray
    intercept: float
    groups: tuple[str, ...] = GROUPS

    def probabilities(self, r: Readings) -> np.ndarray:
        X = features(r, frozenset(self.groups))
        z = X @ self.coef + self.intercept
        p = (1.0 / (1.0 + np.exp(-z))).reshape(r.text.shape)
        if "veto" in self.groups:
            p[ruled_none(r)] = 0.0
        return p


def joined(a: Readings, b: Readings) -> Readings:
    """The readings of two sets of documents, one after the other."""
    return Readings(*(np.concatenate([x, y]) if isinstance(x, np.ndarray) else tuple(x) + tuple(y)
                      for x, y in zip((a.text, a.opening, a.title, a.has_title, a.instrument, a.real, a.kinds, a.named,
                                       a.vetoed),
                                      (b.text, b.opening, b.title, b.has_title, b.instrument, b.real, b.kinds, b.named,
                                       b.vetoed))))


def rows_of(r: Readings, keep: np.ndarray, real: np.ndarray | None = None) -> Readings:
    """The readings of some documents (`keep`: a boolean mask or indices), with other text-model readings when
    `real` is given (out-of-fold ones, in training)."""
    return Readings(r.text[keep], r.opening[keep], r.title[keep], r.has_title[keep], r.instrument[keep],
                    r.real[keep] if real is None else real, tuple(np.array(r.kinds, dtype=object)[keep]),
                    r.named[keep], r.vetoed[keep])


# Regularisation of the second stage, chosen region-held-out (README: 0.3 against 0.1 and 1).
STACK_C = 0.3


def fit_stacker(r: Readings, Y: np.ndarray, groups: frozenset[str] = SHIPPED_GROUPS, C: float = STACK_C,
                weights: np.ndarray | None = None) -> Stacker:
    """A logistic regression over every (document, criterion) pair. `weights`: one per document."""
    from sklearn.linear_model import LogisticRegression

    if "veto" in groups:  # what the rule decides is not learnt: the weights are for the other documents
        keep = ~ruled_none(r)
        r, Y = rows_of(r, keep), Y[keep]
        weights = None if weights is None else weights[keep]
    X = features(r, groups)
    y = Y.reshape(-1).astype(int)
    w = None if weights is None else np.repeat(weights, Y.shape[1])
    lr = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, class_weight="balanced")
    lr.fit(X, y, sample_weight=w)
    return Stacker(lr.coef_.ravel().astype(np.float64), float(lr.intercept_[0]),
                   tuple(g for g in GROUPS if g in groups))
