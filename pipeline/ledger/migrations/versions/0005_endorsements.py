"""Revision 5: the endorsement stage's marks per page (pipeline/endorse/; schema.endorsements). A new table only:
an existing ledger reads as before, and its evidence documents are looked at on the next pass.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "endorsements",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), primary_key=True),
        sa.Column("page", sa.Integer, primary_key=True),
        sa.Column("mark", sa.String(16), primary_key=True),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("detector_version", sa.String(16), nullable=False),
        sa.Column("seconds", sa.Float),
    )


def downgrade() -> None:
    op.drop_table("endorsements")
