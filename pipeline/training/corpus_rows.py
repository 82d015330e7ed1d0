"""The corpus's hand-annotated training rows as the second stage reads them.

Real documents are few (about six hundred) and hold no positive for three criteria (bantuan_hukum, pekerjaan,
keberagaman_pluralisme: public repositories lack them, corpus/README.md). The corpus's annotated rows (national
full texts and local titles, labelled under the same guideline) fill that gap: the second stage also learns
from them, read by the first stage *out of fold* (the 3-fold cross-validation `bukti train` runs anyway), so
that what it learns of a view is what the view does on a text it never saw. Region-held-out, they raised
macro-F1 from 0.63 to 0.73 and precision from 0.78 to 0.82 (README); without them the corpus's own dev figures
fell (0.959 to 0.887).

They are never held out and never choose a threshold (pipeline/training/stacking.py `Rows`). `bukti eval --real`
needs the same rows as `bukti train`: they are cached under BUKTI_HOME/eval, keyed by the corpus's hashes and the
rule files and the training code, as numbers and the rows' normalised text (the user's own cache, never the project).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from pipeline.classify.stack import Readings, kind_group
from pipeline.training.stacking import Rows

# What one corpus row weighs in the second stage against one real document, chosen region-held-out among 0.3, 1,
# 3, 6 and 12 (README): 3 had the best macro-F1 and precision; heavier, recall fell.
CORPUS_ROW_WEIGHT = 3.0
_ARRAYS = ("text", "opening", "title", "has_title", "instrument", "real", "named", "vetoed")


def corpus_rows(texts, normalized, titles, Y, oof_text, oof_opening, oof_title, trusted) -> Rows:
    """Rows from `bukti train`'s cross-validation: `texts` the rows' raw text, `normalized` as the model reads
    it, `titles` their normalised title blocks, the three views' out-of-fold probabilities; only the `trusted`
    rows (annotated, not unsure)."""
    from pipeline.classify.guideline import named_subjects, none_subject
    from pipeline.classify.model import kind_of
    from pipeline.classify.titleblock import title_block
    from pipeline.criteria import IDS

    idx = np.flatnonzero(trusted)
    blocks = [title_block(texts[i]) for i in idx]
    has_title = np.array([bool(titles[i]) for i in idx], dtype=bool)  # as CriteriaModel.views reads a title
    readings = Readings(
        oof_text[idx], oof_opening[idx], oof_title[idx] * has_title[:, None], has_title,
        np.array([b.source == "tentang" for b in blocks], dtype=bool), np.zeros((len(idx), len(IDS) + 1)),
        tuple(kind_group(kind_of(texts[i]), b.text) for i, b in zip(idx, blocks)),
        np.array([[c in (named_subjects(b.subject) if b.source != "none" else {}) for c in IDS] for b in blocks],
                 dtype=bool).reshape(-1, len(IDS)),
        np.array([bool(none_subject(b.subject)) for b in blocks], dtype=bool))
    return Rows(readings, [normalized[i] for i in idx], np.asarray(Y)[idx].astype(np.int8), CORPUS_ROW_WEIGHT)


def cache_key(corpus_sha256: dict) -> str:
    """The corpus, the decision rules and the training code the rows come from: any change reads them again."""
    from pipeline.classify.judgement_version import rules_fingerprint

    here = Path(__file__).resolve().parent
    code = b"".join((here / name).read_bytes() for name in ("train.py", "corpus.py", "corpus_rows.py"))
    blob = json.dumps([corpus_sha256, rules_fingerprint(), hashlib.sha256(code).hexdigest()], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def save_rows(rows: Rows, folder: Path, key: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    r = rows.readings
    np.savez_compressed(folder / f"corpus-rows-{key}.npz", Y=rows.Y,
                        **{name: getattr(r, name) for name in _ARRAYS})
    (folder / f"corpus-rows-{key}.json").write_text(
        json.dumps({"kinds": list(r.kinds), "normalized": rows.normalized, "weight": rows.weight},
                   ensure_ascii=False), encoding="utf-8")
    return folder / f"corpus-rows-{key}.npz"


def load_rows(folder: Path, key: str) -> Rows | None:
    arrays, meta = folder / f"corpus-rows-{key}.npz", folder / f"corpus-rows-{key}.json"
    if not (arrays.is_file() and meta.is_file()):
        return None
    with np.load(arrays, allow_pickle=False) as data:  # numbers only: a cache must not be able to run code
        values = {name: data[name] for name in _ARRAYS}
        Y = data["Y"]
    info = json.loads(meta.read_text(encoding="utf-8"))
    readings = Readings(values["text"], values["opening"], values["title"], values["has_title"],
                        values["instrument"], values["real"], tuple(info["kinds"]), values["named"],
                        values["vetoed"])
    return Rows(readings, info["normalized"], Y, float(info["weight"]))


def rows_for(home: Path, corpus: Path, progress=None) -> Rows:
    """The corpus rows `bukti train` learnt from: from the cache under `home`/eval, or read again (the first
    stage's 3-fold cross-validation on the train split: about three minutes on two cores)."""
    from pipeline.training.corpus import corpus_hashes, load_examples
    from pipeline.training.train import cross_validate

    key = cache_key(corpus_hashes(corpus))
    cached = load_rows(home / "eval", key)
    if cached is not None:
        return cached
    if progress:
        progress("reading the corpus's annotated rows out of fold (first time only: a few minutes)")
    train = [e for e in load_examples(corpus) if e.split == "train"]
    rows = cross_validate(train, progress or (lambda _: None)).rows()
    save_rows(rows, home / "eval", key)
    return rows
