"""The files table: what each scan of the inbox saw, by path (new, changed, replaced, gone, duplicate)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from pipeline import reasons
from pipeline.records import InboxFile, Known  # records, not the scan stage: the ledger imports no stage
from pipeline.ledger.schema import file_history, files


class FilesMixin:
    engine: sa.Engine

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
