"""A stand-in for the criteria model, for tests that test something else (intake, the ledger, reports, the
review page): a criterion is assigned when the text names one of its subjects in the labelling guideline's
own words (pipeline/classify/guideline.py), with a fixed confidence. Retraining the model breaks none of them.

It offers what the pipeline asks of a model: `version`, `thresholds`, `card`, the batch interface of the classify
stage (`views`, `combine`, `explainers`) and the one-text interface of `bukti classify` (`classify`, `explain`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.classify.guideline import named_subjects
from pipeline.criteria import IDS

NAMED, NOT_NAMED = 0.9, 0.02


class KeywordModel:
    version = "keywords-for-tests"

    def __init__(self) -> None:
        self.thresholds = {c: 0.5 for c in IDS}
        self.card = {"version": self.version, "data": {}, "metrics": {}}

    def views(self, texts: Sequence[str]) -> list[dict[str, str]]:
        return [named_subjects(text) for text in texts]

    def combine(self, views: list[dict[str, str]], *_, **__) -> np.ndarray:
        return np.array([[NAMED if c in named else NOT_NAMED for c in IDS] for named in views]).reshape(-1, len(IDS))

    def explainers(self, texts: Sequence[str], views: list[dict[str, str]], which: Sequence[bool]) -> list:
        return [self._explainer(named) if wanted else None for named, wanted in zip(views, which)]

    @staticmethod
    def _explainer(named: dict[str, str]):
        def explain(criterion: str, terms: int = 5, sentences: int = 2) -> dict:
            word = named.get(criterion)
            return {"terms": [word] if word else [], "sentences": [], "title": None, "rule": "keywords (test)"}
        return explain

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self.combine(self.views(texts))

    def classify(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        out = []
        for row in self.probabilities(texts):
            hits = [(c, float(p)) for c, p in zip(IDS, row) if p >= self.thresholds[c]]
            out.append(sorted(hits, key=lambda h: -h[1]))
        return out

    def explain(self, text: str, criterion: str, terms: int = 5, sentences: int = 2) -> dict:
        return self._explainer(named_subjects(text))(criterion, terms, sentences)


def use_keyword_model(monkeypatch) -> KeywordModel:
    """Every place that loads the model gets the keyword model: the pass (pipeline/process.py), the review page
    and the command line (which import `load_model` when a command runs)."""
    import pipeline.classify.persist
    import pipeline.process
    import review.app

    model = KeywordModel()
    fake = lambda *args, **kwargs: model  # noqa: E731
    for module in (pipeline.classify.persist, pipeline.process, review.app):
        monkeypatch.setattr(module, "load_model", fake)
    return model
