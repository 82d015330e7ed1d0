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
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa

from pipeline import reasons
from pipeline.config import sqlite_file
from pipeline.extract.page import PageRecord
from pipeline.intake.scan import InboxFile, Known

# The tables live in schema.py (created and upgraded by migrate.py); re-exported for the callers that use them.
from pipeline.ledger.schema import (  # noqa: E402,F401
    classifications, document_facts, documents, file_history, files, meta, metadata, pages, reviews)
from pipeline.ledger import migrate  # noqa: E402


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class FileEntry:
    """One file seen in the inbox, joined with its document: what `bukti documents` lists.

    `status` is what the listing shows: the document's status (processed, quarantined, unsupported), or
    duplicate / pending, or for files no longer in the inbox (`--all`) withdrawn, moved or superseded. For those,
    `document_status` is the status of their content. `counts` says whether the content counts as evidence now
    (None when there is no readable content), `override` whether the coordinator decided it ("keep" / "drop").
    """
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
    document_status: str | None = None
    counts: bool | None = None
    override: str | None = None
    last_seen: str | None = None  # ISO time the file (or, when superseded, this content) was last in the inbox
    name_escaped: bool = False  # `path` shows undecodable bytes or control characters as \xNN
    region: str = ""  # "" for a single-region inbox


@dataclass
class EvidenceState:
    """Whether one content counts as evidence, and through which file (see `Ledger.evidence_state`)."""
    counts: bool
    state: str  # present | withdrawn | superseded
    path: str
    opd: str
    override: str | None = None  # keep | drop, the coordinator's latest decision (in this region)
    region: str = ""


@dataclass(frozen=True)
class EvidenceRow:
    """One classification of a document that counts, with the file it is known by: what the gap list reads."""
    path: str
    opd: str
    sha256: str
    state: str
    criterion: str
    confidence: float
    assigned: bool
    model_version: str
    explanation: str | None
    evidence_type: str | None
    type_reason: str | None
    doc_date: dt.date | None
    years: str | None
    own_number_year: int | None
    region: str = ""  # the same content in two regions gives a row in each


_PENDING = ("Berkas masih berubah (sedang disalin?); dibaca pada putaran berikutnya.",
            "File is still changing (being copied?); it will be read on the next pass.")


class Ledger:
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

    # -- files ---------------------------------------------------------------------------------------------

    def known_files(self) -> dict[str, Known]:
        """path -> what was last seen of it, so that a file whose content surely did not change is not hashed
        again (scan.py decides)."""
        with self.begin() as conn:
            rows = conn.execute(sa.select(files.c.path, files.c.size, files.c.mtime_ns, files.c.ctime_ns,
                                          files.c.inode, files.c.hashed_ns, files.c.sha256))
            return {r.path: Known(r.size, r.mtime_ns, r.ctime_ns, r.inode, r.hashed_ns, r.sha256) for r in rows}

    def present_paths(self) -> set[str]:
        """Files that were in the inbox at the last pass (unreadable-folder entries aside)."""
        with self.begin() as conn:
            rows = conn.execute(sa.select(files.c.path).where(files.c.present.is_(True)))
            return {r.path for r in rows if not r.path.endswith("/")}

    def sync_files(self, conn: sa.Connection, found: Sequence[InboxFile], seen: dt.datetime) -> None:
        """Bring the files table in line with one scan: new paths added, new content under a known name moves the
        old content to `file_history`, files not found are marked absent (never deleted), duplicates derived."""
        current = {r.path: r for r in conn.execute(sa.select(files))}
        untouched: list[dict] = []
        for f in found:
            if not self._upsert(conn, f, current.get(f.path), seen):
                untouched.append({"p": f.path})
        if untouched:  # the common case on a quiet night: one batched statement
            conn.execute(files.update().where(files.c.path == sa.bindparam("p")).values(last_seen=seen), untouched)
        self._mark_absent(conn, current, found, seen)
        self.assign_duplicates(conn)

    def upsert_file(self, conn: sa.Connection, *, path: str, opd: str, sha256: str | None, size: int,
                    mtime_ns: int, seen: dt.datetime, region: str = "") -> None:
        """One file as a scan would record it (for tools and tests that build a ledger by hand)."""
        row = conn.execute(sa.select(files).where(files.c.path == path)).first()
        if not self._upsert(conn, InboxFile(path, opd, size, mtime_ns, sha256, region=region), row, seen):
            conn.execute(files.update().where(files.c.path == path).values(last_seen=seen))

    def _upsert(self, conn: sa.Connection, f: InboxFile, row, seen: dt.datetime) -> bool:
        """Write what the scan saw of one path; False when nothing but last_seen changed (left to the caller)."""
        values = _file_values(f, row)
        if row is None:
            conn.execute(files.insert().values(path=f.path, first_seen=seen, last_seen=seen, **values))
            return True
        if f.sha256 and row.sha256 and f.sha256 != row.sha256:  # new content under a known name: keep the old
            conn.execute(file_history.insert().values(
                path=row.path, raw_name=row.raw_name, opd=row.opd, region=row.region, sha256=row.sha256,
                first_seen=row.first_seen,
                last_seen=row.last_seen, replaced_at=seen, replaced_by=f.sha256))
            values["first_seen"] = seen  # the path's current content is new: it is not older than a copy
        if all(getattr(row, k) == v for k, v in values.items()):
            return False
        conn.execute(files.update().where(files.c.path == f.path).values(last_seen=seen, **values))
        return True

    def _mark_absent(self, conn: sa.Connection, current: dict, found: Sequence[InboxFile], seen: dt.datetime
                     ) -> None:
        here = {f.path for f in found}
        # Files below a folder we could not open are not known to be gone: they keep their last state.
        blind = tuple(f.path for f in found if f.is_folder and f.error is not None)
        gone, stale_folders = [], []
        for path, row in current.items():
            if path in here or (blind and path.startswith(blind)):
                continue
            if path.endswith("/"):
                stale_folders.append(path)  # a folder entry (unreadable, or a link) that is fine or gone now
            elif row.present:
                gone.append({"p": path})
        if gone:
            conn.execute(files.update().where(files.c.path == sa.bindparam("p"))
                         .values(present=False, duplicate_of=None, changing=False, left_at=seen), gone)
        for start in range(0, len(stale_folders), 500):
            conn.execute(files.delete().where(files.c.path.in_(stale_folders[start:start + 500])))

    def set_file_error(self, path: str, status: str, reason: reasons.Reason) -> None:
        """The file could not be taken in after the scan (it vanished, or cannot be read): say so against it."""
        with self.begin() as conn:
            conn.execute(files.update().where(files.c.path == path).values(
                error_status=status, error_code=reason.code, error_id=reason.id, error_en=reason.en))

    def assign_duplicates(self, conn: sa.Connection) -> None:
        """The earliest-seen present file of each content in a region is its original; the others in that region
        are duplicates of it. Per region, because the same content sent in two regions counts in each (it is
        still read once: documents are keyed by content).

        Derived afresh each pass, so when the original leaves the inbox (moved or renamed) the moved copy
        becomes the original instead of a duplicate of a file that is gone.
        """
        rows = conn.execute(
            sa.select(files.c.path, files.c.region, files.c.sha256, files.c.duplicate_of)
            .where(files.c.present.is_(True), files.c.sha256.is_not(None))
            .order_by(files.c.first_seen, files.c.path)
        ).all()
        first: dict[tuple[str, str], str] = {}
        for row in rows:
            original = first.setdefault((row.region, row.sha256), row.path)
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
        """Store a document's text. Each copy (raw, normalised, the pages together) is cut at reasons.TEXT_CAP
        bytes with a note, and made storable (no NUL, no lone surrogate), so one document can neither fill the
        ledger nor fail the pass."""
        budget = reasons.TEXT_CAP
        rows = []
        for p in page_records:
            page_text = reasons.storable_text(p.raw_text, max(budget, 0)) if budget > 0 else ""
            budget -= len(page_text.encode("utf-8"))
            rows.append(dict(sha256=sha256, number=p.number, source=p.source, chars=p.chars,
                             ocr_confidence=p.ocr_confidence, rotation=p.rotation, skew=p.skew,
                             error=reasons.storable_text(p.error, 4000) if p.error else None, raw_text=page_text))
        with self.begin() as conn:
            conn.execute(pages.delete().where(pages.c.sha256 == sha256))
            if rows:
                conn.execute(pages.insert(), rows)
            conn.execute(documents.update().where(documents.c.sha256 == sha256).values(
                status="processed", raw_text=reasons.storable_text(raw_text), text=reasons.storable_text(text),
                extractor=extractor, extracted_at=now(), reason_code=None, reason_id=None, reason_en=None))

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

    def entries(self, include_absent: bool = False, sha256: str | None = None, region: str | None = None,
                path: str | None = None) -> list[FileEntry]:
        """Every file in the inbox, with status and pages; with `include_absent`, also every file that left it
        (withdrawn or moved) and every content a path held before it was replaced (superseded). Or only the
        files of one content, of one region ("" is a single-region inbox), or under one path."""
        j = files.outerjoin(documents, files.c.sha256 == documents.c.sha256)
        query = sa.select(files, documents.c.status.label("doc_status"), documents.c.kind, documents.c.reason_id,
                          documents.c.reason_en).select_from(j).order_by(files.c.path)
        if not include_absent:
            query = query.where(files.c.present.is_(True))
        if sha256:
            query = query.where(files.c.sha256 == sha256)
        if region is not None:
            query = query.where(files.c.region == region)
        if path is not None:
            query = query.where(files.c.path == path)
        with self.begin() as conn:
            rows = conn.execute(query).all()
            old: list = []
            if include_absent:
                hj = file_history.outerjoin(documents, file_history.c.sha256 == documents.c.sha256)
                hquery = (sa.select(file_history, documents.c.status.label("doc_status"), documents.c.kind,
                                    documents.c.reason_id, documents.c.reason_en)
                          .select_from(hj).order_by(file_history.c.path, file_history.c.replaced_at))
                if sha256:
                    hquery = hquery.where(file_history.c.sha256 == sha256)
                if region is not None:
                    hquery = hquery.where(file_history.c.region == region)
                if path is not None:
                    hquery = hquery.where(file_history.c.path == path)
                old = conn.execute(hquery).all()
            state = self._evidence_states(conn, region) if (rows or old) else {}
            page_map = self.pages_of(conn, {r.sha256 for r in [*rows, *old] if r.sha256})
        out = [_file_entry(r, state, page_map) for r in rows]
        out += [_history_entry(r, state, page_map) for r in old]
        out.sort(key=lambda e: (e.path, not e.present, e.last_seen or ""))
        return out

    def status_counts(self, region: str | None = None) -> dict[str, int]:
        """status -> how many files in the inbox have it (what `bukti documents` would list), counted from the
        few columns the status needs instead of whole entries."""
        query = (sa.select(files.c.sha256, files.c.duplicate_of, files.c.changing, files.c.error_status,
                           documents.c.status.label("doc_status"), sa.func.count().label("n"))
                 .select_from(files.outerjoin(documents, files.c.sha256 == documents.c.sha256))
                 .where(files.c.present.is_(True))
                 .group_by(files.c.sha256, files.c.duplicate_of, files.c.changing, files.c.error_status,
                           documents.c.status))
        if region is not None:
            query = query.where(files.c.region == region)
        counts: dict[str, int] = {}
        with self.begin() as conn:
            for r in conn.execute(query):
                status = _present_status(r)
                counts[status] = counts.get(status, 0) + r.n
        return counts

    def regions(self) -> list[str]:
        """Regions with files in the inbox, sorted ("" is the single-region inbox)."""
        query = sa.select(files.c.region).where(files.c.present.is_(True)).distinct().order_by(files.c.region)
        with self.begin() as conn:
            return [r.region for r in conn.execute(query)]

    # -- what counts as evidence ---------------------------------------------------------------------------

    def evidence_state(self, conn: sa.Connection | None = None, region: str | None = None
                       ) -> dict[str, EvidenceState]:
        """sha256 -> whether that content counts as evidence in `region`, and through which file.

        The rule (README, "What counts when files leave or change"): content present in the inbox counts (through
        its original file, duplicates count once); content whose every file left the inbox (withdrawn) still
        counts, through the file last seen, until the coordinator drops it; content replaced under the same name
        by new content (superseded), and present nowhere, does not count unless the coordinator keeps it. The
        coordinator's latest decision in that region (`set_evidence_override`) wins over the rule.

        With `region=None` (all regions), a content held in several regions gets the state of the first region,
        in sorted order, where it counts (or the first one if it counts nowhere).
        """
        if conn is None:
            with self.begin() as own:
                return self.evidence_state(own, region)
        out: dict[str, EvidenceState] = {}
        for (_, sha), st in sorted(self._evidence_states(conn, region).items()):
            if sha not in out or (st.counts and not out[sha].counts):
                out[sha] = st
        return out

    def _evidence_states(self, conn: sa.Connection, region: str | None = None
                         ) -> dict[tuple[str, str], EvidenceState]:
        """(region, sha256) -> EvidenceState: the rule of `evidence_state`, applied in each region apart."""
        # Every content is judged; only those with classifications (processed ones) can then count for a
        # criterion, so quarantined and unsupported files never do.
        def where(query, table):
            return query if region is None else query.where(table.c.region == region)

        processed = {r.sha256 for r in conn.execute(sa.select(documents.c.sha256))}
        decided: dict[tuple[str, str], str | None] = {}
        for r in conn.execute(where(sa.select(reviews.c.region, reviews.c.sha256, reviews.c.after)
                                    .where(reviews.c.action == EVIDENCE_ACTION).order_by(reviews.c.id), reviews)):
            decided[(r.region, r.sha256)] = json.loads(r.after) if r.after else None
        present: dict[tuple[str, str], tuple[str, str]] = {}
        withdrawn: dict[tuple[str, str], tuple[dt.datetime, str, str]] = {}
        for r in conn.execute(where(sa.select(files.c.path, files.c.opd, files.c.region, files.c.sha256,
                                              files.c.present, files.c.duplicate_of, files.c.last_seen)
                                    .where(files.c.sha256.is_not(None)).order_by(files.c.path), files)):
            key = (r.region, r.sha256)
            if r.present:
                if r.duplicate_of is None:
                    present.setdefault(key, (r.path, r.opd))
            elif key not in withdrawn or r.last_seen > withdrawn[key][0]:
                withdrawn[key] = (r.last_seen, r.path, r.opd)
        superseded: dict[tuple[str, str], tuple[str, str]] = {}
        for r in conn.execute(where(sa.select(file_history.c.path, file_history.c.opd, file_history.c.region,
                                              file_history.c.sha256).order_by(file_history.c.replaced_at),
                                    file_history)):
            superseded[(r.region, r.sha256)] = (r.path, r.opd)  # the latest replacement names it
        out = {}
        for key in {*present, *withdrawn, *superseded}:
            if key[1] not in processed:
                continue
            if key in present:
                counts, where_, place = True, "present", present[key]
            elif key in withdrawn:
                counts, where_, place = True, "withdrawn", withdrawn[key][1:]
            else:
                counts, where_, place = False, "superseded", superseded[key]
            override = decided.get(key)
            if override in ("keep", "drop"):
                counts = override == "keep"
            out[key] = EvidenceState(counts, where_, place[0], place[1], override if override else None, key[0])
        return out

    def set_evidence_override(self, sha256: str, decision: str | None, reviewer: str, note: str | None = None,
                              region: str = "") -> None:
        """The coordinator keeps ("keep") or drops ("drop") a content as evidence in `region` whatever the rule
        says, or returns it to the rule (None). Stored as a review (who, when, before, after), the latest one
        wins."""
        if decision not in ("keep", "drop", None):
            raise ValueError(f"decision must be keep, drop or None, not {decision!r}")
        if not (reviewer or "").strip():
            raise ValueError("nama peninjau wajib diisi / reviewer name is required")
        before = self.evidence_state(region=region).get(sha256)
        self.add_review(sha256, EVIDENCE_ACTION, reviewer.strip(), before=before.override if before else None,
                        after=decision, note=note, region=region)

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

    def evidence_rows(self, region: str | None = None) -> list[EvidenceRow]:
        """Classifications of every content that counts as evidence (`evidence_state`), each with the file it
        is known by and its state (present / withdrawn / superseded), type and dates: one row per region, content
        and criterion (region=None: every region). Duplicates count once per region; quarantined files have no
        classification and never count."""
        query = (sa.select(classifications.c.sha256, classifications.c.criterion, classifications.c.confidence,
                           classifications.c.assigned, classifications.c.model_version,
                           classifications.c.explanation, document_facts.c.evidence_type,
                           document_facts.c.type_reason, document_facts.c.doc_date, document_facts.c.years,
                           document_facts.c.own_number_year)
                 .select_from(classifications.outerjoin(
                     document_facts, classifications.c.sha256 == document_facts.c.sha256)))
        with self.begin() as conn:
            counting: dict[str, list[EvidenceState]] = {}
            for (_, sha), st in sorted(self._evidence_states(conn, region).items()):
                if st.counts:
                    counting.setdefault(sha, []).append(st)
            rows = conn.execute(query).all() if counting else []
        out = [EvidenceRow(path=st.path, opd=st.opd, state=st.state, region=st.region, **r._asdict())
               for r in rows for st in counting.get(r.sha256, ())]
        out.sort(key=lambda e: (e.criterion, -e.confidence, e.region, e.path))
        return out

    def classifications_of(self, sha256: str) -> dict[str, sa.Row]:
        with self.begin() as conn:
            rows = conn.execute(sa.select(classifications).where(classifications.c.sha256 == sha256)).all()
        return {r.criterion: r for r in rows}

    def facts_of(self, sha256: str) -> sa.Row | None:
        with self.begin() as conn:
            return conn.execute(sa.select(document_facts).where(document_facts.c.sha256 == sha256)).first()

    # -- reviews -------------------------------------------------------------------------------------------

    def add_review(self, sha256: str, action: str, reviewer: str, *, criterion: str | None = None,
                   before: object = None, after: object = None, note: str | None = None, region: str = "") -> None:
        """A reviewer's decision on one content, in the region it was taken in ("" for a single region)."""
        with self.begin() as conn:
            conn.execute(reviews.insert().values(
                sha256=sha256, action=action, criterion=criterion, reviewer=reviewer, note=note, created_at=now(),
                region=region,
                before=None if before is None else json.dumps(before, ensure_ascii=False, default=str),
                after=None if after is None else json.dumps(after, ensure_ascii=False, default=str)))

    def reviews_of(self, sha256: str | None = None, region: str | None = None) -> list[sa.Row]:
        """Reviews in the order they were made, of one content and/or one region (None: all)."""
        query = sa.select(reviews).order_by(reviews.c.id)
        if sha256:
            query = query.where(reviews.c.sha256 == sha256)
        if region is not None:
            query = query.where(reviews.c.region == region)
        with self.begin() as conn:
            return conn.execute(query).all()


EVIDENCE_ACTION = "evidence"  # reviews.action of the coordinator's keep/drop decisions


def _file_values(f: InboxFile, row) -> dict:
    """Columns of a files row after this scan saw `f` (the row before it, or None)."""
    values = dict(opd=f.opd, region=f.region, present=True, left_at=None, raw_name=f.raw_name)
    if f.error is not None:
        reason = f.error.reason
        values.update(error_status=f.error.status, error_code=reason.code, error_id=reason.id, error_en=reason.en)
        if row is None:
            values.update(sha256=None, size=f.size, mtime_ns=f.mtime_ns)
        return values  # the last content read from it, and when, stay as they were
    values.update(error_status=None, error_code=None, error_id=None, error_en=None)
    if f.sha256 is None and row is not None and row.sha256:
        # Being rewritten: keep the last settled content and its size/mtime/ctime, so the next scan sees the
        # difference and hashes it again; the content is replaced (and kept in history) only once settled.
        values["changing"] = True
        return values
    values.update(sha256=f.sha256, size=f.size, mtime_ns=f.mtime_ns, ctime_ns=f.ctime_ns, inode=f.inode,
                  hashed_ns=f.hashed_ns, changing=False)
    return values


def _date(value: dt.datetime | None) -> str | None:
    return value.isoformat(sep=" ", timespec="seconds") if value else None


def _present_status(r) -> str:
    """The status of a file in the inbox, from its row joined with its document's status."""
    if r.error_status:
        return r.error_status
    if r.sha256 is None or r.doc_status is None or r.changing:
        return "pending"
    if r.duplicate_of and r.doc_status not in ("quarantined", "unsupported"):
        return "duplicate"  # read once; a bad file stays bad in every copy, so each one is listed as such
    return r.doc_status


def _file_entry(r, state: dict[tuple[str, str], EvidenceState], page_map: dict[str, list[dict]]) -> FileEntry:
    st = state.get((r.region, r.sha256)) if r.sha256 else None
    reason, reason_en = r.reason_id, r.reason_en
    if not r.present:
        status = "moved" if st is not None and st.state == "present" and st.path != r.path else "withdrawn"
        left = _date(r.left_at or r.last_seen)
        if status == "moved":
            reason = f"Dipindah atau diganti nama; isinya kini di {st.path}."
            reason_en = f"Moved or renamed; its content is now at {st.path}."
        elif st is not None:
            reason, reason_en = _withdrawn_reason(left, st.counts)
        else:  # never readable content: its own reason, and that it left
            reason = f"Tidak ada lagi di inbox sejak {left}." + (f" {r.error_id or r.reason_id}" if (r.error_id or r.reason_id) else "")
            reason_en = f"No longer in the inbox since {left}." + (f" {r.error_en or r.reason_en}" if (r.error_en or r.reason_en) else "")
    else:
        status = _present_status(r)
        if status == r.error_status:
            reason, reason_en = r.error_id, r.error_en
        elif status == "pending":
            reason, reason_en = _PENDING
    return FileEntry(path=r.path, opd=r.opd, sha256=r.sha256, status=status, reason=reason, reason_en=reason_en,
                     duplicate_of=r.duplicate_of, kind=r.kind, present=r.present,
                     pages=page_map.get(r.sha256, []) if r.sha256 else [], document_status=r.doc_status,
                     counts=st.counts if st and r.doc_status == "processed" else None, override=st.override if st else None,
                     last_seen=_date(r.last_seen), name_escaped=r.raw_name is not None, region=r.region)


def _withdrawn_reason(left: str | None, counts: bool) -> tuple[str, str]:
    if counts:
        return (f"Berkas tidak ada lagi di inbox sejak {left}; isinya tetap dihitung sebagai bukti sampai "
                "koordinator mencabutnya.",
                f"The file left the inbox on {left}; its content still counts as evidence until the coordinator "
                "drops it.")
    return (f"Berkas tidak ada lagi di inbox sejak {left}; koordinator mencabutnya dari bukti.",
            f"The file left the inbox on {left}; the coordinator dropped it from the evidence.")


def _history_entry(r, state: dict[tuple[str, str], EvidenceState], page_map: dict[str, list[dict]]
                   ) -> FileEntry:
    st = state.get((r.region, r.sha256))
    when = _date(r.replaced_at)
    if st is not None and st.counts and st.state != "superseded":
        note_id, note_en = f"isinya masih dihitung lewat {st.path}", f"its content still counts through {st.path}"
    elif st is not None and st.counts:
        note_id, note_en = "koordinator mempertahankannya sebagai bukti", "the coordinator kept it as evidence"
    else:
        note_id, note_en = ("tidak dihitung lagi kecuali koordinator mempertahankannya",
                            "no longer counts unless the coordinator keeps it")
    return FileEntry(path=r.path, opd=r.opd, sha256=r.sha256, status="superseded",
                     reason=f"Diganti dengan isi baru di nama yang sama pada {when}; {note_id}.",
                     reason_en=f"Replaced by new content under the same name on {when}; {note_en}.",
                     duplicate_of=None, kind=r.kind, present=False, pages=page_map.get(r.sha256, []),
                     document_status=r.doc_status, counts=st.counts if st and r.doc_status == "processed" else None,
                     override=st.override if st else None, last_seen=_date(r.last_seen),
                     name_escaped=r.raw_name is not None, region=r.region)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the CLI, the review page) do not block the nightly run
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
