"""One pass at a time per ledger, tested with real processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.ledger.runlock import PassInProgress, pass_lock

HOLD = """
import sys, time
from pathlib import Path
from pipeline.ledger.runlock import pass_lock
with pass_lock(sys.argv[1], Path(sys.argv[2])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def _holder(url: str, home: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, url, str(home), str(seconds)], stdout=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parent.parent)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_pass_on_the_same_ledger_stops_at_once_naming_the_first(tmp_path):
    url = f"sqlite:///{tmp_path / 'bukti.sqlite3'}"
    holder = _holder(url, tmp_path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(PassInProgress, match=f"pid {holder.pid}"):
            with pass_lock(url, tmp_path):
                pass
        assert time.monotonic() - started < 2
    finally:
        holder.kill()
        holder.wait()
    with pass_lock(url, tmp_path):  # a killed holder leaves no stale lock
        pass


def test_two_ledgers_do_not_block_each_other(tmp_path):
    holder = _holder(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path, 30)
    try:
        with pass_lock(f"sqlite:///{tmp_path / 'b.sqlite3'}", tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_bukti_run_refuses_while_another_pass_runs(tmp_path, cli_env):
    url = cli_env.database_url
    cli_env.home.mkdir(parents=True, exist_ok=True)
    holder = _holder(url, cli_env.home, 60)
    try:
        run = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--no-prefect"], capture_output=True,
                             text=True, cwd=Path(__file__).resolve().parent.parent, timeout=120)
        assert run.returncode == 3, run.stderr
        assert "Another bukti pass is running" in run.stderr
    finally:
        holder.kill()
        holder.wait()


def test_postgresql_lock_holds_across_processes(pg_url, tmp_path):
    """Two machines share one PostgreSQL ledger: the advisory lock lives in the server, not on a disk."""
    holder = _holder(pg_url, tmp_path / "machine-a", 30)
    try:
        with pytest.raises(PassInProgress, match="PostgreSQL"):
            with pass_lock(pg_url, tmp_path / "machine-b"):
                pass
    finally:
        holder.kill()
        holder.wait()
    with pass_lock(pg_url, tmp_path / "machine-b"):  # the server released it when the connection died
        pass
