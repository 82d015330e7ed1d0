"""The OPD upload page's rows: links (by the hash of their token), the upload audit log, the e-mails sent."""

from __future__ import annotations

import sqlalchemy as sa

from pipeline.ledger.records import OpdLink, Upload, now
from pipeline.ledger.schema import notices, opd_links, uploads


def _link(row) -> OpdLink:
    return OpdLink(row.id, row.region, row.opd, row.created_at, row.revoked_at)


def _upload(row) -> Upload:
    return Upload(row.id, row.region, row.opd, row.link_id, row.name, row.path, row.sha256, row.size, row.address,
                  row.uploaded_at, row.criterion, row.evidence_type, row.superseded_by)


class PortalMixin:
    engine: sa.Engine

    def add_link(self, opd: str, token_sha256: str, region: str = "") -> OpdLink:
        with self.begin() as conn:
            key = conn.execute(opd_links.insert().values(region=region, opd=opd, token_sha256=token_sha256,
                                                         created_at=now())).inserted_primary_key[0]
            return _link(conn.execute(sa.select(opd_links).where(opd_links.c.id == key)).one())

    def revoke_links(self, opd: str, region: str = "") -> int:
        """Revoke every active link of one OPD; how many were."""
        with self.begin() as conn:
            return conn.execute(opd_links.update().where(
                opd_links.c.opd == opd, opd_links.c.region == region, opd_links.c.revoked_at.is_(None))
                .values(revoked_at=now())).rowcount

    def link_by_token_hash(self, token_sha256: str) -> OpdLink | None:
        """The active link whose token hashes to this, or None (unknown or revoked)."""
        with self.begin() as conn:
            row = conn.execute(sa.select(opd_links).where(opd_links.c.token_sha256 == token_sha256,
                                                          opd_links.c.revoked_at.is_(None))).first()
        return _link(row) if row else None

    def links(self, region: str | None = None) -> list[OpdLink]:
        query = sa.select(opd_links).order_by(opd_links.c.id)
        if region is not None:
            query = query.where(opd_links.c.region == region)
        with self.begin() as conn:
            return [_link(r) for r in conn.execute(query)]

    def add_upload(self, link: OpdLink, name: str, path: str, sha256: str, size: int, address: str,
                   criterion: str | None = None, evidence_type: str | None = None) -> Upload:
        """Log one upload (the audit row)."""
        with self.begin() as conn:
            key = conn.execute(uploads.insert().values(
                region=link.region, opd=link.opd, link_id=link.id, name=name, path=path, sha256=sha256, size=size,
                address=address[:64], uploaded_at=now(), criterion=criterion, evidence_type=evidence_type)
            ).inserted_primary_key[0]
            return _upload(conn.execute(sa.select(uploads).where(uploads.c.id == key)).one())

    def supersede(self, link: OpdLink, criterion: str, evidence_type: str, new: list[Upload]) -> int:
        """The OPD sent `new` (one post, several files maybe) for a request: its earlier live uploads for the
        same request are marked superseded by the first of them; their rows stay, the history."""
        if not new:
            return 0
        with self.begin() as conn:
            return conn.execute(uploads.update().where(
                uploads.c.region == link.region, uploads.c.opd == link.opd, uploads.c.criterion == criterion,
                uploads.c.evidence_type == evidence_type, uploads.c.superseded_by.is_(None),
                uploads.c.id.notin_([u.id for u in new])).values(superseded_by=new[0].id)).rowcount

    def uploads_of(self, opd: str | None = None, region: str = "") -> list[Upload]:
        """One OPD's uploads (None: every OPD's) in one region, newest first."""
        query = sa.select(uploads).where(uploads.c.region == region).order_by(uploads.c.id.desc())
        if opd is not None:
            query = query.where(uploads.c.opd == opd)
        with self.begin() as conn:
            return [_upload(r) for r in conn.execute(query)]

    def notice_sent(self, recipient: str, state: str) -> bool:
        with self.begin() as conn:
            return conn.execute(sa.select(notices.c.id).where(notices.c.recipient == recipient,
                                                              notices.c.state == state)).first() is not None

    def record_notice(self, recipient: str, state: str) -> None:
        with self.begin() as conn:
            conn.execute(notices.insert().values(recipient=recipient, state=state, sent_at=now()))
