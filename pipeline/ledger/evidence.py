"""What counts as evidence (the rule of `evidence_state`), per region, and the rows the gap list reads."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from pipeline.ledger.records import EVIDENCE_ACTION, EvidenceRow, EvidenceState
from pipeline.ledger.schema import classifications, document_facts, documents, file_history, files, reviews


class EvidenceMixin:
    engine: sa.Engine

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

    def evidence_rows(self, region: str | None = None) -> list[EvidenceRow]:
        """Classifications of every content that counts as evidence (`evidence_state`), each with the file it
        is known by and its state (present / withdrawn / superseded), type and dates: one row per region, content
        and criterion (region=None: every region). Duplicates count once per region; quarantined files have no
        classification and never count."""
        query = (sa.select(classifications.c.sha256, classifications.c.criterion, classifications.c.confidence,
                           classifications.c.assigned, classifications.c.model_version,
                           classifications.c.explanation, document_facts.c.evidence_type,
                           document_facts.c.type_reason, document_facts.c.doc_date, document_facts.c.years,
                           document_facts.c.own_number_year, document_facts.c.evidence_types)
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
