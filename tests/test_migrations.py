"""The ledger's schema by Alembic, on SQLite and PostgreSQL: a new ledger is created at the head revision and
matches the code's tables; a ledger made before migrations (commit 84ee3d0) is upgraded with a message and keeps
its data; a ledger newer than the code is refused untouched; two processes opening a new ledger at once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from pipeline.ledger import migrate
from pipeline.ledger.ledger import Ledger
from pipeline.ledger.schema import metadata

from .conftest import ROOT
from .ledger_processes import run_together

SHA = "a" * 64
FIXTURES = ROOT / "tests" / "fixtures"


def _load_sql(url: str, path) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for statement in path.read_text().split(";\n"):
            lines = [line for line in statement.splitlines() if not line.startswith("--")]
            if "".join(lines).strip():
                conn.exec_driver_sql("\n".join(lines))
    engine.dispose()


def _old_ledger(url: str) -> None:
    dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
    _load_sql(url, FIXTURES / f"ledger-84ee3d0.{dialect}.sql")


def _state(url: str) -> tuple[str | None, list]:
    """(revision, differences between the database and the code's tables)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        out = migrate.current_revision(conn), compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    return out


def test_the_head_the_code_opens_without_alembic_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    assert migrate.HEAD == ScriptDirectory.from_config(config).get_current_head()


def test_opening_a_current_ledger_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'l.sqlite3'}"
    Ledger(url).close()
    code = (f"import sys; from pipeline.ledger.ledger import Ledger; Ledger({url!r}).close(); "
            "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_new_ledger_is_created_at_head_and_matches_the_tables(ledger_url, caplog):
    with caplog.at_level(logging.WARNING):
        Ledger(ledger_url).close()
    assert _state(ledger_url) == (migrate.head_revision(), [])
    assert not caplog.records  # creating is not upgrading: nothing to warn about


def test_a_ledger_from_before_migrations_is_upgraded_with_a_message(ledger_url, caplog):
    _old_ledger(ledger_url)
    with caplog.at_level(logging.WARNING):
        ledger = Ledger(ledger_url)
    try:
        assert [r.getMessage() for r in caplog.records] == [
            f"buku besar ditingkatkan dari revisi {migrate.PRE_ALEMBIC} ke {int(migrate.head_revision())} / "
            f"ledger upgraded from revision {migrate.PRE_ALEMBIC} to {int(migrate.head_revision())}"]
        assert caplog.records[0].levelno == logging.WARNING
        # Its data are kept, and mean what they meant: one region (""), the coordinator's drop still holds.
        [entry] = ledger.entries()
        assert (entry.path, entry.region, entry.status, entry.override) == ("dinkes/imunisasi.pdf", "", "processed",
                                                                           "drop")
        assert ledger.evidence_rows() == []
        assert [r.region for r in ledger.reviews_of(SHA)] == [""]
    finally:
        ledger.close()
    assert _state(ledger_url) == (migrate.head_revision(), [])
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        Ledger(ledger_url).close()  # a second open finds nothing to do
    assert not caplog.records


def test_an_old_ledger_missing_tables_and_columns_reaches_revision_1(tmp_path):
    url = f"sqlite:///{tmp_path / 'lama.sqlite3'}"
    _load_sql(url, FIXTURES / "ledger-first-release.sqlite.sql")
    Ledger(url).close()
    assert _state(url) == (migrate.head_revision(), [])


def test_a_ledger_newer_than_the_code_is_refused_untouched(ledger_url):
    Ledger(ledger_url).close()
    engine = sa.create_engine(ledger_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f00d'"))
        conn.execute(sa.text("DROP TABLE meta"))  # a table a later revision might have dropped
    with pytest.raises(migrate.LedgerTooNew, match="newer than this bukti knows"):
        Ledger(ledger_url)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == "f00d"
        assert "meta" not in sa.inspect(conn).get_table_names()  # nothing was created or changed
    engine.dispose()


def test_revision_2_adds_regions_to_a_revision_1_ledger(ledger_url):
    engine = sa.create_engine(ledger_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        from alembic import command

        command.upgrade(migrate._config(conn), "0001")
        conn.execute(sa.text("INSERT INTO files (path, opd, size, mtime_ns, present, first_seen, last_seen) "
                             "VALUES ('dinkes/a.pdf', 'dinkes', 1, 1, TRUE, '2026-01-01', '2026-01-01')"))
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0002")
        assert conn.execute(sa.text("SELECT region FROM files")).scalar_one() == ""
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("files")}
        assert {"ix_files_region_present", "ix_files_sha256"} <= indexes
    engine.dispose()


def test_revision_4_gives_each_described_document_its_one_type(ledger_url):
    engine = sa.create_engine(ledger_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        from alembic import command

        command.upgrade(migrate._config(conn), "0003")
        conn.execute(sa.text("INSERT INTO documents (sha256, kind, size, status, created_at) "
                             f"VALUES ('{SHA}', 'pdf', 1, 'processed', '2026-01-01')"))
        conn.execute(sa.text("INSERT INTO document_facts (sha256, evidence_type, type_reason, years, rules_version) "
                             f"VALUES ('{SHA}', 'hasil', 'x', '[2025]', '2')"))
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0004")
        assert conn.execute(sa.text("SELECT evidence_types FROM document_facts")).scalar_one() == '["hasil"]'
        command.downgrade(migrate._config(conn), "0003")
        columns = {c["name"] for c in sa.inspect(conn).get_columns("document_facts")}
        assert "evidence_types" not in columns and "evidence_type" in columns
    engine.dispose()


def test_two_processes_opening_a_new_ledger_at_once(ledger_url, tmp_path):
    results = run_together(tmp_path, ledger_url, "from pipeline.ledger.ledger import Ledger", """
Ledger(url).close()
print(json.dumps("ok"))
""", [0, 1, 2])
    assert results == ["ok", "ok", "ok"]
    assert _state(ledger_url) == (migrate.head_revision(), [])


def test_the_command_line_says_on_stderr_that_it_upgraded_the_ledger(tmp_path):
    url = f"sqlite:///{tmp_path / 'lama.sqlite3'}"
    _old_ledger(url)
    (tmp_path / "inbox").mkdir()
    env = {**os.environ, "BUKTI_HOME": str(tmp_path / "home"), "BUKTI_INBOX": str(tmp_path / "inbox"),
           "BUKTI_DB_URL": url}
    done = subprocess.run([sys.executable, "-m", "flows.cli", "documents", "--format", "json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ledger upgraded from revision 1 (tanpa migrasi / pre-migration) to 5" in done.stderr
    assert "dinkes/imunisasi.pdf" in done.stdout
