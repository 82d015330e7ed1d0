"""The committed real-document corpus (corpus/documents.jsonl.gz): its shape, its labels, and that nothing in it
comes from a source reserved for evaluation."""

from __future__ import annotations

import gzip
import importlib.util
import json
from collections import Counter

from pipeline.criteria import IDS, TYPES
from pipeline.training.realdocs import REAL_CORPUS, load_corpus, sources

from .conftest import ROOT, shared_path


def _rows() -> list[dict]:
    with gzip.open(REAL_CORPUS, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _script():
    spec = importlib.util.spec_from_file_location("real_corpus", ROOT / "scripts" / "real_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_has_enough_documents_from_enough_sources_none_dominating():
    rows = _rows()
    per = Counter(r["source_repository"] for r in rows)
    assert len(rows) >= 400 and len(per) >= 25
    assert max(per.values()) <= len(rows) / 10
    assert len({r["sha256"] for r in rows}) == len(rows)  # each content once


def test_every_label_is_a_reading_of_the_guideline():
    for r in _rows():
        assert set(r["criteria"]) <= set(IDS) and set(r["types"]) <= set(TYPES)
        assert all(isinstance(y, int) and 1945 <= y <= 2030 for y in r["years"])
        assert len(r["readers"]) >= 2 and r["decided_by"] in ("agreement", *r["readers"])
        assert r["text"].strip() and r["commit"] and r["source_path"]


def test_every_source_has_a_region():
    known = sources()
    missing = sorted({d.source for d in load_corpus()} - set(known))
    assert not missing, f"corpus/sources.json lacks {missing}"


def test_nothing_in_the_corpus_is_reserved_for_evaluation():
    shared_path("testdata", "reserved-sources.txt")  # skipped, saying so, where ../shared is absent
    assert _script().check() == []


def test_the_check_finds_a_reserved_repository_and_file(tmp_path):
    """The check itself can fail: a corpus holding a reserved repository's file is refused."""
    reserved = shared_path("testdata", "reserved-sources.txt")
    module = _script()
    repos, files = module.reserved_lists(reserved)
    row = dict(_rows()[0], id="x", sha256=next(iter(files)))
    bad = tmp_path / "bad.jsonl.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    assert module.check(bad) == ["x: the file is reserved for evaluation"]
    assert repos and all(len(h) == 64 for h in repos)
