"""`bukti eval --real DIR`: the classifier on real documents, read exactly as the nightly run reads them, and
measured as a region the model has never seen would meet it.

DIR holds `inbox/<opd>/<file>` and `expected.jsonl` (one line per file: `path` relative to `inbox/`,
`criteria`, optional `unsure` and `source_repository`). Files are extracted by the pipeline's own reading stages
into a cache ledger under BUKTI_HOME/eval (keyed by the folder and the extractor version), so a second
evaluation costs seconds. Rows marked `unsure` are left out of every figure; a file the pipeline cannot read
counts as "no criterion".
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.classify.model import CriteriaModel
from pipeline.classify.stack import GROUPS, SHIPPED_GROUPS
from pipeline.config import Settings
from pipeline.criteria import IDS
from pipeline.training.metrics import scores
from pipeline.training.realdocs import RealDoc, group_of, load_corpus, sources
from pipeline.training.corpus_rows import rows_for
from pipeline.training.second_stage import HELDOUT_FOLDS, heldout_report, real_set, summary


class RealSetError(ValueError):
    """The folder is not a labelled set; the message says what is missing."""


@dataclass(frozen=True)
class RealCase:
    path: str  # relative to the inbox, as the ledger stores it
    criteria: tuple[str, ...]
    unsure: bool
    title: str = ""
    source: str = ""  # the repository it was published in, when the folder says


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
        cases.append(RealCase(row["path"], tuple(c for c in IDS if c in (row.get("criteria") or [])),
                              bool(row.get("unsure")), row.get("title") or "", row.get("source_repository") or ""))
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


def folder_docs(cases: Sequence[RealCase], texts: dict[str, str], folder: Path) -> list[RealDoc]:
    """The folder's labelled documents as real documents. A row that names its source repository belongs to that
    source's region (corpus/sources.json); one that does not belongs to the folder: a region of its own."""
    known = sources()
    return [RealDoc(id=c.path, group=group_of(c.source, known) if c.source else f"folder:{folder.name}",
                    source=c.source or folder.name, path=c.path, text=texts.get(c.path, ""), criteria=c.criteria,
                    unsure=c.unsure, origin="folder") for c in cases]


def evaluate_real(model, settings: Settings, folder: Path, progress=None, ablation: bool = False,
                  folds: int = HELDOUT_FOLDS, say=None, corpus: Path | None = None) -> dict:
    """The folder's documents and the project's real corpus together, every figure region-held-out: what is
    learnt from real documents (the second stage) is learnt again without each group of regions, which is then
    judged by it (pipeline/training/second_stage.py). `corpus`: the annotated corpus, whose rows the second stage
    also learns from as `bukti train` does (corpus_rows.py); without it the figures are of a second stage learnt
    from real documents alone. `ablation`: the same with each part of the decision left
    out in turn (one region-held-out run each)."""
    cases = load_cases(folder)
    texts = read_texts(settings, folder, progress)
    docs = folder_docs(cases, texts, folder) + load_corpus()
    s = real_set(model, docs)
    extra = None if corpus is None else rows_for(settings.home, corpus, say)
    report, probs, limits = heldout_report(s, progress=say, folds=folds, extra=extra)
    decided = probs >= limits
    report.update(model=model.version, folder_path=str(folder), cases=len(cases),
                  unsure_left_out=sum(c.unsure for c in cases),
                  unread=sorted(c.path for c in cases if not c.unsure and c.path not in texts))
    report["errors"] = [
        {"path": d.path, "expected": list(d.criteria), "predicted": [IDS[j] for j in np.flatnonzero(p)]}
        for d, y, p in zip(s.docs, s.Y.astype(bool), decided) if d.origin == "folder" and (y != p).any()]
    # The first stage alone, with its own rule and thresholds (what the model decided before it had a second
    # stage; nothing in it is learnt from real documents, so it needs no folds).
    first = CriteriaModel(model.vectorizer, model.estimators, model.first_stage_thresholds, model.card)
    views = first.views([d.text for d in s.docs])
    report["first_stage_rule"] = summary(s.Y, first.decide(first.combine_first_stage(views)))
    if ablation:
        report["ablation"] = {}
        # Each shipped group left out, and each group the shipped model leaves out put back.
        for group in GROUPS:
            used = SHIPPED_GROUPS - {group} if group in SHIPPED_GROUPS else SHIPPED_GROUPS | {group}
            name = f"without {group}" if group in SHIPPED_GROUPS else f"with {group}"
            if say:
                say(f"ablation: {name}")
            part, _, _ = heldout_report(s, used, folds=folds, extra=extra)
            report["ablation"][name] = {k: part["all"][k] for k in SUMMARY_KEYS}
    return report


SUMMARY_KEYS = ("macro_f1", "precision", "recall", "false_evidence_documents", "none_rows")
