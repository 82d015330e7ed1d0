"""The project's ledger: the source of truth for what was seen, read and decided.

Documents are keyed by the sha256 of their content, so a renamed, moved or re-sent file is recognised and never
extracted twice. Files are keyed by their path in the inbox and point at a document. SQLite by default; any
SQLAlchemy URL (PostgreSQL in production) works, since only SQLAlchemy Core is used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from .page import PageRecord

SCHEMA_VERSION = 1

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
    sa.Column("first_seen", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False),
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
    sa.Column("evidence_type", sa.String(16), nullable=False),  # struktur | proses | hasil
    sa.Column("type_reason", sa.Text, nullable=False),
    sa.Column("doc_date", sa.Date),
    sa.Column("years", sa.Text, nullable=False),  # JSON list of years the document speaks about
    sa.Column("own_number_year", sa.Integer),
    sa.Column("rules_version", sa.String(16), nullable=False),
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
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class FileEntry:
    """One file seen in the inbox, joined with its document: what `bukti documents` lists."""
    path: str
    opd: str
    sha256: str | None
    status: str
    reason: str | None
    reason_en: str | None
    duplicate_of: str | None
    kind: str | None
    present: bool
    pages: list[dict] = field(default_factory=list)


class Ledger:
    def __init__(self, url: str):
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
            if row is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(row.value) != SCHEMA_VERSION:
                raise RuntimeError(f"ledger schema version {row.value} is not the expected {SCHEMA_VERSION}")

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    # -- files ---------------------------------------------------------------------------------------------

    def known_files(self) -> dict[str, tuple[int, int, str | None]]:
        """path -> (size, mtime_ns, sha256) of files seen before, so unchanged files need not be hashed again."""
        with self.begin() as conn:
            rows = conn.execute(sa.select(files.c.path, files.c.size, files.c.mtime_ns, files.c.sha256))
            return {r.path: (r.size, r.mtime_ns, r.sha256) for r in rows}

    def upsert_file(self, conn: sa.Connection, *, path: str, opd: str, sha256: str | None, size: int,
                    mtime_ns: int, seen: dt.datetime) -> None:
        values = dict(opd=opd, sha256=sha256, size=size, mtime_ns=mtime_ns, present=True, last_seen=seen)
        updated = conn.execute(files.update().where(files.c.path == path).values(**values)).rowcount
        if not updated:
            conn.execute(files.insert().values(path=path, first_seen=seen, **values))

    def mark_absent(self, conn: sa.Connection, present_paths: set[str]) -> None:
        for row in conn.execute(sa.select(files.c.path).where(files.c.present.is_(True))).all():
            if row.path not in present_paths:
                conn.execute(files.update().where(files.c.path == row.path).values(present=False, duplicate_of=None))

    def assign_duplicates(self, conn: sa.Connection) -> None:
        """The earliest-seen present file of each content is its original; the others are duplicates of it.

        Derived afresh each pass, so when the original leaves the inbox (moved or renamed) the moved copy
        becomes the original instead of a duplicate of a file that is gone.
        """
        rows = conn.execute(
            sa.select(files.c.path, files.c.sha256, files.c.duplicate_of)
            .where(files.c.present.is_(True), files.c.sha256.is_not(None))
            .order_by(files.c.first_seen, files.c.path)
        ).all()
        first: dict[str, str] = {}
        for row in rows:
            original = first.setdefault(row.sha256, row.path)
            wanted = None if original == row.path else original
            if wanted != row.duplicate_of:
                conn.execute(files.update().where(files.c.path == row.path).values(duplicate_of=wanted))

    # -- documents -----------------------------------------------------------------------------------------

    def document_statuses(self) -> dict[str, str]:
        """sha256 -> status of every document: one query for a whole pass."""
        with self.begin() as conn:
            return {r.sha256: r.status for r in conn.execute(sa.select(documents.c.sha256, documents.c.status))}

    def add_document(self, conn: sa.Connection, *, sha256: str, kind: str, size: int) -> None:
        exists = conn.execute(sa.select(documents.c.sha256).where(documents.c.sha256 == sha256)).first()
        if not exists:
            conn.execute(documents.insert().values(sha256=sha256, kind=kind, size=size, status="pending",
                                                   created_at=now()))

    def reject(self, sha256: str, status: str, code: str, reason_id: str, reason_en: str) -> None:
        with self.begin() as conn:
            conn.execute(documents.update().where(documents.c.sha256 == sha256).values(
                status=status, reason_code=code, reason_id=reason_id, reason_en=reason_en, extracted_at=now()))

    def store_extraction(self, sha256: str, page_records: Iterable[PageRecord], raw_text: str, text: str,
                         extractor: str) -> None:
        with self.begin() as conn:
            conn.execute(pages.delete().where(pages.c.sha256 == sha256))
            rows = [dict(sha256=sha256, number=p.number, source=p.source, chars=p.chars,
                         ocr_confidence=p.ocr_confidence, rotation=p.rotation, skew=p.skew, error=p.error,
                         raw_text=p.raw_text) for p in page_records]
            if rows:
                conn.execute(pages.insert(), rows)
            conn.execute(documents.update().where(documents.c.sha256 == sha256).values(
                status="processed", raw_text=raw_text, text=text, extractor=extractor, extracted_at=now(),
                reason_code=None, reason_id=None, reason_en=None))

    def document(self, sha256: str) -> sa.Row | None:
        with self.begin() as conn:
            return conn.execute(sa.select(documents).where(documents.c.sha256 == sha256)).first()

    def pages_of(self, conn: sa.Connection, shas: Iterable[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        shas = list(shas)
        for start in range(0, len(shas), 500):
            query = sa.select(pages).where(pages.c.sha256.in_(shas[start:start + 500])).order_by(pages.c.number)
            for p in conn.execute(query):
                out.setdefault(p.sha256, []).append({
                    "number": p.number, "source": p.source, "chars": p.chars,
                    "ocr_confidence": None if p.ocr_confidence is None else round(p.ocr_confidence, 1),
                    **({"error": p.error} if p.error else {}),
                })
        return out

    def entries(self, include_absent: bool = False, sha256: str | None = None) -> list[FileEntry]:
        """Every file seen (present ones by default, or those of one content), with status and pages."""
        j = files.outerjoin(documents, files.c.sha256 == documents.c.sha256)
        query = sa.select(files, documents.c.status, documents.c.kind, documents.c.reason_id,
                          documents.c.reason_en).select_from(j).order_by(files.c.path)
        if not include_absent:
            query = query.where(files.c.present.is_(True))
        if sha256:
            query = query.where(files.c.sha256 == sha256)
        with self.begin() as conn:
            rows = conn.execute(query).all()
            page_map = self.pages_of(conn, {r.sha256 for r in rows if r.sha256})
        out = []
        for r in rows:
            if r.sha256 is None or r.status is None:
                status = "pending"
            elif r.duplicate_of:
                status = "duplicate"
            else:
                status = r.status
            reason, reason_en = r.reason_id, r.reason_en
            if r.sha256 is None:
                reason = "Berkas masih berubah (sedang disalin?); dibaca pada putaran berikutnya."
                reason_en = "File is still changing (being copied?); it will be read on the next pass."
            out.append(FileEntry(path=r.path, opd=r.opd, sha256=r.sha256, status=status, reason=reason,
                                 reason_en=reason_en, duplicate_of=r.duplicate_of, kind=r.kind, present=r.present,
                                 pages=page_map.get(r.sha256, []) if r.sha256 else []))
        return out

    # -- classifications -----------------------------------------------------------------------------------

    def texts_to_classify(self, model_version: str) -> list[tuple[str, str]]:
        """(sha256, text) of processed documents not yet classified by this model version."""
        current = sa.select(classifications.c.sha256).where(classifications.c.model_version == model_version)
        query = (sa.select(documents.c.sha256, documents.c.text)
                 .where(documents.c.status == "processed", documents.c.sha256.not_in(current))
                 .order_by(documents.c.sha256))
        with self.begin() as conn:
            return [(r.sha256, r.text or "") for r in conn.execute(query)]

    def store_classification(self, sha256: str, rows: list[dict], model_version: str) -> None:
        with self.begin() as conn:
            conn.execute(classifications.delete().where(classifications.c.sha256 == sha256))
            stamp = now()
            conn.execute(classifications.insert(), [
                dict(sha256=sha256, model_version=model_version, classified_at=stamp, **row) for row in rows])

    def documents_without_facts(self, rules_version: str) -> list[tuple[str, str, str]]:
        """(sha256, kind, text) of processed documents whose type and dates are not yet described."""
        current = sa.select(document_facts.c.sha256).where(document_facts.c.rules_version == rules_version)
        query = (sa.select(documents.c.sha256, documents.c.kind, documents.c.text)
                 .where(documents.c.status == "processed", documents.c.sha256.not_in(current)))
        with self.begin() as conn:
            return [(r.sha256, r.kind, r.text or "") for r in conn.execute(query)]

    def store_facts(self, sha256: str, **values) -> None:
        with self.begin() as conn:
            conn.execute(document_facts.delete().where(document_facts.c.sha256 == sha256))
            conn.execute(document_facts.insert().values(sha256=sha256, **values))

    def evidence_rows(self) -> list[sa.Row]:
        """Classifications of the original (non-duplicate) present files, with the document's type and dates:
        one row per file and criterion."""
        j = (files.join(classifications, files.c.sha256 == classifications.c.sha256)
             .outerjoin(document_facts, files.c.sha256 == document_facts.c.sha256))
        query = (sa.select(files.c.path, files.c.opd, files.c.sha256, classifications.c.criterion,
                           classifications.c.confidence, classifications.c.assigned,
                           classifications.c.model_version, classifications.c.explanation,
                           document_facts.c.evidence_type, document_facts.c.type_reason, document_facts.c.doc_date,
                           document_facts.c.years, document_facts.c.own_number_year)
                 .select_from(j)
                 .where(files.c.present.is_(True), files.c.duplicate_of.is_(None))
                 .order_by(classifications.c.criterion, classifications.c.confidence.desc(), files.c.path))
        with self.begin() as conn:
            return conn.execute(query).all()

    def classifications_of(self, sha256: str) -> dict[str, sa.Row]:
        with self.begin() as conn:
            rows = conn.execute(sa.select(classifications).where(classifications.c.sha256 == sha256)).all()
        return {r.criterion: r for r in rows}

    def facts_of(self, sha256: str) -> sa.Row | None:
        with self.begin() as conn:
            return conn.execute(sa.select(document_facts).where(document_facts.c.sha256 == sha256)).first()

    # -- reviews -------------------------------------------------------------------------------------------

    def add_review(self, sha256: str, action: str, reviewer: str, *, criterion: str | None = None,
                   before: object = None, after: object = None, note: str | None = None) -> None:
        with self.begin() as conn:
            conn.execute(reviews.insert().values(
                sha256=sha256, action=action, criterion=criterion, reviewer=reviewer, note=note, created_at=now(),
                before=None if before is None else json.dumps(before, ensure_ascii=False, default=str),
                after=None if after is None else json.dumps(after, ensure_ascii=False, default=str)))

    def reviews_of(self, sha256: str | None = None) -> list[sa.Row]:
        query = sa.select(reviews).order_by(reviews.c.id)
        if sha256:
            query = query.where(reviews.c.sha256 == sha256)
        with self.begin() as conn:
            return conn.execute(query).all()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the CLI, the review page) do not block the nightly run
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
