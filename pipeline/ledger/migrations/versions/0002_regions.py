"""Revision 2: regions. files, file_history and reviews get `region` ("" for a single-region inbox, so every
existing row keeps meaning what it meant), and the indexes the queries by region and by content need.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("files", "file_history", "reviews")


def upgrade() -> None:
    for table in TABLES:
        # NOT NULL with a server default: SQLite can add it in place, and old rows get "".
        op.add_column(table, sa.Column("region", sa.String(128), nullable=False, server_default=""))
    op.create_index("ix_files_region_present", "files", ["region", "present"])
    op.create_index("ix_files_sha256", "files", ["sha256"])
    op.create_index("ix_file_history_region", "file_history", ["region"])
    op.create_index("ix_reviews_region_sha256", "reviews", ["region", "sha256"])


def downgrade() -> None:
    op.drop_index("ix_reviews_region_sha256", "reviews")
    op.drop_index("ix_file_history_region", "file_history")
    op.drop_index("ix_files_sha256", "files")
    op.drop_index("ix_files_region_present", "files")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("region")
