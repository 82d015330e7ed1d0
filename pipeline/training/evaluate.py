"""`bukti eval`: the classifier and a baseline on the honest yardstick (annotated, not-unsure dev rows)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.training.corpus import Example, honest_dev
from pipeline.training.metrics import label_matrix, scores
from pipeline.training.noise import add_ocr_noise


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
            f"ocr_noise_{int(noise_rate * 100)}pct": _by_part(dev, noisy),
            "false_evidence": slipped_through(dev, clean)}


def slipped_through(dev: Sequence[Example], pred: np.ndarray) -> list[dict]:
    """Documents labelled none that the model takes as evidence: the kinds that still slip through."""
    from pipeline.criteria import IDS

    return [{"part": e.part, "title": e.text.split("\n")[0][:160], "predicted": [IDS[j] for j in np.flatnonzero(p)]}
            for e, p in zip(dev, pred) if not e.labels and p.any()]


def evaluate_baseline(examples: Sequence[Example]) -> dict:
    """paperless-ngx-style auto-matching: CountVectorizer word 1-2-grams (min_df=0.01) into an MLPClassifier,
    trained on the same train rows and reconciled labels, without weights or thresholds (0.5)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.neural_network import MLPClassifier

    from pipeline.classify.textprep import normalize_many

    train = [e for e in examples if e.split == "train"]
    dev = honest_dev(list(examples))
    vec = CountVectorizer(ngram_range=(1, 2), min_df=0.01)
    X = vec.fit_transform(normalize_many([e.text for e in train]))
    clf = MLPClassifier(random_state=0, max_iter=200, early_stopping=True)
    clf.fit(X, label_matrix(train))
    pred = clf.predict(vec.transform(normalize_many([e.text for e in dev])))
    return {"model": "baseline: CountVectorizer(1-2, min_df=0.01) + MLPClassifier", "clean": _by_part(dev, pred)}
