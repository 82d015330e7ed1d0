"""Stage 6: classify every processed document against the ten criteria, from the text in the ledger.

Runs after extraction. A document is (re)classified when it has no classification by the current model
version, so a new model reclassifies everything from stored text, without OCR.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pipeline.classify.model import CriteriaModel
from pipeline.criteria import IDS, load_criteria
from pipeline.ledger.ledger import Ledger

log = logging.getLogger(__name__)
BATCH = 64


def classify_documents(ledger: Ledger, model: CriteriaModel) -> int:
    """Classify what this model version has not seen; returns how many documents were classified."""
    todo = ledger.texts_to_classify(model.version)
    bands = {c.id: c.review_band for c in load_criteria()}
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        probs = model.probabilities([text for _, text in batch])
        for (sha, text), row in zip(batch, probs):
            rows = []
            for j, criterion in enumerate(IDS):
                confidence = float(row[j])
                threshold = model.thresholds[criterion]
                explanation = None
                if confidence >= threshold - bands[criterion]:  # explain what a reviewer will see
                    explanation = json.dumps(model.explain(text, criterion), ensure_ascii=False)
                rows.append(dict(criterion=criterion, confidence=round(confidence, 4),
                                 assigned=confidence >= threshold, explanation=explanation))
            ledger.store_classification(sha, rows, model.version)
    if todo:
        log.info("classified %d documents with %s", len(todo), model.version)
    return len(todo)


def text_of_file(path: Path, languages: str = "ind+eng", timeout: float = 180.0) -> str:
    """Extract one file's text outside the ledger (for `bukti classify FILE`), OCR in this process."""
    from pipeline.extract.plan import OcrOptions, plan_document
    from pipeline.extract.store import assemble
    from pipeline.extract.read import read_page

    plan = plan_document("adhoc", path, path.name, OcrOptions(languages=languages, timeout=timeout))
    pages = list(plan.done) + [read_page(job) for job in plan.jobs]
    return assemble(pages)[1]
