"""Document claims: two runs (two machines, two regions' passes, two Dask drivers) against one ledger never read the
same document twice.

Before a run plans or reads a document it claims it: one conditional UPDATE sets `claimed_by` and `claimed_until`
on the rows that are still pending and that no live run holds, and returns the ones it got. The database makes
that atomic (PostgreSQL re-checks the WHERE on a row another transaction just changed; SQLite has one writer at a
time), so of two runs claiming the same documents at once each document goes to exactly one. A claim is released
when the document is stored or rejected (documents.py) or when the run gives up (`release_claims`); a run that
crashed holds its claims only until their lease ends, then another run takes them over.

Time is the database server's on PostgreSQL, so that machines with different clocks agree on when a lease ends.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterable

import sqlalchemy as sa

from pipeline.ledger.records import now
from pipeline.ledger.schema import documents
from pipeline.status import Status

DEFAULT_LEASE_SECONDS = 6 * 3600  # longer than any one document's reading; a crashed run's claims wait this long
_BATCH = 500  # ids per statement, well under every driver's parameter limit


def new_run_id() -> str:
    """Who claims: host, process and a random part, so that two runs never share an id."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class ClaimsMixin:
    engine: sa.Engine

    def _clock(self, conn: sa.Connection) -> dt.datetime:
        if conn.dialect.name == "postgresql":
            return conn.execute(sa.select(sa.func.timezone("UTC", sa.func.statement_timestamp()))).scalar_one()
        return now()

    def claim_documents(self, run_id: str, shas: Iterable[str], lease_seconds: float = DEFAULT_LEASE_SECONDS
                        ) -> set[str]:
        """Claim the pending documents among `shas` that no other live run holds (or that this run holds already:
        the lease is renewed); returns the ones this run may now read. The others are skipped: another run is
        reading them, or they were read already."""
        shas = sorted(set(shas))
        got: set[str] = set()
        for start in range(0, len(shas), _BATCH):
            with self.engine.begin() as conn:
                clock = self._clock(conn)
                until = clock + dt.timedelta(seconds=lease_seconds)
                free = sa.or_(documents.c.claimed_by.is_(None), documents.c.claimed_by == run_id,
                              documents.c.claimed_until < clock)
                query = (documents.update()
                         .where(documents.c.sha256.in_(shas[start:start + _BATCH]), documents.c.status == Status.PENDING,
                                free)
                         .values(claimed_by=run_id, claimed_until=until)
                         .returning(documents.c.sha256))
                got.update(conn.execute(query).scalars())
        return got

    def release_claims(self, run_id: str, shas: Iterable[str] | None = None) -> None:
        """Give back this run's claims (all of them, or those on `shas`), e.g. when it fails or stops early."""
        with self.engine.begin() as conn:
            query = documents.update().where(documents.c.claimed_by == run_id).values(
                claimed_by=None, claimed_until=None)
            if shas is None:
                conn.execute(query)
                return
            shas = sorted(set(shas))
            for start in range(0, len(shas), _BATCH):
                conn.execute(query.where(documents.c.sha256.in_(shas[start:start + _BATCH])))

    def claims(self) -> dict[str, tuple[str, dt.datetime]]:
        """sha256 -> (run, until) of every claim held now, expired ones included (for doctor and tests)."""
        query = sa.select(documents.c.sha256, documents.c.claimed_by, documents.c.claimed_until).where(
            documents.c.claimed_by.is_not(None))
        with self.engine.begin() as conn:
            return {r.sha256: (r.claimed_by, r.claimed_until) for r in conn.execute(query)}
