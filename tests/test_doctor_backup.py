"""`bukti doctor` finds what would break tonight's pass; `bukti backup` / `restore` round-trip."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import sqlite3
import sys

import pytest

from pipeline.ledger.backup import BackupError, backup, restore
from pipeline.doctor import check_inbox, check_ledger, check_model, check_tesseract, run_checks
from pipeline.ledger.ledger import Ledger


def test_doctor_passes_on_a_ready_machine(reviewed):
    checks = {c.name: c for c in run_checks(reviewed)}
    assert all(c.ok for c in checks.values()), [c for c in checks.values() if not c.ok]
    assert "integrity ok" in checks["ledger"].detail and "trusted" in checks["model"].detail


def test_doctor_names_what_to_fix(reviewed, tmp_path):
    missing_language = dataclasses.replace(reviewed, ocr_languages="ind+xyz")
    check = check_tesseract(missing_language)
    assert not check.ok and "tesseract-ocr-xyz" in check.fix
    assert not check_model(dataclasses.replace(reviewed, model_dir=tmp_path / "none")).ok
    assert not check_inbox(dataclasses.replace(reviewed, inbox=tmp_path / "unmounted")).ok
    for child in reviewed.inbox.iterdir():  # an emptied inbox that the ledger knew full: an unmounted share
        shutil.rmtree(child)
    check = check_inbox(reviewed)
    assert not check.ok and "mounted" in check.fix


def test_doctor_names_the_ocr_engine_and_fails_when_the_library_is_asked_for_but_missing(settings, monkeypatch):
    from pipeline.extract import engine

    engine.reset()
    try:
        monkeypatch.delenv(engine.ENV, raising=False)
        check = check_tesseract(settings)
        assert check.ok and "OCR engine: tesserocr" in check.detail
        monkeypatch.setitem(sys.modules, "tesserocr", None)  # import tesserocr now fails
        engine.reset()  # the engine is chosen once per process
        monkeypatch.setenv(engine.ENV, "library")
        check = check_tesseract(settings)
        assert not check.ok and "tesserocr" in check.detail
        assert "scripts/setup.sh" in check.fix and f"{engine.ENV}=command" in check.fix
        monkeypatch.setenv(engine.ENV, "auto")  # falls back to the command, and says why
        check = check_tesseract(settings)
        assert check.ok and "(command; tesserocr cannot be imported" in check.detail
        monkeypatch.setenv(engine.ENV, "fast")
        check = check_tesseract(settings)
        assert not check.ok and "auto, library, command" in check.fix
    finally:
        engine.reset()


def test_doctor_finds_a_damaged_ledger(settings):
    path = settings.home / "bukti.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    check = check_ledger(settings)
    assert not check.ok and "bukti restore" in check.fix


def test_doctor_reports_the_schema_revision_and_refuses_a_newer_ledger(settings):
    from pipeline.ledger.migrate import head_revision

    Ledger(settings.database_url).close()
    check = check_ledger(settings)
    assert check.ok and f"schema revision {head_revision()}" in check.detail
    path = settings.home / "bukti.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    check = check_ledger(settings)
    assert check.ok and "revision 0002" in check.detail and "upgrades it" in check.detail
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    check = check_ledger(settings)
    assert not check.ok and "newer" in check.detail and "upgrade bukti" in check.fix


def _state(settings):
    ledger = Ledger(settings.database_url)
    try:
        entries = [(e.path, e.sha256, e.status) for e in ledger.entries()]
        reviews = [(r.sha256, r.action, r.criterion) for r in ledger.reviews_of()]
    finally:
        ledger.close()
    originals = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in settings.originals_dir.rglob("*") if p.is_file()}
    return entries, reviews, originals


def test_backup_and_restore_round_trip(reviewed, tmp_path):
    ledger = Ledger(reviewed.database_url)
    sha = ledger.entries()[0].sha256
    ledger.add_review(sha, "reject", "tester", criterion="kesehatan")
    ledger.close()
    before = _state(reviewed)
    assert before[1] and before[2]
    archive = tmp_path / "backup.tar"
    manifest = backup(reviewed, archive)
    assert manifest["originals"] == len(before[2])

    shutil.rmtree(reviewed.home)
    restore(reviewed, archive)
    assert _state(reviewed) == before
    with pytest.raises(BackupError, match="--force"):
        restore(reviewed, archive)
    restore(reviewed, archive, force=True)
    assert _state(reviewed) == before


def test_restore_refuses_what_is_not_a_backup(settings, tmp_path):
    import tarfile

    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.add(__file__, "something.py")
    with pytest.raises(BackupError, match="not a bukti backup"):
        restore(settings, bogus)


def test_commands(reviewed, monkeypatch, tmp_path, capsys):
    from flows.cli import main

    monkeypatch.setenv("BUKTI_HOME", str(reviewed.home))
    monkeypatch.setenv("BUKTI_INBOX", str(reviewed.inbox))
    assert main(["doctor"]) == 0 and "ready" in capsys.readouterr().out
    assert main(["backup", "-o", str(tmp_path / "b.tar")]) == 0
    assert main(["restore", str(tmp_path / "b.tar")]) == 2  # the ledger exists: refused without --force
    assert "--force" in capsys.readouterr().err
    monkeypatch.setenv("BUKTI_INBOX", str(tmp_path / "gone"))
    assert main(["doctor"]) == 1 and "FAIL inbox" in capsys.readouterr().out
