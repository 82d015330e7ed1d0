"""The project's ledger: the source of truth for what was seen, read and decided.

Documents are keyed by the sha256 of their content, so a renamed, moved or re-sent file is recognised and never
extracted twice. Files are keyed by their path in the inbox and point at a document. SQLite by default; any
SQLAlchemy URL (PostgreSQL in production) works, since only SQLAlchemy Core is used.

Nothing submitted disappears: a path whose content is replaced keeps the old content in `file_history`
(superseded), and a file that leaves the inbox keeps its row (withdrawn, or moved when its content is still
present under another name). What counts as evidence then follows one rule (`evidence_state`, README "What counts
when files leave or change"): present content counts, withdrawn content counts until the coordinator drops it,
superseded content does not count unless the coordinator keeps it.

The schema is created and upgraded by Alembic migrations when the ledger is opened (migrate.py): an old ledger
upgrades itself with a message, a ledger newer than the code is refused.

The queries live in small modules by what they are about (files, documents, listing, evidence, judgements, reviews,
claims), joined here into one `Ledger`; the tables are in schema.py, the records handed out in records.py. Callers
import everything from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from pipeline.config import sqlite_file
from pipeline.ledger import migrate
from pipeline.ledger.claims import ClaimsMixin
from pipeline.ledger.documents import DocumentsMixin
from pipeline.ledger.evidence import EvidenceMixin
from pipeline.ledger.files import FilesMixin
from pipeline.ledger.judgements import JudgementsMixin
from pipeline.ledger.listing import ListingMixin
from pipeline.ledger.records import EVIDENCE_ACTION, EvidenceRow, EvidenceState, FileEntry, now
from pipeline.ledger.portal import PortalMixin
from pipeline.ledger.reviews import ReviewsMixin
from pipeline.ledger.schema import (classifications, document_facts, documents, file_history, files, meta,
                                    metadata, pages, reviews)

__all__ = ["Ledger", "FileEntry", "EvidenceRow", "EvidenceState", "EVIDENCE_ACTION", "now", "metadata", "meta",
           "documents", "files", "file_history", "pages", "classifications", "document_facts", "reviews"]


class Ledger(FilesMixin, DocumentsMixin, ListingMixin, EvidenceMixin, JudgementsMixin, ReviewsMixin, ClaimsMixin,
             PortalMixin):
    def __init__(self, url: str):
        ledger_file = sqlite_file(url)
        if ledger_file is not None:
            ledger_file.parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            migrate.upgrade(self.engine)  # creates a new ledger, upgrades an old one, refuses a newer one
        except BaseException:
            self.engine.dispose()
            raise

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the CLI, the review page) do not block the nightly run
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
