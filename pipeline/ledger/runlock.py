"""One pass at a time per ledger.

Two passes over one ledger (the nightly schedule and a hand-started `bukti run`) would read every new document
twice and race on its row. A pass therefore holds a lock for its whole length, and a second one stops at once
with a message naming the first. With SQLite the lock is an OS file lock beside the database (released by the
kernel if the process dies, so a killed run never leaves a stale lock); with PostgreSQL it is a session-level
advisory lock in the server, which holds across machines and is released when the connection ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import sqlite_file
from pipeline.errors import BuktiError

# pg_advisory_lock takes a bigint: "bukti" in ASCII, so other applications' keys are unlikely to collide.
ADVISORY_KEY = int.from_bytes(b"bukti", "big")


class PassInProgress(BuktiError, RuntimeError):
    """Another pass holds the ledger; the message says who and since when."""

    exit_code = 3


def _holder() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()} since {dt.datetime.now().isoformat(timespec='seconds')}"


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 300, 0).decode("utf-8", "replace").strip() or "another process"
            raise PassInProgress(
                f"Proses lain sedang berjalan pada ledger ini ({holder}); coba lagi setelah selesai. / "
                f"Another bukti pass is running on this ledger ({holder}); try again when it has finished.")
        os.ftruncate(fd, 0)
        os.pwrite(fd, _holder().encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def _advisory_lock(url: str) -> Iterator[None]:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        # Autocommit: a session lock needs no transaction, and one left open for the whole pass would be cut by
        # idle_in_transaction_session_timeout (silently dropping the lock) and hold back VACUUM.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar():
                raise PassInProgress(
                    "Proses lain sedang berjalan pada ledger PostgreSQL ini (mungkin di mesin lain). / "
                    "Another bukti pass is running on this PostgreSQL ledger (perhaps on another machine).")
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
    finally:
        engine.dispose()


def pass_lock(database_url: str, home: Path):
    """Context manager held for one pass over the ledger at `database_url`."""
    if database_url.startswith("postgresql"):
        return _advisory_lock(database_url)
    ledger_file = sqlite_file(database_url)
    if ledger_file is not None:
        return _file_lock(Path(f"{ledger_file}.pass-lock"))
    return _file_lock(home / "bukti.pass-lock")
