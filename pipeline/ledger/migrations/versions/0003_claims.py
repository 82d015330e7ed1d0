"""Revision 3: document claims. A run claims a document before reading it (`claimed_by`, until `claimed_until`),
so that two runs on two machines against one ledger never read the same document twice (claims.py).

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("claimed_by", sa.String(128)))
    op.add_column("documents", sa.Column("claimed_until", sa.DateTime))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
