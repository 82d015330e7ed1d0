"""The command line without Prefect: shapes of `documents` and `show`, and one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from flows.cli import main
from pipeline.process import process_inbox

from .conftest import INDONESIAN
from .makers import digital_pdf

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")


@pytest.fixture
def env(cli_env):
    return cli_env


def test_documents_json_shape(env, capsys):
    digital_pdf(env.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    (env.inbox / "kosong.pdf").write_bytes(b"")
    process_inbox(env)
    assert main(["documents", "--format", "json"]) == 0
    docs = {d["path"]: d for d in json.loads(capsys.readouterr().out)}
    assert set(docs) == {"disdik/laporan.pdf", "kosong.pdf"}
    good = docs["disdik/laporan.pdf"]
    for key in ("path", "opd", "sha256", "status", "reason", "duplicate_of", "pages"):
        assert key in good
    assert good["opd"] == "disdik" and good["status"] == "processed" and len(good["sha256"]) == 64
    assert good["pages"] == [{"number": 1, "source": "text-layer", "chars": good["pages"][0]["chars"],
                              "ocr_confidence": None}]
    assert docs["kosong.pdf"]["status"] == "quarantined" and "kosong" in docs["kosong.pdf"]["reason"].lower()


def test_show_json_has_the_text(env, capsys):
    digital_pdf(env.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    process_inbox(env)
    assert main(["show", "disdik/laporan.pdf", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert "wajib belajar dua belas tahun" in shown["text"]
    assert main(["show", str(env.inbox / "disdik" / "laporan.pdf")]) == 0  # a real path works too
    assert capsys.readouterr().out.startswith("# disdik/laporan.pdf")


def test_run_lists_documents_only_when_something_is_new_or_wrong(env, capsys):
    digital_pdf(env.inbox / "disdik" / "laporan.pdf", INDONESIAN)
    table = "documents in the inbox"
    assert main(["run", "--no-prefect"]) == 0
    assert table in capsys.readouterr().out  # the first run lists what it read
    assert main(["run", "--no-prefect"]) == 0
    quiet = capsys.readouterr().out
    assert table not in quiet and "nothing new or wrong; all 1 files: bukti documents" in quiet
    (env.inbox / "kosong.pdf").write_bytes(b"")
    assert main(["run", "--no-prefect"]) == 0
    assert table in capsys.readouterr().out
    assert main(["run", "--no-prefect"]) == 0
    listed = capsys.readouterr().out  # a quarantined file is listed every night until it is dealt with
    assert table in listed and "kosong.pdf" in listed


def test_errors_are_one_sentence_without_traceback(env, tmp_path):
    cmd = [sys.executable, "-m", "flows.cli"]
    for args in (["show", "tidak-ada.pdf"], ["run", "--no-prefect", "--inbox", str(tmp_path / "nope")]):
        result = subprocess.run(cmd + args, capture_output=True, text=True, env={**_env(env)})
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_invalid_setting_is_reported_not_raised(env, monkeypatch, capsys):
    monkeypatch.setenv("BUKTI_OCR_WORKERS", "dua")
    assert main(["documents"]) == 2
    assert "ocr_workers" in capsys.readouterr().err


def _env(settings):
    import os
    return {**os.environ, "BUKTI_HOME": str(settings.home), "BUKTI_INBOX": str(settings.inbox)}
