"""Revision 1: the ledger as it was before migrations (documents, files, file_history, pages, classifications,
document_facts, reviews, meta).

Revision ID: 0001
"""

from __future__ import annotations

from alembic import op

from pipeline.ledger import schema_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The frozen revision-1 tables (schema_v1), not today's: a later change must never alter what revision 1 made.
    schema_v1.metadata.create_all(op.get_bind())


def downgrade() -> None:
    schema_v1.metadata.drop_all(op.get_bind())
