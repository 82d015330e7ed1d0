"""Revision 4: a document can be evidence of more than one type. document_facts gets `evidence_types`, the JSON
list of every type the rules found (its own kind first, e.g. ["proses", "hasil"] for a service report that states
the coverage it reached); `evidence_type` stays the document's own kind. Existing rows get their one type, so a
ledger reads as before until the rules describe its documents again.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document_facts", sa.Column("evidence_types", sa.Text))
    # '["proses"]' from 'proses': the same SQL on SQLite and PostgreSQL.
    op.execute("UPDATE document_facts SET evidence_types = '[\"' || evidence_type || '\"]'")


def downgrade() -> None:
    with op.batch_alter_table("document_facts") as batch:
        batch.drop_column("evidence_types")
