"""`bukti train`: rebuild the shipped classifier from the corpus, deterministically."""

from __future__ import annotations

import logging
import platform
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.classify.model import HEAD_TOKENS, CriteriaModel, Views, head, make_estimator, make_vectorizer
from pipeline.training.corpus import SOURCE_WEIGHT, Example, corpus_hashes, load_examples
from pipeline.training.realdocs import RealDoc
from pipeline.criteria import IDS
from pipeline.training.metrics import label_matrix, scores
from pipeline.classify.textprep import normalize_many
from pipeline.classify.titleblock import title_block

log = logging.getLogger(__name__)

FOLDS = 3
SEED = 0


def _fit_one(X, y, w):
    return make_estimator().fit(X, y, sample_weight=w)


def fit(texts: Sequence[str], Y: np.ndarray, weights: np.ndarray, n_jobs: int = 2):
    from joblib import Parallel, delayed

    vectorizer = make_vectorizer()
    X = vectorizer.fit_transform(list(texts)).tocsr()
    X.sort_indices()  # workers get a read-only memory map; liblinear must not need to sort it there
    estimators = Parallel(n_jobs=n_jobs)(delayed(_fit_one)(X, Y[:, j], weights) for j in range(len(IDS)))
    return vectorizer, list(estimators)


def tune_thresholds(probs: np.ndarray, Y: np.ndarray) -> dict[str, float]:
    """Per criterion, the threshold of best F1 on out-of-fold probabilities; among near-best ones the median,
    so that a lucky single row does not set it."""
    grid = np.round(np.arange(0.20, 0.96, 0.01), 2)
    out = {}
    for j, criterion in enumerate(IDS):
        y = Y[:, j].astype(bool)
        scores = []
        for t in grid:
            pred = probs[:, j] >= t
            tp, fp, fn = (pred & y).sum(), (pred & ~y).sum(), (~pred & y).sum()
            scores.append(2 * tp / max(1, 2 * tp + fp + fn))
        scores = np.array(scores)
        near = grid[scores >= scores.max() - 0.01]
        out[criterion] = float(np.round(np.median(near), 2))
    return out


def train_model(corpus: Path, progress: Callable[[str], None] = log.info, extra: Sequence[Example] = (),
                real: Sequence[RealDoc] = (), rows_cache: Path | None = None) -> tuple[CriteriaModel, list[Example]]:
    """The first stage on the corpus's train split (plus `extra`, e.g. reviewed documents), then, when `real`
    documents are given, the second stage learnt from them and from the corpus's annotated rows read out of fold
    (pipeline/training/corpus_rows.py; cached in `rows_cache` for `bukti eval --real`)."""
    model, examples, rows = train_first_stage(corpus, progress, extra)
    if real:
        from pipeline.training.corpus_rows import cache_key, save_rows
        from pipeline.training.second_stage import add_second_stage

        if rows_cache is not None and not extra:  # the cache is the corpus's own rows, not a region's reviews
            save_rows(rows, rows_cache, cache_key(model.card["data"]["corpus_sha256"]))
        add_second_stage(model, real, progress, extra=rows)
    return model, examples


@dataclass
class CrossValidation:
    """What the first stage's cross-validation reads of the train split: thresholds come from it, and so do the
    second stage's corpus rows."""
    train: list
    texts: list[str]  # normalised
    Y: np.ndarray
    weights: np.ndarray
    trusted: np.ndarray
    titles: list[str]
    oof_text: np.ndarray
    oof_opening: np.ndarray
    oof_title: np.ndarray

    def rows(self):
        from pipeline.training.corpus_rows import corpus_rows

        return corpus_rows([e.text for e in self.train], self.texts, self.titles, self.Y, self.oof_text, self.oof_opening,
                           self.oof_title, self.trusted)


def cross_validate(train: Sequence[Example], progress: Callable[[str], None] = log.info) -> CrossValidation:
    train = list(train)
    progress(f"{len(train)} training rows; normalising text with spaCy")
    texts = normalize_many([e.text for e in train])
    heads = [head(t) for t in texts]
    Y = label_matrix(train)
    weights = np.array([e.weight for e in train], dtype=np.float64)
    # Thresholds are tuned on hand-checked labels only, and not on rows the annotator doubted.
    trusted = np.array([e.source in ("annotated", "review") and not e.unsure for e in train])

    # The title view reads each row as inference reads a document: through its title block.
    titles = normalize_many([title_block(e.text).core for e in train])
    oof_text, oof_opening, oof_title = (np.zeros((len(train), len(IDS))) for _ in range(3))
    from sklearn.model_selection import KFold

    for k, (fit_idx, held_idx) in enumerate(KFold(FOLDS, shuffle=True, random_state=SEED).split(texts), 1):
        progress(f"cross-validation fold {k}/{FOLDS}")
        vec, ests = fit([texts[i] for i in fit_idx], Y[fit_idx], weights[fit_idx])
        held = held_idx[trusted[held_idx]]  # thresholds are tuned on the trusted labels only
        model = CriteriaModel(vec, ests, {})
        oof_text[held] = model._predict([texts[i] for i in held])
        oof_opening[held] = model._predict([heads[i] for i in held])
        oof_title[held] = model._predict([titles[i] for i in held])
    return CrossValidation(train, texts, Y, weights, trusted, titles, oof_text, oof_opening, oof_title)


def train_first_stage(corpus: Path, progress: Callable[[str], None] = log.info,
                      extra: Sequence[Example] = ()):
    """Fit on the train split (plus `extra`, e.g. reviewed documents); thresholds by cross-validation.
    Returns the model, the corpus's examples and the second stage's corpus rows."""
    import sklearn
    import skops
    import spacy

    started = time.monotonic()
    examples = load_examples(corpus)
    cv_ = cross_validate([e for e in examples if e.split == "train"] + list(extra), progress)
    train, texts, Y, weights, trusted, titles = cv_.train, cv_.texts, cv_.Y, cv_.weights, cv_.trusted, cv_.titles
    oof_text, oof_opening, oof_title = cv_.oof_text, cv_.oof_opening, cv_.oof_title
    # One threshold per criterion for every view: separate title-view thresholds were tried (tuned on the
    # title rows) and did worse on real documents (bukti eval --real), the corpus's titles being shorter and
    # cleaner than a scanned title block.
    thresholds = tune_thresholds(np.maximum(oof_text, oof_opening)[trusted], Y[trusted])
    oof = CriteriaModel(None, [], thresholds).combine(
        Views(oof_text, oof_opening, oof_title * np.array([[bool(t)] for t in titles]),
              [title_block(e.text) for e in train]))
    cv = scores(Y[trusted], oof[trusted] >= np.array([thresholds[c] for c in IDS]))
    progress(f"thresholds {thresholds}; final fit")
    vectorizer, estimators = fit(texts, Y, weights)

    sources = Counter(e.source for e in train)
    card = {
        "name": "criteria",
        "first_stage_thresholds": thresholds,
        "task": "multi-label classification of documents against the ten KKP HAM criteria",
        "criteria": list(IDS),
        "data": {"corpus_sha256": corpus_hashes(corpus), "rows_by_label_source": dict(sorted(sources.items())),
                 "label_source_weights": SOURCE_WEIGHT, "split_used": "train",
                 "reviewed_documents": sources.get("review", 0),
                 "weak_rules_reconciled": "pipeline/training/corpus.py: fees, taxes, budgets, companies, organisation, "
                                          "civil-service pay -> none; guideline NOTs (archives, telecom towers, "
                                          "hajj, zakat, narcotics, ...) dropped"},
        "method": {"features": "TF-IDF word 1-2-grams + char_wb 3-5-grams over spaCy-normalised text",
                   "estimator": "LogisticRegression(C=4, liblinear, balanced) per criterion",
                   "decision": f"regulations and decrees: P(title block); other documents: max(P(text), "
                               f"P(first {HEAD_TOKENS} words), P(title block)); one threshold per criterion; a "
                               "title naming a guideline subject reaches it, a title stating an administrative "
                               "subject is none (pipeline/classify/guideline.py)",
                   "threshold_tuning": f"{FOLDS}-fold cross-validation on train; best F1 on annotated, "
                                               "not-unsure rows (median of the thresholds within 0.01 of it)"},
        "libraries": {"scikit-learn": sklearn.__version__, "skops": skops.__version__, "spacy": spacy.__version__,
                      "numpy": np.__version__, "python": platform.python_version()},
        "cross_validation": {"rows": cv["rows"], "macro_f1": cv["macro_f1"],
                             "false_evidence_rate": cv["false_evidence_rate"],
                             "note": "out-of-fold on annotated, not-unsure train rows, at the tuned thresholds, "
                                     "with the whole decision rule (views, guideline subjects and veto)"},
        "training_seconds": round(time.monotonic() - started, 1),
    }
    return CriteriaModel(vectorizer, estimators, thresholds, card), examples, cv_.rows()

