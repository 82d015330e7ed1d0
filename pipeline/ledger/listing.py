"""What `bukti documents` lists: every file (and, with --all, every file that left and every content replaced), with
its status and reason, and counts of statuses and the regions present."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from pipeline.ledger.records import EvidenceState, FileEntry
from pipeline.ledger.schema import documents, file_history, files
from pipeline.status import Status

_PENDING = ("Berkas masih berubah (sedang disalin?); dibaca pada putaran berikutnya.",
            "File is still changing (being copied?); it will be read on the next pass.")



class ListingMixin:
    engine: sa.Engine

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
        query = _only(query, files, sha256, region, path)
        with self.begin() as conn:
            rows = conn.execute(query).all()
            old: list = []
            if include_absent:
                hj = file_history.outerjoin(documents, file_history.c.sha256 == documents.c.sha256)
                hquery = (sa.select(file_history, documents.c.status.label("doc_status"), documents.c.kind,
                                    documents.c.reason_id, documents.c.reason_en)
                          .select_from(hj).order_by(file_history.c.path, file_history.c.replaced_at))
                hquery = _only(hquery, file_history, sha256, region, path)
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

    def last_uploads(self) -> dict[str, dt.datetime]:
        """region -> when a file present in the inbox last got new content (the province page's "last upload")."""
        query = (sa.select(files.c.region, sa.func.max(files.c.first_seen).label("last"))
                 .where(files.c.present.is_(True)).group_by(files.c.region))
        with self.begin() as conn:
            return {r.region: r.last for r in conn.execute(query)}

    def regions(self) -> list[str]:
        """Regions with files in the inbox, sorted ("" is the single-region inbox)."""
        query = sa.select(files.c.region).where(files.c.present.is_(True)).distinct().order_by(files.c.region)
        with self.begin() as conn:
            return [r.region for r in conn.execute(query)]


def _present_status(r) -> str:
    """The status of a file in the inbox, from its row joined with its document's status."""
    if r.error_status:
        return r.error_status
    if r.sha256 is None or r.doc_status is None or r.changing:
        return Status.PENDING
    if r.duplicate_of and r.doc_status not in (Status.QUARANTINED, Status.UNSUPPORTED):
        return Status.DUPLICATE  # read once; a bad file stays bad in every copy, so each one is listed as such
    return r.doc_status


def _date(value: dt.datetime | None) -> str | None:
    return value.isoformat(sep=" ", timespec="seconds") if value else None


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
                     counts=st.counts if st and r.doc_status == Status.PROCESSED else None, override=st.override if st else None,
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
    return FileEntry(path=r.path, opd=r.opd, sha256=r.sha256, status=Status.SUPERSEDED,
                     reason=f"Diganti dengan isi baru di nama yang sama pada {when}; {note_id}.",
                     reason_en=f"Replaced by new content under the same name on {when}; {note_en}.",
                     duplicate_of=None, kind=r.kind, present=False, pages=page_map.get(r.sha256, []),
                     document_status=r.doc_status, counts=st.counts if st and r.doc_status == Status.PROCESSED else None,
                     override=st.override if st else None, last_seen=_date(r.last_seen),
                     name_escaped=r.raw_name is not None, region=r.region)


def _only(query, table: sa.Table, sha256: str | None, region: str | None, path: str | None):
    """`query` limited to one content, one region and/or one path of `table` (files or file_history)."""
    if sha256:
        query = query.where(table.c.sha256 == sha256)
    if region is not None:
        query = query.where(table.c.region == region)
    if path is not None:
        query = query.where(table.c.path == path)
    return query
