"""`bukti doctor`: is this machine ready for tonight's pass? Each check says what is wrong and what to do."""

from __future__ import annotations

import os
from contextlib import closing
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings, sqlite_file

MIN_FREE_BYTES = 2_000_000_000  # a first pass archives every original and writes a ledger beside it


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_tesseract(settings: Settings) -> Check:
    import pytesseract

    try:
        version = pytesseract.get_tesseract_version()
        languages = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        return Check("tesseract", False, f"Tesseract cannot be run ({exc})",
                     "apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng tesseract-ocr-osd")
    wanted = set(settings.ocr_languages.split("+")) | {"osd"}
    missing = sorted(wanted - languages)
    if missing:
        return Check("tesseract", False, f"Tesseract {version} lacks language data: {', '.join(missing)}",
                     "apt-get install " + " ".join(f"tesseract-ocr-{m}" for m in missing))
    found = f"Tesseract {version}, languages {', '.join(sorted(wanted))}"
    from pipeline.extract import engine

    try:  # the engine the pass will use (BUKTI_OCR_ENGINE; a Dask worker goes by its own environment)
        chosen = engine.current()
        if isinstance(chosen, engine.LibraryEngine):
            chosen.load(settings.ocr_languages)
        in_use = chosen.describe()
    except ValueError as exc:
        return Check("tesseract", False, f"{found}; {exc}",
                     f"set {engine.ENV} to one of {', '.join(engine.CHOICES)}, or unset it (auto)")
    except RuntimeError as exc:  # EngineUnavailable, or tesserocr refusing the language data
        return Check("tesseract", False, f"{found}; {engine.ENV}={engine.choice()} but tesserocr cannot be used: "
                     f"{exc}", f"`bash scripts/setup.sh` installs tesserocr (a dependency of bukti), or set "
                     f"{engine.ENV}=command to call the tesseract command instead (slower)")
    return Check("tesseract", True, f"{found}; OCR engine: {in_use}")


def _sqlite_path(settings: Settings) -> Path | None:
    return sqlite_file(settings.database_url)


def check_ledger(settings: Settings) -> Check:
    path = _sqlite_path(settings)
    if path is None:
        from pipeline.ledger.ledger import Ledger

        try:
            Ledger(settings.database_url).close()
        except Exception as exc:  # any driver error: the message is what the user needs
            return Check("ledger", False, f"cannot open {settings.database_url.split('@')[-1]}: {exc}",
                         "check BUKTI_DB_URL, the server and the credentials")
        return Check("ledger", True, f"{settings.database_url.split('@')[-1]} opens")
    if not path.exists():
        return Check("ledger", True, f"no ledger yet at {path}; the first pass creates it")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        return Check("ledger", False, f"{path} cannot be read: {exc}", "restore it with `bukti restore BACKUP`")
    if result != "ok":
        return Check("ledger", False, f"{path} is damaged: {result}", "restore it with `bukti restore BACKUP`")
    from pipeline.ledger.ledger import metadata

    return _schema_check(path, tables, metadata)


def _schema_check(path: Path, tables: set[str], metadata) -> Check:
    """The ledger's Alembic revision against this code's: older is fine (upgraded when next opened, with a
    message), newer is not (a newer bukti wrote it; this one would not understand it)."""
    from pipeline.ledger.migrate import head_revision, is_known

    head = head_revision()
    revision = None
    if "alembic_version" in tables:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    if revision is not None and not is_known(revision):
        return Check("ledger", False, f"{path} is at schema revision {revision}, newer than this bukti ({head})",
                     "upgrade bukti on this machine, or restore a backup made by this version")
    missing = sorted(set(metadata.tables) - tables)
    if revision != head or missing:
        where = f"revision {revision}" if revision else "made before migrations"
        return Check("ledger", True, f"{path}: integrity ok, schema {where}; the next `bukti` command upgrades it "
                     f"to {head}")
    return Check("ledger", True, f"{path}: integrity ok, schema revision {head}, {len(tables)} tables")


def check_model(settings: Settings) -> Check:
    from pipeline.classify.persist import ModelError, load_model

    try:
        model = load_model(settings.model_dir, settings.trust_file)
    except ModelError as exc:
        return Check("model", False, str(exc), "`bukti train`, or `bukti model trust DIR` for a model you know")
    return Check("model", True, f"{model.version} loads and is trusted")


def check_disk(settings: Settings) -> Check:
    target = settings.home if settings.home.exists() else settings.home.parent
    free = shutil.disk_usage(target).free
    if free < MIN_FREE_BYTES:
        return Check("disk", False, f"only {free / 1e9:.1f} GB free under {target}",
                     f"free at least {MIN_FREE_BYTES / 1e9:.0f} GB, or point BUKTI_HOME at a larger disk")
    return Check("disk", True, f"{free / 1e9:.1f} GB free under {target}")


def check_inbox(settings: Settings) -> Check:
    inbox = settings.inbox
    if not inbox.is_dir():
        return Check("inbox", False, f"{inbox} does not exist or is not a folder",
                     "mount the share or set BUKTI_INBOX to the folder OPD staff fill")
    if not os.access(inbox, os.R_OK | os.X_OK):
        return Check("inbox", False, f"{inbox} cannot be read by this user", "give this user read access")
    entries = sum(1 for _ in zip(inbox.iterdir(), range(10_000)))
    path = _sqlite_path(settings)
    if entries == 0 and path is not None and path.exists():
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
                known = conn.execute("SELECT count(*) FROM files WHERE present").fetchone()[0]
        except sqlite3.DatabaseError:
            known = 0  # the ledger check reports an unreadable ledger; here only the inbox is judged
        if known:
            return Check("inbox", False, f"{inbox} is empty but the last pass saw {known} files there",
                         "is the share mounted? Mount it before tonight's pass")
    return Check("inbox", True, f"{inbox} is readable ({entries} entries at the top)")


CHECKS = (check_tesseract, check_ledger, check_model, check_disk, check_inbox)


def run_checks(settings: Settings) -> list[Check]:
    return [check(settings) for check in CHECKS]
