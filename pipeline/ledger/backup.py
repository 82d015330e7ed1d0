"""`bukti backup` / `bukti restore`: the ledger (with reviewers' decisions), the archived originals and the local
model trust list, as one tar file. Taken under the pass lock, so the ledger and the archive agree."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from pipeline.config import Settings, sqlite_file
from pipeline.ledger.runlock import pass_lock

LEDGER_NAME = "ledger.sqlite3"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why and what to do."""


def _sqlite_file(settings: Settings) -> Path:
    path = sqlite_file(settings.database_url)
    if path is None:
        raise BackupError("the ledger is not SQLite: back it up with the database's own tools (pg_dump) and "
                          "copy the archive folder (BUKTI_HOME/originals) beside it")
    return path


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(settings: Settings, out: Path) -> dict:
    """Write the backup to `out`; returns its manifest."""
    ledger = _sqlite_file(settings)
    if not ledger.exists():
        raise BackupError(f"no ledger at {ledger}: nothing to back up yet")
    with pass_lock(settings.database_url, settings.home), tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / LEDGER_NAME
        # SQLite's online backup copies a consistent snapshot, WAL included, which a file copy would not.
        with closing(sqlite3.connect(ledger)) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)  # (sqlite3's own context manager commits but does not close)
        originals = sorted(p for p in settings.originals_dir.rglob("*") if p.is_file()) \
            if settings.originals_dir.exists() else []
        manifest = {"created": dt.datetime.now().isoformat(timespec="seconds"), "format": 1,
                    "ledger_sha256": hashlib.sha256(copy.read_bytes()).hexdigest(), "originals": len(originals)}
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(copy, LEDGER_NAME)
            for path in originals:
                tar.add(path, f"originals/{path.relative_to(settings.originals_dir).as_posix()}")
            if settings.trust_file.exists():
                tar.add(settings.trust_file, settings.trust_file.name)
    return manifest


def restore(settings: Settings, archive: Path, force: bool = False) -> dict:
    """Put a backup back under BUKTI_HOME; refuses to overwrite an existing ledger unless `force`."""
    ledger = _sqlite_file(settings)
    if ledger.exists() and not force:
        raise BackupError(f"a ledger already exists at {ledger}; pass --force to replace it with the backup")
    settings.home.mkdir(parents=True, exist_ok=True)
    with pass_lock(settings.database_url, settings.home), tarfile.open(archive) as tar, \
            tempfile.TemporaryDirectory(dir=settings.home) as tmp:
        try:
            manifest = json.loads(tar.extractfile(MANIFEST).read())
        except (KeyError, AttributeError, json.JSONDecodeError) as exc:
            raise BackupError(f"{archive} is not a bukti backup (no manifest)") from exc
        tar.extractall(tmp, filter="data")  # refuses absolute paths, "..", links out of the folder
        staged = Path(tmp)
        copy = staged / LEDGER_NAME
        if not copy.is_file() or hashlib.sha256(copy.read_bytes()).hexdigest() != manifest.get("ledger_sha256"):
            raise BackupError(f"{archive} is damaged: the ledger is missing or does not match its manifest")
        for suffix in ("-wal", "-shm"):  # a stale write-ahead log must not be replayed onto the restored file
            Path(f"{ledger}{suffix}").unlink(missing_ok=True)
        ledger.parent.mkdir(parents=True, exist_ok=True)
        (staged / LEDGER_NAME).replace(ledger)
        if (staged / "originals").exists():
            settings.originals_dir.mkdir(parents=True, exist_ok=True)
            for path in (staged / "originals").rglob("*"):
                if path.is_file():
                    target = settings.originals_dir / path.relative_to(staged / "originals")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    path.replace(target)
        trust = staged / settings.trust_file.name
        if trust.exists():
            trust.replace(settings.trust_file)
    return manifest
