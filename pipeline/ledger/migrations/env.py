"""Alembic's environment for the ledger: always run from `pipeline.ledger.migrate` with the ledger's own
connection (config.attributes["connection"]), never from a command line or an alembic.ini, so that migrations work
from an installed wheel against whatever BUKTI_DB_URL names."""

from __future__ import annotations

from alembic import context

from pipeline.ledger.schema import metadata

connection = context.config.attributes["connection"]
# render_as_batch: SQLite cannot ALTER most things in place; batch mode copies the table where it must.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
