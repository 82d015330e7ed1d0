"""The ledger's schema is created and upgraded by Alembic, on every open, with the ledger's own engine.

The migration scripts live in the package (`migrations/`), and Alembic is driven from here with a `Config` built
in code, so no alembic.ini is needed and an installed wheel migrates itself. Three cases beyond the ordinary one:
- a ledger made before migrations (tables, no `alembic_version`) is brought to revision 1 (missing tables created,
  missing columns added, as `_add_missing_columns` used to), stamped, then upgraded;
- a ledger newer than this code (a revision it does not know) is refused and left untouched;
- two processes opening a fresh or old ledger at once: one migrates, the other waits, then finds nothing to do
  (PostgreSQL: a transaction-level advisory lock; SQLite: an OS file lock beside the database file).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from typing import TYPE_CHECKING

import sqlalchemy as sa

from pipeline.config import sqlite_file
from pipeline.ledger import schema_v1

if TYPE_CHECKING:  # Alembic is imported only when a ledger must be created or upgraded (0.3-1 s a night saved)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# Not runlock.ADVISORY_KEY: a pass holds that one for hours, and opening the ledger inside the pass must not wait.
MIGRATION_LOCK_KEY = int.from_bytes(b"bukti-mg", "big")
PRE_ALEMBIC = "1 (tanpa migrasi / pre-migration)"
# The newest revision in migrations/versions, so that opening a current ledger needs no Alembic;
# tests/test_migrations.py checks it is Alembic's head.
HEAD = "0006"


class LedgerTooNew(RuntimeError):
    """The ledger was migrated by a newer bukti; this code would misread it, so it refuses to open it."""


def _config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    return HEAD


def current_revision(conn: sa.Connection) -> str | None:
    """The ledger's revision, or None when it has no alembic_version (new, or made before migrations): read
    as Alembic stores it, without importing Alembic."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: sa.Engine) -> tuple[str, str] | None:
    """Bring the ledger at `engine` to the head revision; (from, to) when an existing ledger was upgraded, None
    when it was current or new. Raises LedgerTooNew for a revision this code does not know."""
    with engine.connect() as conn:  # the common case, without any lock or Alembic: already current
        current = current_revision(conn)
    if current == HEAD:
        return None
    scripts = _scripts()
    head = scripts.get_current_head()
    _refuse_unknown(scripts, current, head)
    if current == head:
        return None
    with _migration_lock(engine) as conn:
        return _upgrade_locked(conn, scripts, head)


def is_known(revision: str) -> bool:
    """Whether this code has a migration script for `revision` (a newer bukti's revision is unknown here)."""
    return _known(_scripts(), revision)


def _known(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises its own errors for an unknown id
        return False


def _refuse_unknown(scripts: ScriptDirectory, current: str | None, head: str) -> None:
    if current is None:
        return
    if not _known(scripts, current):
        raise LedgerTooNew(
            f"Buku besar ini berada di revisi {current}, lebih baru dari yang dikenal versi bukti ini (sampai "
            f"{head}); perbarui bukti. Buku besar tidak diubah. / This ledger is at revision {current}, newer than "
            f"this bukti knows (up to {head}); upgrade bukti. The ledger was not changed.")


def _upgrade_locked(conn: sa.Connection, scripts: ScriptDirectory, head: str) -> tuple[str, str] | None:
    from alembic import command

    current = current_revision(conn)  # again: another process may have migrated while we waited
    _refuse_unknown(scripts, current, head)
    if current == head:
        return None
    config = _config(conn)
    start: str | None = current
    if current is None and set(sa.inspect(conn).get_table_names()) & set(schema_v1.metadata.tables):
        _bring_to_revision_1(conn)
        command.stamp(config, "0001")
        start = PRE_ALEMBIC
    command.upgrade(config, "head")
    if start is None:
        log.info("buku besar dibuat pada revisi %s / ledger created at revision %s", int(head), int(head))
        return None
    shown = start if start == PRE_ALEMBIC else str(int(start))
    log.warning("buku besar ditingkatkan dari revisi %s ke %s / ledger upgraded from revision %s to %s",
                shown, int(head), shown, int(head))
    return shown, str(int(head))


def _bring_to_revision_1(conn: sa.Connection) -> None:
    """A ledger made before migrations: create the revision-1 tables it lacks and add the columns that were
    added in place over its life (all nullable), so that it is exactly revision 1."""
    schema_v1.metadata.create_all(conn)  # only the missing tables
    inspector = sa.inspect(conn)
    for table in schema_v1.metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in (c for c in table.columns if c.name not in have):
            ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {ddl}")


@contextlib.contextmanager
def _migration_lock(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection in a transaction that no other process migrating this ledger holds at the same time."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # PostgreSQL's DDL is transactional: a failed migration leaves nothing
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            yield conn
        return
    ledger_file = sqlite_file(engine.url.render_as_string(hide_password=False))
    with _file_lock(Path(f"{ledger_file}.migrate-lock") if ledger_file else None), engine.begin() as conn:
        yield conn


@contextlib.contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    if path is None:  # an in-memory database: no other process can see it
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the other process; the kernel releases it if that one dies
        yield
    finally:
        os.close(fd)
