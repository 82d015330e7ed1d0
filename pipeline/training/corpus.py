"""The labelled corpus (../shared/corpus), read where it lies and never copied into the project.

Rows become training examples with a weight that says how far their label is trusted, after the known
disagreements between the `weak-rules` labels and the labelling guideline are reconciled.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import ConfigError
from pipeline.criteria import IDS
from pipeline.classify.guideline import none_subject

CORPUS_FILES = ("national.jsonl.gz", "local_titles.jsonl.gz")
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
NATIONAL_TEXT_CHARS = 3000  # the subject is in the title and the "Menimbang"; the rest adds noise and time

# How far each label source is trusted (sample weights).
# Chosen by cross-validation on train (out-of-fold macro-F1 on annotated rows: 0.885 with annotated 4 /
# weak 0.5, 0.896 with 10 / 0.3): the hand labels must outvote the noisy weak rules they contradict.
SOURCE_WEIGHT = {"annotated": 10.0, "title-screen": 1.0, "weak-rules": 0.3}

class CorpusMissing(ConfigError, FileNotFoundError):
    """The corpus is not where it was looked for (a setting: `--corpus`, or ../shared/corpus beside the project)."""


@dataclass(frozen=True)
class Example:
    id: str
    part: str  # "national" (full text) or "local" (title only)
    text: str
    labels: tuple[str, ...]
    source: str
    unsure: bool
    split: str
    weight: float


def find_corpus(path: Path | None) -> Path:
    corpus = Path(path) if path else DEFAULT_CORPUS
    missing = [name for name in CORPUS_FILES if not (corpus / name).is_file()]
    if missing:
        raise CorpusMissing(
            f"corpus not found at {corpus} (missing {', '.join(missing)}). The training corpus is the project's "
            "labelled set of Indonesian regulations (national.jsonl.gz, local_titles.jsonl.gz), kept outside the "
            "repository in ../shared/corpus on the project's machines; pass --corpus DIR. The shipped model in "
            "models/ works without it.")
    return corpus


def corpus_hashes(corpus: Path) -> dict[str, str]:
    return {name: hashlib.sha256((corpus / name).read_bytes()).hexdigest() for name in CORPUS_FILES}


# Topic words the weak rules map to a criterion that LABELLING.md explicitly excludes: (pattern, label dropped,
# label added). Each line is a "NOT" or a redirection in the guideline, checked against the annotated rows.
_GUIDELINE_FIXES = [
    (r"kearsipan|arsip", "informasi", None),  # archives management alone
    (r"menara telekomunikasi", "informasi", None),  # telecom towers
    (r"\bhaji\b|\bumrah\b", "keberagaman_pluralisme", None),  # hajj logistics
    (r"\bzakat\b|infa[qk]|sedekah|wakaf", "keberagaman_pluralisme", None),  # religious finance, not freedom
    (r"pesantren|madrasah|diniyah|pendidikan (keagamaan|agama)", "keberagaman_pluralisme", "pendidikan"),
    (r"anak usia dini|\bpaud\b", "perempuan_anak", "pendidikan"),
    (r"narkotika|minuman beralkohol|minuman keras", "kesehatan", None),  # public order, not the right to health
    (r"kesehatan hewan|peternakan", "kesehatan", None),
    (r"transmigrasi", "kependudukan", None),
    (r"irigasi|tata ruang|\brtrw\b|\brdtr\b", "lingkungan_perumahan", None),  # land use, water for farms
    (r"kawasan tanpa rokok", "lingkungan_perumahan", None),  # squarely health, not environment
    (r"perpustakaan|berbasis elektronik|\bspbe\b|reklame|produk hukum|telekomunikasi|karya cetak|tanpa rokok",
     "informasi", None),  # libraries, internal e-government, billboards, law-making procedure: not the right
]
# kependudukan is registration (KTP-el, KK, akta, pencatatan sipil, citizenship), not demography, public order
# or family welfare, which the weak rules also give it (a third of their kependudukan labels).
_REGISTRATION = re.compile(r"kependudukan|pencatatan sipil|catatan sipil|akta|\bktp|kartu|identitas|adminduk"
                           r"|kewarganegaraan|nomor induk", re.IGNORECASE)
_GUIDELINE_FIXES = [(re.compile(p, re.IGNORECASE), drop, add) for p, drop, add in _GUIDELINE_FIXES]


def reconcile(title: str, labels: list[str], source: str) -> tuple[str, ...]:
    """Labels as the guideline would give them. Only `weak-rules` rows are changed."""
    kept = [label for label in labels if label in IDS]
    if source != "weak-rules" or not kept:
        return tuple(kept)
    if none_subject(title):  # LABELLING.md: the main subject is administrative
        return ()
    for pattern, drop, add in _GUIDELINE_FIXES:
        if pattern.search(title) and drop in kept:
            kept.remove(drop)
            if add and add not in kept:
                kept.append(add)
    if "kependudukan" in kept and not _REGISTRATION.search(title):
        kept.remove("kependudukan")
    return tuple(sorted(kept, key=IDS.index))


def load_examples(corpus: Path) -> list[Example]:
    out: list[Example] = []
    for name, part in (("national.jsonl.gz", "national"), ("local_titles.jsonl.gz", "local")):
        with gzip.open(corpus / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                title = row.get("title") or ""
                text = title if part == "local" else f"{title}\n{(row.get('text') or '')[:NATIONAL_TEXT_CHARS]}"
                source = row["label_source"]
                out.append(Example(id=row["id"], part=part, text=text,
                                   labels=reconcile(title, row.get("labels") or [], source), source=source,
                                   unsure=bool(row.get("unsure")), split=row["split"],
                                   weight=SOURCE_WEIGHT.get(source, 0.5) * (0.5 if row.get("unsure") else 1.0)))
    return out


def honest_dev(examples: list[Example]) -> list[Example]:
    """The yardstick: annotated, not-unsure rows of the dev split."""
    return [e for e in examples if e.split == "dev" and e.source == "annotated" and not e.unsure]
