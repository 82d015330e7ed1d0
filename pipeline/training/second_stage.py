"""The second stage of a model, learnt from real documents, and its region-held-out figures.

`add_second_stage` reads the real documents through the model's first stage (which never saw them), learns the
real-document text model, the stacker and the thresholds from all of them (pipeline/training/stacking.py), and
writes into the model card what a region the model has never seen gets: the same learning repeated with each
group of regions held out (grouped folds, `HELDOUT_FOLDS`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.classify.model import CriteriaModel
from pipeline.classify.stack import SHIPPED_GROUPS, Readings
from pipeline.classify.textprep import normalize_many
from pipeline.criteria import IDS
from pipeline.training.metrics import scores
from pipeline.training.realdocs import RealDoc, label_matrix
from pipeline.training.stacking import Rows, fit_final, heldout

log = logging.getLogger(__name__)
HELDOUT_FOLDS = 10


@dataclass
class RealSet:
    """The sure real documents as the second stage reads them."""
    docs: list[RealDoc]
    readings: Readings
    normalized: list[str]
    Y: np.ndarray
    groups: list[str]


def real_set(model: CriteriaModel, docs: Sequence[RealDoc]) -> RealSet:
    """The documents a reader was sure of, read by the model's first stage (a model's own second stage, if it
    has one, is not used: what is learnt here replaces it)."""
    sure = [d for d in docs if not d.unsure]
    first = CriteriaModel(model.vectorizer, model.estimators, model.thresholds, model.card)
    readings = first.views([d.text for d in sure]).readings
    return RealSet(sure, readings, normalize_many([d.text for d in sure]), label_matrix(sure),
                   [d.group for d in sure])


def summary(Y: np.ndarray, pred: np.ndarray) -> dict:
    """Per-criterion P/R/F1, macro-F1, micro precision and recall, and false evidence (documents labelled none
    taken as evidence for anything)."""
    out = scores(Y, pred)
    tp = int((Y.astype(bool) & pred).sum())
    none = Y.sum(axis=1) == 0
    out.update(precision=round(tp / max(1, int(pred.sum())), 3), recall=round(tp / max(1, int(Y.sum())), 3),
               false_evidence_documents=int(pred[none].any(axis=1).sum()))
    return out


def heldout_report(s: RealSet, groups: frozenset[str] = SHIPPED_GROUPS, progress=None,
                   folds: int = HELDOUT_FOLDS, extra: Rows | None = None) -> tuple[dict, np.ndarray, np.ndarray]:
    """Region-held-out figures over the whole set and per origin (the corpus, the dev set, ...), with the
    probabilities and thresholds behind them. `extra`: the corpus's annotated rows (corpus_rows.py), learnt
    from in every fold, never judged."""
    probs, limits = heldout(s.readings, s.normalized, s.Y, s.groups, stack_groups=groups, progress=progress,
                            folds=folds, extra=extra)
    decided = probs >= limits
    report = {"documents": len(s.docs), "regions": len(set(s.groups)), "folds": folds,
              "corpus_rows": 0 if extra is None else len(extra.Y), "all": summary(s.Y, decided)}
    for origin in sorted({d.origin for d in s.docs}):
        idx = np.array([i for i, d in enumerate(s.docs) if d.origin == origin])
        report[origin] = summary(s.Y[idx], decided[idx])
    return report, probs, limits


def add_second_stage(model: CriteriaModel, docs: Sequence[RealDoc],
                     progress: Callable[[str], None] = log.info, extra: Rows | None = None) -> CriteriaModel:
    s = real_set(model, docs)
    progress(f"second stage: {len(s.docs)} real documents from {len(set(s.groups))} regions"
             f"{'' if extra is None else f' and {len(extra.Y)} annotated corpus rows'}; "
             f"region-held-out figures ({HELDOUT_FOLDS} grouped folds)")
    report, _, _ = heldout_report(s, progress=progress, extra=extra)
    learnt = fit_final(s.readings, s.normalized, s.Y, s.groups, extra=extra)
    model.real_model, model.stacker, model.thresholds = learnt.text_model, learnt.stacker, learnt.thresholds
    origins = Counter(d.origin for d in s.docs)
    model.card["second_stage"] = {
        "documents": dict(origins), "regions": len(set(s.groups)),
        "corpus_rows": 0 if extra is None else len(extra.Y),
        "labels": "corpus/documents.jsonl.gz (two independent readings, a third where they disagreed: "
                  "corpus/READING.md) and the development set's expected.jsonl; also the corpus's annotated "
                  "train rows read out of fold by the first stage (never held out, never choosing a threshold)",
        "method": "real-document TF-IDF text model (per criterion and 'any criterion') and a logistic regression "
                  "over (document, criterion) pairs of the first stage's views, the text model, the kind of "
                  "document and the guideline's rules (pipeline/classify/stack.py); thresholds on the second "
                  "stage's own grouped out-of-fold answers",
        "region_heldout": report,
    }
    return model
