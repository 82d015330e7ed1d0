"""Stage 6: classify every processed document against the ten criteria, from the text in the ledger.

Runs after extraction. A document is (re)classified when it has no classification by the current model
version and decision rules (pipeline/classify/judgement_version.py), so a new model or new rules reclassify
everything from stored text, without OCR.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from pipeline.classify.judgement_version import judgement_version
from pipeline.classify.model import CriteriaModel
from pipeline.criteria import IDS, load_criteria
from pipeline.ledger.ledger import Ledger

log = logging.getLogger(__name__)
BATCH = 64


def classify_documents(ledger: Ledger, model: CriteriaModel) -> int:
    """Classify what this model and these rules have not judged; returns how many documents were classified."""
    version = judgement_version(model)
    todo = ledger.texts_to_classify(version)
    bands = np.array([{c.id: c.review_band for c in load_criteria()}[c] for c in IDS])
    thresholds = np.array([model.thresholds[c] for c in IDS])
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        texts = [text for _, text in batch]
        views = model.views(texts)
        probs = model.combine(views)
        likely = probs >= thresholds - bands  # explain what a reviewer will see
        assigned = probs >= thresholds
        explainers = model.explainers(texts, views, likely.any(axis=1))
        stored = []
        for i, (sha, text) in enumerate(batch):
            explain = explainers[i]
            rows = []
            for j, criterion in enumerate(IDS):
                explanation = (json.dumps(explain(criterion), ensure_ascii=False) if likely[i, j] else None)
                rows.append(dict(criterion=criterion, confidence=round(float(probs[i, j]), 4),
                                 assigned=bool(assigned[i, j]), explanation=explanation))
            stored.append((sha, rows))
        ledger.store_classifications(stored, version)  # one transaction per batch
    if todo:
        log.info("classified %d documents with %s", len(todo), version)
    return len(todo)


def text_of_file(path: Path, languages: str = "ind+eng", timeout: float = 180.0) -> str:
    """Extract one file's text outside the ledger (for `bukti classify FILE`), OCR in this process."""
    from pipeline.extract.plan import OcrOptions, plan_document
    from pipeline.extract.store import assemble
    from pipeline.extract.read import read_page

    plan = plan_document("adhoc", path, path.name, OcrOptions(languages=languages, timeout=timeout))
    pages = list(plan.done) + [read_page(job) for job in plan.jobs]
    return assemble(pages)[1]
