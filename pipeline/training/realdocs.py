"""Real documents with their labels, grouped by the region they come from: what the classifier learns real
inboxes from, and what every real-document figure is measured on, region-held-out.

Two sets, used together:
- the project's own real corpus, `corpus/documents.jsonl.gz` (text as bukti's extraction read it, labels from
  two independent readings; corpus/README.md), committed;
- the development set `../shared/testdata/real` (files and `expected.jsonl`), read through the pipeline's own
  stages (pipeline/training/evaluate_real.py, cached), when it is there.

A document's `group` is its region (corpus/sources.json maps each source repository to the region and agency it
belongs to; two repositories of one region are one group): folds never split a group, so every figure is what a
region the model has never seen would get.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.criteria import IDS

ROOT = Path(__file__).resolve().parents[2]
REAL_CORPUS = ROOT / "corpus" / "documents.jsonl.gz"
SOURCES = ROOT / "corpus" / "sources.json"


@dataclass(frozen=True)
class RealDoc:
    id: str  # sha256 of the original file
    group: str  # the region: folds never split one
    source: str  # the repository it was published in
    path: str  # where: the corpus's inbox path, or the dev set's path relative to its inbox
    text: str
    criteria: tuple[str, ...]
    unsure: bool
    origin: str  # "corpus" or "dev"
    types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()


def sources(path: Path = SOURCES) -> dict[str, dict]:
    """Repository -> {"region": ..., "agency": ...}."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def group_of(repository: str, known: dict[str, dict]) -> str:
    return known.get(repository, {}).get("region") or repository.lower()


def load_corpus(path: Path = REAL_CORPUS, known: dict[str, dict] | None = None) -> list[RealDoc]:
    known = sources() if known is None else known
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append(RealDoc(id=row["sha256"], group=group_of(row["source_repository"], known),
                               source=row["source_repository"], path=row["path"], text=row["text"],
                               criteria=tuple(c for c in IDS if c in row["criteria"]), unsure=bool(row["unsure"]),
                               origin="corpus", types=tuple(row.get("types") or ()),
                               years=tuple(row.get("years") or ())))
    return out


def load_dev(texts: dict[str, str], folder: Path, known: dict[str, dict] | None = None) -> list[RealDoc]:
    """The dev set's documents, with `texts` (path -> text) as the pipeline read them."""
    known = sources() if known is None else known
    out = []
    for line in (folder / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        source = row.get("source_repository") or ""
        out.append(RealDoc(id=row.get("sha256") or row["path"],
                           group=group_of(source, known) if source else f"folder:{folder.name}",
                           source=source or folder.name, path=row["path"], text=texts.get(row["path"], ""),
                           criteria=tuple(c for c in IDS if c in (row.get("criteria") or [])),
                           unsure=bool(row.get("unsure")), origin="dev"))
    return out


def label_matrix(docs: Sequence[RealDoc]):
    import numpy as np

    return np.array([[c in d.criteria for c in IDS] for d in docs], dtype=np.int8)


DEV_SET = ROOT.parent / "shared" / "testdata" / "real"


def real_documents(settings, dev_folder: Path | None = DEV_SET, progress=None) -> list[RealDoc]:
    """The committed corpus and, when it is there, the development set read through the pipeline's own stages
    (cached under BUKTI_HOME/eval: the first reading takes minutes of OCR, later ones seconds)."""
    docs = load_corpus()
    if dev_folder is not None and (dev_folder / "expected.jsonl").is_file():
        from pipeline.training.evaluate_real import read_texts

        docs += load_dev(read_texts(settings, dev_folder, progress), dev_folder)
    return docs
