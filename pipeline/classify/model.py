"""The criteria classifier, in two stages.

First stage: TF-IDF words and character n-grams, one logistic regression per criterion, trained on the corpus
of national regulation texts and 48,000 regional regulation titles. It reads a document in three views: its
whole (first pages of) text, its opening (the first HEAD_TOKENS words) and its title block
(pipeline/classify/titleblock.py: the subject after "TENTANG", "Perihal", or the heading under the letterhead).

Second stage (pipeline/classify/stack.py), learnt from real inbox documents: a text model of such documents
and one calibrated probability per criterion from every reading, the kind of document, and the labelling
guideline's two rules (pipeline/classify/guideline.py). Each criterion has its threshold, chosen on
region-held-out folds of the real documents (pipeline/training/stacking.py).

A model without a second stage (built before it existed, or trained without real documents) decides with the
first stage's rule, `combine_first_stage`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pipeline.classify import explain
from pipeline.classify.guideline import named_subjects, none_subject
from pipeline.classify.ngrams import CharGrams, WordGrams
from pipeline.classify.stack import Readings, RealTextModel, Stacker, kind_group
from pipeline.classify.textprep import normalize_many
from pipeline.classify.titleblock import TitleBlock, title_block
from pipeline.criteria import IDS

HEAD_TOKENS = 60
MODEL_NAME = "criteria"


def make_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000,
                                 dtype=np.float32)),
        # Character n-grams within words survive OCR's misread letters where whole words do not.
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True,
                                 max_features=300_000, dtype=np.float32)),
    ])


def make_estimator(C: float = 4.0):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0)


def head(normalized: str) -> str:
    return " ".join(normalized.split()[:HEAD_TOKENS])


def kind_of(text: str) -> str:
    """The kind of document its title block names (pipeline/describe/evidence.py), or "none"."""
    from pipeline.describe.evidence import find_kind
    from pipeline.describe.opening import opening

    found = find_kind(opening(text).lines)
    return found[0].label if found else "none"


@dataclass(frozen=True)
class Views:
    """Per-view probabilities of a batch of documents, (n, 10) each, and what the title block said."""
    text: np.ndarray
    opening: np.ndarray
    title: np.ndarray
    blocks: list[TitleBlock]
    # The text view's word features (n, word terms), kept so that explaining a document does not read it again.
    words: object = None
    readings: Readings | None = None  # what the second stage reads (None for a first-stage-only reading)


@dataclass
class CriteriaModel:
    vectorizer: object
    estimators: list  # one fitted LogisticRegression per criterion, in IDS order
    thresholds: dict[str, float]
    card: dict = field(default_factory=dict)
    real_model: RealTextModel | None = None  # the second stage's text model of real documents
    stacker: Stacker | None = None  # the second stage

    @property
    def version(self) -> str:
        return self.card.get("version", "unsaved")

    @property
    def first_stage_thresholds(self) -> dict[str, float]:
        """The first stage's own thresholds (corpus cross-validation), for its rule."""
        return {k: float(v) for k, v in self.card.get("first_stage_thresholds", self.thresholds).items()}

    def _vectorizers(self):
        parts = dict(self.vectorizer.transformer_list)
        return parts["word"], parts["char"]

    def _features(self, normalized: Sequence[str]):
        """(word features, word and char features), as the FeatureUnion's transform stacks them."""
        from scipy import sparse

        words = self.word_grams.transform(normalized)
        return words, sparse.hstack([words, self._char_grams.transform(normalized)]).tocsr()

    @functools.cached_property
    def _char_grams(self) -> CharGrams:
        return CharGrams(self._vectorizers()[1])

    @functools.cached_property
    def word_grams(self) -> WordGrams:
        return WordGrams(self._vectorizers()[0])

    @functools.cached_property
    def word_features(self):
        """The word vectorizer and its feature names, built once: get_feature_names_out makes an array of every
        term (200,000), which per explanation cost more than the explanation itself."""
        word_vec = dict(self.vectorizer.transformer_list)["word"]
        return word_vec, word_vec.get_feature_names_out()

    @functools.cached_property
    def _linear(self) -> tuple[np.ndarray, np.ndarray] | None:
        """All criteria's coefficients as one (features, 10) matrix and their intercepts, when every estimator
        is a binary linear model (as trained): one sparse product instead of ten predict_proba calls."""
        if not all(getattr(e, "coef_", np.empty((2, 0))).shape[0] == 1 and len(e.classes_) == 2
                   for e in self.estimators):
            return None
        return (np.column_stack([e.coef_.ravel() for e in self.estimators]),
                np.array([e.intercept_[0] for e in self.estimators]))

    def _proba(self, X) -> np.ndarray:
        """P(criterion) per document: predict_proba's own arithmetic (liblinear's one-vs-rest, binary: the
        logistic of X·coef + intercept, the sparse product summed in the same order), for all ten at once."""
        if self._linear is None:
            return np.column_stack([e.predict_proba(X)[:, 1] for e in self.estimators])
        from scipy.special import expit
        from sklearn.utils.extmath import safe_sparse_dot

        coef, intercept = self._linear
        return expit(safe_sparse_dot(X, coef, dense_output=True) + intercept)

    def _predict(self, normalized: Sequence[str]) -> np.ndarray:
        return self._proba(self._features(list(normalized))[1])

    def views(self, texts: Sequence[str]) -> Views:
        texts = list(texts)
        blocks = [title_block(t) for t in texts]
        normalized = normalize_many(texts)
        titles = normalize_many([b.core for b in blocks])
        p_title = self._predict(titles) * np.array([[bool(t)] for t in titles])
        words, X = self._features(normalized)
        text, opening = self._proba(X), self._predict([head(t) for t in normalized])
        real = (self.real_model.probabilities(normalized) if self.real_model is not None
                else np.zeros((len(texts), len(IDS) + 1)))
        readings = Readings(
            text, opening, p_title, np.array([bool(t) for t in titles], dtype=bool),
            np.array([b.source == "tentang" for b in blocks], dtype=bool), real,
            tuple(kind_group(kind_of(t), b.text) for t, b in zip(texts, blocks)),
            np.array([[c in (named_subjects(b.subject) if b.source != "none" else {}) for c in IDS]
                      for b in blocks], dtype=bool).reshape(-1, len(IDS)),
            np.array([bool(none_subject(b.subject)) for b in blocks], dtype=bool))
        return Views(text, opening, p_title, blocks, words, readings)

    def combine(self, views: Views) -> np.ndarray:
        """One confidence per document and criterion, on the scale of `thresholds`."""
        if self.stacker is None or views.readings is None:
            return self.combine_first_stage(views)
        return self.stacker.probabilities(views.readings)

    def combine_first_stage(self, views: Views, title_view: bool = True, instruments_by_title: bool = True,
                            guideline_subjects: bool = True, guideline_veto: bool = True) -> np.ndarray:
        """The first stage's own rule, on the scale of `first_stage_thresholds`: a regulation or decree judged by
        its title alone (its body cites other laws), other documents by their most confident view; a title
        naming a guideline subject reaches the threshold, one stating an administrative subject is none. The
        switches let `bukti eval --real` show what each part adds."""
        threshold = np.array([self.first_stage_thresholds[c] for c in IDS])
        title = views.title if title_view else np.zeros_like(views.title)
        combined = np.maximum(np.maximum(views.text, views.opening), title)
        if title_view and instruments_by_title:
            instrument = np.array([[b.source == "tentang"] for b in views.blocks])
            combined = np.where(instrument, title, combined)
        if guideline_subjects:
            names = [named_subjects(b.subject) if b.source != "none" else {} for b in views.blocks]
            named = np.array([[c in n for c in IDS] for n in names], dtype=bool).reshape(-1, len(IDS))
            combined = np.where(named, np.maximum(combined, threshold), combined)
        if guideline_veto:
            vetoed = np.array([[bool(none_subject(b.subject))] for b in views.blocks])
            combined = np.where(vetoed, 0.0, combined)
        return combined

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 10) confidences, to compare with `thresholds`."""
        return self.combine(self.views(list(texts)))

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return probs >= np.array([self.thresholds[c] for c in IDS])

    def classify(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, the criteria at or above their threshold, highest confidence first."""
        probs = self.probabilities(texts)
        out = []
        for row, decided in zip(probs, self.decide(probs)):
            hits = [(IDS[j], float(row[j])) for j in range(len(IDS)) if decided[j]]
            out.append(sorted(hits, key=lambda h: -h[1]))
        return out

    def explain(self, text: str, criterion: str, terms: int = 5, sentences: int = 2) -> dict:
        """The words and sentences that pushed `text` towards `criterion` (word features only: readable)."""
        return explain.explainer(self, text, kind=kind_of(text))(criterion, terms, sentences)

    def explainers(self, texts: Sequence[str], views: Views, which: Sequence[bool]) -> list:
        return explain.explainers(self, texts, views, which)
