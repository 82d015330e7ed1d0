"""`bukti eval --real DIR`: the classifier on real documents, read exactly as the nightly run reads them.

DIR holds `inbox/<opd>/<file>` and `expected.jsonl` (one line per file: `path` relative to `inbox/`,
`criteria`, optional `unsure`). Files are extracted by the pipeline's own reading stages into a cache ledger
under BUKTI_HOME/eval (keyed by the folder and the extractor version), so a second evaluation costs seconds.
Rows marked `unsure` are left out of every figure; a file the pipeline cannot read counts as "no criterion".
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.config import Settings
from pipeline.criteria import IDS
from pipeline.training.metrics import scores


class RealSetError(ValueError):
    """The folder is not a labelled set; the message says what is missing."""


@dataclass(frozen=True)
class RealCase:
    path: str  # relative to the inbox, as the ledger stores it
    criteria: tuple[str, ...]
    unsure: bool
    title: str = ""


def load_cases(folder: Path) -> list[RealCase]:
    expected = folder / "expected.jsonl"
    if not expected.is_file() or not (folder / "inbox").is_dir():
        raise RealSetError(f"{folder} needs expected.jsonl and an inbox/ folder beside it")
    cases = []
    for number, line in enumerate(expected.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        unknown = set(row.get("criteria") or []) - set(IDS)
        if unknown:
            raise RealSetError(f"{expected}:{number}: unknown criteria {sorted(unknown)}")
        cases.append(RealCase(row["path"], tuple(row.get("criteria") or []), bool(row.get("unsure")),
                              row.get("title") or ""))
    return cases


def cache_settings(settings: Settings, folder: Path) -> Settings:
    from pipeline.extract.store import EXTRACTOR_VERSION

    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    home = settings.home / "eval" / f"{key}-x{EXTRACTOR_VERSION}"
    return dataclasses.replace(settings, home=home, inbox=folder / "inbox", db_url="", stable_seconds=0)


def read_texts(settings: Settings, folder: Path, progress=None) -> dict[str, str]:
    """Path (relative to the inbox) → extracted text, for every file the pipeline could read."""
    from pipeline.ledger.ledger import Ledger
    from pipeline.process import extract_inbox

    cache = cache_settings(settings, folder)
    cache.home.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(cache.database_url)
    try:
        extract_inbox(ledger, cache, progress=progress)
        texts = {}
        for entry in ledger.entries():
            if entry.sha256 and entry.status in ("processed", "duplicate"):
                doc = ledger.document(entry.sha256)
                texts[entry.path] = (doc.text or "") if doc is not None else ""
        return texts
    finally:
        ledger.close()


Decide = Callable[[Sequence[str]], np.ndarray]  # texts → (n, 10) boolean decisions


def evaluate_cases(cases: Sequence[RealCase], texts: dict[str, str], decide: Decide) -> dict:
    """Scores over the sure cases, plus every disagreement (what a reader checks first)."""
    sure = [c for c in cases if not c.unsure]
    Y = np.array([[cid in c.criteria for cid in IDS] for c in sure], dtype=np.int8)
    pred = np.asarray(decide([texts.get(c.path, "") for c in sure]), dtype=bool)
    result = scores(Y, pred)
    tp = int((Y.astype(bool) & pred).sum())
    result["precision"] = round(tp / max(1, int(pred.sum())), 3)
    result["recall"] = round(tp / max(1, int(Y.sum())), 3)
    result["unsure_rows_left_out"] = len(cases) - len(sure)
    result["unread"] = sorted(c.path for c in sure if c.path not in texts)
    result["false_evidence_documents"] = int(pred[Y.sum(axis=1) == 0].any(axis=1).sum())
    result["errors"] = [
        {"path": c.path, "expected": list(c.criteria), "predicted": [IDS[j] for j in np.flatnonzero(p)]}
        for c, y, p in zip(sure, Y.astype(bool), pred) if (y != p).any()]
    return result


# What each part of the decision rule adds (pipeline/classify/model.py, CriteriaModel.combine), cumulatively.
_OFF = dict(title_view=False, instruments_by_title=False, guideline_subjects=False, guideline_veto=False)
ABLATIONS = {
    "text and opening only": _OFF,
    "+ title block view": {**_OFF, "title_view": True},
    "+ regulations judged by their title": {**_OFF, "title_view": True, "instruments_by_title": True},
    "+ guideline subjects named in the title": {**_OFF, "title_view": True, "instruments_by_title": True,
                                                "guideline_subjects": True},
    "+ guideline veto (all, as shipped)": {},
}


def evaluate_real(model, settings: Settings, folder: Path, progress=None) -> dict:
    cases = load_cases(folder)
    texts = read_texts(settings, folder, progress)
    report = {"model": model.version, "folder": str(folder), "documents": len(cases),
              "real": evaluate_cases(cases, texts, lambda t: model.decide(model.probabilities(t)))}
    summary = {}
    for name, switches in ABLATIONS.items():
        result = evaluate_cases(cases, texts, lambda t: model.decide(model.combine_first_stage(model.views(t), **switches)))
        summary[name] = {k: result[k] for k in ("macro_f1", "precision", "recall", "false_evidence_rate")}
    report["ablation"] = summary
    return report
