"""The ledger's tables as the code knows them now (the head of `migrations/versions`).

Changing a table here needs a migration that makes the same change to a ledger in use (tests/test_migrations.py
checks that a migrated ledger matches these tables, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # content type from magic bytes
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # pending | processed | quarantined | unsupported
    sa.Column("reason_code", sa.String(32)),
    sa.Column("reason_id", sa.Text),
    sa.Column("reason_en", sa.Text),
    sa.Column("raw_text", sa.Text),
    sa.Column("text", sa.Text),  # normalised for downstream use
    sa.Column("extractor", sa.String(32)),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("extracted_at", sa.DateTime),
    # Revision 3: a run that is reading this document, and until when its claim holds (see claims.py).
    sa.Column("claimed_by", sa.String(128)),
    sa.Column("claimed_until", sa.DateTime),
)

files = sa.Table(
    "files", metadata,
    sa.Column("path", sa.String(1024), primary_key=True),  # relative to the inbox, exactly as named
    sa.Column("opd", sa.String(128), nullable=False),
    sa.Column("sha256", sa.String(64)),  # null while the file is still being written
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("mtime_ns", sa.BigInteger, nullable=False),
    sa.Column("present", sa.Boolean, nullable=False),  # false once the file left the inbox
    sa.Column("duplicate_of", sa.String(1024)),
    sa.Column("first_seen", sa.DateTime, nullable=False),  # when this path got its current content
    sa.Column("last_seen", sa.DateTime, nullable=False),
    # Added in place to ledgers made before revision 1 (all nullable): see migrate.py.
    sa.Column("raw_name", sa.LargeBinary),  # the name's bytes when `path` is an escaped, printable form of them
    sa.Column("ctime_ns", sa.BigInteger),  # with size, mtime and inode: may the stored hash be reused?
    sa.Column("inode", sa.BigInteger),
    sa.Column("hashed_ns", sa.BigInteger),  # wall clock when the content was last read
    sa.Column("changing", sa.Boolean),  # being rewritten: sha256 is still the last settled content
    sa.Column("left_at", sa.DateTime),  # when it was first found missing from the inbox
    sa.Column("error_status", sa.String(16)),  # the file itself could not be taken in: quarantined | unsupported
    sa.Column("error_code", sa.String(32)),
    sa.Column("error_id", sa.Text),
    sa.Column("error_en", sa.Text),
    # Revision 2: the region's folder under the `region/opd` inbox layout; "" for a single-region inbox.
    sa.Column("region", sa.String(128), nullable=False, server_default=""),
)

file_history = sa.Table(
    "file_history", metadata,  # contents a path held before it was replaced under the same name
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.String(1024), nullable=False, index=True),
    sa.Column("raw_name", sa.LargeBinary),
    sa.Column("opd", sa.String(128), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("first_seen", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False),
    sa.Column("replaced_at", sa.DateTime, nullable=False),
    sa.Column("replaced_by", sa.String(64)),  # the content that took its place
    sa.Column("region", sa.String(128), nullable=False, server_default=""),  # revision 2
)

pages = sa.Table(
    "pages", metadata,
    sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),  # 1-based
    sa.Column("source", sa.String(16), nullable=False),  # text-layer | ocr
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("ocr_confidence", sa.Float),
    sa.Column("rotation", sa.Integer),  # degrees the page was turned before OCR
    sa.Column("skew", sa.Float),  # degrees of skew corrected before OCR
    sa.Column("error", sa.Text),
    sa.Column("raw_text", sa.Text, nullable=False),
)

classifications = sa.Table(
    "classifications", metadata,
    sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), primary_key=True),
    sa.Column("criterion", sa.String(32), primary_key=True),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("assigned", sa.Boolean, nullable=False),  # at or above the model's threshold
    sa.Column("model_version", sa.String(64), nullable=False),
    sa.Column("explanation", sa.Text),  # JSON: {"terms": [...], "sentences": [...]} for likely criteria
    sa.Column("classified_at", sa.DateTime, nullable=False),
)

document_facts = sa.Table(
    "document_facts", metadata,
    sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), primary_key=True),
    sa.Column("evidence_type", sa.String(16), nullable=False),  # struktur | proses | hasil: its own kind
    sa.Column("type_reason", sa.Text, nullable=False),
    sa.Column("doc_date", sa.Date),
    sa.Column("years", sa.Text, nullable=False),  # JSON list of years the document speaks about
    sa.Column("own_number_year", sa.Integer),
    sa.Column("rules_version", sa.String(16), nullable=False),
    # Revision 4: JSON list of every type it is evidence of, its own kind first (pipeline/describe/also.py).
    sa.Column("evidence_types", sa.Text),
)

reviews = sa.Table(
    "reviews", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),  # confirm | reject | criteria | type | dates | note
    sa.Column("criterion", sa.String(32)),  # for confirm / reject
    sa.Column("before", sa.Text),  # JSON
    sa.Column("after", sa.Text),  # JSON
    sa.Column("reviewer", sa.String(128), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # Revision 2: a reviewer's decision belongs to the region it was taken in ("" for a single region).
    sa.Column("region", sa.String(128), nullable=False, server_default=""),
)

# Revision 5: endorsement marks found on each looked-at page (pipeline/endorse/): one row per page and mark, its
# confidence whether present or not, the QR code's text; page 0, mark "none" for a document with no page to look
# at (an office file), so it is not looked at again. A reviewer's override is a review (action "endorsement").
endorsements = sa.Table(
    "endorsements", metadata,
    sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), primary_key=True),
    sa.Column("page", sa.Integer, primary_key=True),  # 1-based; 0: the document had no page to look at
    sa.Column("mark", sa.String(16), primary_key=True),  # stamp | signature | qr | none
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("present", sa.Boolean, nullable=False),
    sa.Column("text", sa.Text),  # the QR code's decoded text
    sa.Column("detector_version", sa.String(16), nullable=False),
    sa.Column("seconds", sa.Float),  # time spent on the page (the benchmark compares it with OCR's)
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Revision 2: what the queries by region and by content look for.
sa.Index("ix_files_region_present", files.c.region, files.c.present)
sa.Index("ix_files_sha256", files.c.sha256)
sa.Index("ix_file_history_region", file_history.c.region)
sa.Index("ix_reviews_region_sha256", reviews.c.region, reviews.c.sha256)

# Revision 5 (issue 16): the OPD upload page's links (only the token's hash), its audit log, the e-mails sent.
opd_links = sa.Table(
    "opd_links", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("region", sa.String(128), nullable=False, server_default=""),
    sa.Column("opd", sa.String(128), nullable=False),  # the OPD table's id
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("revoked_at", sa.DateTime),
)

uploads = sa.Table(
    "uploads", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("region", sa.String(128), nullable=False, server_default=""),
    sa.Column("opd", sa.String(128), nullable=False),
    sa.Column("link_id", sa.Integer, sa.ForeignKey("opd_links.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),  # the name the OPD's file had
    sa.Column("path", sa.String(1024), nullable=False),  # where it landed, relative to the inbox
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("address", sa.String(64), nullable=False),  # the client's address as the page saw it
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("criterion", sa.String(32)),  # the request it answers, when the OPD named one
    sa.Column("evidence_type", sa.String(16)),
    sa.Column("superseded_by", sa.Integer),  # a later upload for the same request
)
sa.Index("ix_uploads_region_opd", uploads.c.region, uploads.c.opd)

notices = sa.Table(
    "notices", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("recipient", sa.String(256), nullable=False),
    sa.Column("state", sa.String(64), nullable=False),  # sha256 of what the message told
    sa.Column("sent_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("recipient", "state", name="uq_notices_recipient_state"),
)
