"""`bukti eval --real`: scores on a labelled folder of real documents, read as the nightly run reads them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.criteria import IDS
from pipeline.training.evaluate_real import RealCase, RealSetError, evaluate_cases, load_cases, read_texts

from .conftest import ROOT, shared_path


def _folder(tmp_path: Path, rows: list[tuple[str, str, list[str], bool]]) -> Path:
    folder = tmp_path / "real"
    lines = []
    for path, text, criteria, unsure in rows:
        target = folder / "inbox" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        lines.append(json.dumps({"path": path, "criteria": criteria, "unsure": unsure}))
    (folder / "expected.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _decide_by_word(texts):
    """A stand-in classifier: a text is evidence for a criterion when it names the criterion's id."""
    return np.array([[cid in t for cid in IDS] for t in texts])


def test_scores_count_errors_and_leave_unsure_rows_out():
    cases = [RealCase("a.txt", ("kesehatan",), False), RealCase("b.txt", (), False),
             RealCase("c.txt", ("pendidikan",), False), RealCase("d.txt", ("informasi",), True)]
    texts = {"a.txt": "kesehatan", "b.txt": "pekerjaan", "c.txt": "nothing", "d.txt": "nothing"}
    result = evaluate_cases(cases, texts, _decide_by_word)
    assert result["rows"] == 3 and result["unsure_rows_left_out"] == 1
    assert result["precision"] == 0.5 and result["recall"] == 0.5  # 1 of 2 predicted, 1 of 2 expected
    assert result["false_evidence_documents"] == 1 and result["none_rows"] == 1
    assert result["criteria"]["kesehatan"]["f1"] == 1.0 and result["criteria"]["pendidikan"]["recall"] == 0.0
    assert {e["path"] for e in result["errors"]} == {"b.txt", "c.txt"}


def test_unread_file_counts_as_no_criterion():
    result = evaluate_cases([RealCase("gone.pdf", ("kesehatan",), False)], {}, _decide_by_word)
    assert result["unread"] == ["gone.pdf"] and result["recall"] == 0.0


def test_texts_are_read_by_the_pipeline_and_cached(tmp_path, settings):
    folder = _folder(tmp_path, [("dinkes/a.txt", "laporan kesehatan", ["kesehatan"], False),
                                ("bapenda/b.txt", "pajak hotel", [], False)])
    texts = read_texts(settings, folder)
    assert texts == {"dinkes/a.txt": "laporan kesehatan", "bapenda/b.txt": "pajak hotel"}
    cached = list((settings.home / "eval").iterdir())
    assert len(cached) == 1 and (cached[0] / "bukti.sqlite3").exists()
    assert read_texts(settings, folder) == texts  # second time from the cache ledger


def test_a_folder_without_labels_is_refused(tmp_path):
    with pytest.raises(RealSetError):
        load_cases(tmp_path)
    folder = _folder(tmp_path, [("x.txt", "x", ["hak_asasi"], False)])
    with pytest.raises(RealSetError, match="unknown criteria"):
        load_cases(folder)


@pytest.mark.slow
def test_eval_real_command_end_to_end(tmp_path, cli_env, capsys, monkeypatch):
    from flows.cli import main

    shared_path("corpus")
    # The corpus rows the second stage learns from are read once per corpus (minutes); tests share that cache
    # with test_corpus.py's rebuild.
    monkeypatch.setenv("BUKTI_HOME", str(ROOT / "test-output" / "rebuild"))
    folder = _folder(tmp_path, [
        ("dinkes/laporan.txt", "LAPORAN PELAKSANAAN IMUNISASI DASAR LENGKAP TAHUN 2025\nCakupan imunisasi "
         "balita di puskesmas mencapai 96 persen.", ["kesehatan"], False),
        ("bapenda/pajak.txt", "PERATURAN BUPATI SUKAMAJU\nNOMOR 3 TAHUN 2025\nTENTANG\nPAJAK HOTEL DAN RESTORAN\n"
         "DENGAN RAHMAT TUHAN YANG MAHA ESA", [], False)])
    assert main(["eval", "--real", str(folder), "--format", "json", "--folds", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    # The folder's two documents are judged with the committed corpus, region-held-out: the folder is a
    # region of its own, so nothing of it was learnt when it is judged.
    assert report["cases"] == 2 and report["folder"]["rows"] == 2 and report["folds"] == 2
    assert report["all"]["rows"] == report["folder"]["rows"] + report["corpus"]["rows"] > 400
    assert 0 < report["all"]["macro_f1"] <= 1 and "first_stage_rule" in report and report["corpus_rows"] > 1000
    assert all(e["path"] in ("dinkes/laporan.txt", "bapenda/pajak.txt") for e in report["errors"])


def test_shared_real_set_has_its_labels():
    folder = shared_path("testdata", "real")
    cases = load_cases(folder)
    assert len(cases) >= 50 and all((folder / "inbox" / c.path).exists() for c in cases)
