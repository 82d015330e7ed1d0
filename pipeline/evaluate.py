"""`bukti eval`: the classifier and a baseline on the honest yardstick (annotated, not-unsure dev rows)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .corpus import Example, honest_dev
from .criteria import IDS
from .noise import add_ocr_noise
from .train import label_matrix


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


def _by_part(examples: Sequence[Example], pred: np.ndarray) -> dict:
    Y = label_matrix(examples)
    out = {}
    for part in ("all", "national", "local"):
        idx = [i for i, e in enumerate(examples) if part == "all" or e.part == part]
        out[part] = scores(Y[idx], pred[idx])
    return out


def evaluate_model(model, examples: Sequence[Example], noise_rate: float = 0.04) -> dict:
    dev = honest_dev(list(examples))
    clean = model.decide(model.probabilities([e.text for e in dev]))
    noisy_texts = [add_ocr_noise(e.text, rate=noise_rate, seed=i) for i, e in enumerate(dev)]
    noisy = model.decide(model.probabilities(noisy_texts))
    return {"model": model.version, "clean": _by_part(dev, clean),
            f"ocr_noise_{int(noise_rate * 100)}pct": _by_part(dev, noisy)}


def evaluate_baseline(examples: Sequence[Example]) -> dict:
    """paperless-ngx-style auto-matching: CountVectorizer word 1-2-grams (min_df=0.01) into an MLPClassifier,
    trained on the same train rows and reconciled labels, without weights or thresholds (0.5)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.neural_network import MLPClassifier

    from .textprep import normalize_many

    train = [e for e in examples if e.split == "train"]
    dev = honest_dev(list(examples))
    vec = CountVectorizer(ngram_range=(1, 2), min_df=0.01)
    X = vec.fit_transform(normalize_many([e.text for e in train]))
    clf = MLPClassifier(random_state=0, max_iter=200, early_stopping=True)
    clf.fit(X, label_matrix(train))
    pred = clf.predict(vec.transform(normalize_many([e.text for e in dev])))
    return {"model": "baseline: CountVectorizer(1-2, min_df=0.01) + MLPClassifier", "clean": _by_part(dev, pred)}
