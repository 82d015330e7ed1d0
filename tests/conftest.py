from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from pipeline.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BUKTI_SHARED", ROOT.parent / "shared"))

INDONESIAN = (
    "PEMERINTAH KOTA SUKAMAJU\nDINAS PENDIDIKAN\n\n"
    "Laporan pelaksanaan program wajib belajar dua belas tahun. Pada tahun 2025 sebanyak 1.240 anak "
    "usia sekolah menerima bantuan perlengkapan sekolah dan 312 guru mengikuti pelatihan pendidikan inklusif. "
    "Angka partisipasi sekolah tingkat sekolah menengah pertama mencapai 97,5 persen. Sekolah ramah anak "
    "ditetapkan di sembilan kecamatan dengan dukungan komite sekolah dan orang tua murid."
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # No request letters from the nightly pass (about 1 s per OPD): tests/test_letters.py turns them on.
    return load_settings(env={}, home=tmp_path / "home", inbox=inbox, stable_seconds=0, ocr_workers=2,
                         nightly_letters=False)


@pytest.fixture
def cli_env(settings, monkeypatch) -> Settings:
    """`settings`, also set as BUKTI_* variables for code that loads its own (the command line)."""
    monkeypatch.setenv("BUKTI_HOME", str(settings.home))
    monkeypatch.setenv("BUKTI_INBOX", str(settings.inbox))
    monkeypatch.setenv("BUKTI_STABLE_SECONDS", "0")
    monkeypatch.setenv("BUKTI_ASSESSMENT_YEAR", "2025")
    monkeypatch.setenv("BUKTI_NIGHTLY_LETTERS", "0")  # as `settings`
    return dataclasses.replace(settings, assessment_year=2025)


@pytest.fixture
def reviewed(settings) -> Settings:
    """An inbox with one health report (kesehatan, hasil) and one irrelevant invitation, processed for 2025."""
    from pipeline.process import process_inbox

    from .makers import digital_pdf

    texts = ROOT / "samples" / "texts"
    digital_pdf(settings.inbox / "dinkes" / "imunisasi.pdf", (texts / "laporan-imunisasi.txt").read_text())
    digital_pdf(settings.inbox / "bapenda" / "undangan.pdf", (texts / "undangan-rapat-pajak.txt").read_text())
    settings = dataclasses.replace(settings, assessment_year=2025)
    process_inbox(settings)
    return settings


@pytest.fixture
def keyword_classifier(monkeypatch):
    """The keyword stand-in for the model (tests/fake_classifier.py), for tests that test something else:
    `pytestmark = pytest.mark.usefixtures("keyword_classifier")`."""
    from .fake_classifier import use_keyword_model

    return use_keyword_model(monkeypatch)


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: it exists only on the project's own machines and CI (../shared)")
    return path


@pytest.fixture
def pg_url() -> str:
    """A PostgreSQL test database, emptied; scripts/test.sh starts the server and sets BUKTI_TEST_PG_URL."""
    url = os.environ.get("BUKTI_TEST_PG_URL")
    if not url:
        message = "BUKTI_TEST_PG_URL is not set: scripts/test.sh starts PostgreSQL (scripts/start-postgres.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing database is a failure, never a silent skip
        pytest.skip(message)
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    if not (engine.url.database or "").endswith("_test"):
        pytest.fail(f"refusing to empty {engine.url.database!r}: the test database's name must end in _test")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


# -- the ledger on both databases (issue 9: ledger tests run against SQLite and PostgreSQL) ---------------------

def _pg_schema_url(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema`: a PostgreSQL test gets an empty database of
    its own (tables, indexes and alembic_version included) without touching anyone else's."""
    import sqlalchemy as sa

    return sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


@pytest.fixture
def pg_schema_url() -> str:
    """A fresh, empty PostgreSQL schema on the test server (dropped afterwards), as a ledger URL."""
    import uuid

    import sqlalchemy as sa

    url = os.environ.get("BUKTI_TEST_PG_URL")
    if not url:  # as `pg_url`: a failure in CI, a skip elsewhere
        message = "BUKTI_TEST_PG_URL is not set: scripts/test.sh starts PostgreSQL (scripts/start-postgres.sh)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(url, schema)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path) -> str:
    """An empty ledger's URL: a SQLite file, then a fresh PostgreSQL schema (BUKTI_TEST_PG_URL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    return request.getfixturevalue("pg_schema_url")
