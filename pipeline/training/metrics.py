"""Label matrices and the scores the project reports: per-criterion P/R/F1, macro-F1, false-evidence rate."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.training.corpus import Example
from pipeline.criteria import IDS


def label_matrix(examples: Sequence[Example]) -> np.ndarray:
    return np.array([[c in e.labels for c in IDS] for e in examples], dtype=np.int8)


def scores(Y: np.ndarray, pred: np.ndarray) -> dict:
    """Per-criterion precision/recall/F1, macro-F1 over the criteria present, and the false-evidence rate
    (share of documents labelled none that get any criterion)."""
    per = {}
    for j, c in enumerate(IDS):
        y, p = Y[:, j].astype(bool), pred[:, j].astype(bool)
        tp, fp, fn = int((y & p).sum()), int((~y & p).sum()), int((y & ~p).sum())
        precision = tp / (tp + fp) if tp + fp else (1.0 if not y.any() else 0.0)
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[c] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                  "support": int(y.sum()), "predicted": int(p.sum())}
    present = [c for c in IDS if per[c]["support"]]
    none = Y.sum(axis=1) == 0
    return {"rows": int(len(Y)), "none_rows": int(none.sum()),
            "macro_f1": round(float(np.mean([per[c]["f1"] for c in present])), 3) if present else None,
            "false_evidence_rate": round(float(pred[none].any(axis=1).mean()), 3) if none.any() else None,
            "criteria": per}
