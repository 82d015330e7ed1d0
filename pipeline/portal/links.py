"""One secret upload link per OPD. The token is shown once, when the coordinator creates it; the ledger keeps
only its sha256, so neither a copy of the ledger nor a backup opens anyone's upload page. Creating a new link
revokes the OPD's old one (one link per OPD: a letter that went to the wrong person is fixed by a new link)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from pipeline.ledger.ledger import Ledger
from pipeline.ledger.records import OpdLink
from pipeline.opd import OpdTable

TOKEN_BYTES = 32  # 256 bits: not guessable within any rate limit
UPLOAD_PATH = "/unggah"


class LinkError(ValueError):
    pass


@dataclass(frozen=True)
class IssuedLink:
    link: OpdLink
    token: str
    url: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{UPLOAD_PATH}/{token}"


def issue_link(ledger: Ledger, opds: OpdTable, opd: str, base: str, region: str = "") -> IssuedLink:
    """A new link for the OPD named `opd` (id, folder, short name or alias), revoking its earlier ones."""
    found = opds.find(opd)
    if found is None:
        raise LinkError(f"OPD {opd!r} tidak ada di daftar OPD ({opds.source}) / not in the OPD table")
    ledger.revoke_links(found.id, region)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ledger.add_link(found.id, token_hash(token), region)
    return IssuedLink(link, token, link_url(base, token))


def revoke(ledger: Ledger, opds: OpdTable, opd: str, region: str = "") -> int:
    found = opds.find(opd)
    if found is None:
        raise LinkError(f"OPD {opd!r} tidak ada di daftar OPD / not in the OPD table")
    return ledger.revoke_links(found.id, region)


def link_of(ledger: Ledger, token: str) -> OpdLink | None:
    """The active link a token opens, or None. Only well-formed tokens reach the ledger."""
    if not token or len(token) > 64 or not all(c.isalnum() or c in "-_" for c in token):
        return None
    return ledger.link_by_token_hash(token_hash(token))
