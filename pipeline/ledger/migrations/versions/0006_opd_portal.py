"""Revision 6: the OPD upload page (issue 16). `opd_links`: one secret link per OPD, only the sha256 of its token
stored (a stolen ledger or backup opens no upload page), revocable. `uploads`: the audit log of every file an OPD
sent through its page (who, when, what name, what content, from where, for which request) and which later upload
superseded it. `notices`: the e-mails sent, by recipient and the state they told of, so that the same state is
never mailed twice.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opd_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(128), nullable=False, server_default=""),
        sa.Column("opd", sa.String(128), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(128), nullable=False, server_default=""),
        sa.Column("opd", sa.String(128), nullable=False),
        sa.Column("link_id", sa.Integer, sa.ForeignKey("opd_links.id"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("criterion", sa.String(32)),
        sa.Column("evidence_type", sa.String(16)),
        sa.Column("superseded_by", sa.Integer),
    )
    op.create_index("ix_uploads_region_opd", "uploads", ["region", "opd"])
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(256), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("recipient", "state", name="uq_notices_recipient_state"),
    )


def downgrade() -> None:
    op.drop_table("notices")
    op.drop_index("ix_uploads_region_opd", "uploads")
    op.drop_table("uploads")
    op.drop_table("opd_links")
