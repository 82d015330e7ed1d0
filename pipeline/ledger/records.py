"""The typed records the ledger hands out (what `bukti documents` lists, what counts as evidence, what the gap list
reads), and the ledger's clock."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

EVIDENCE_ACTION = "evidence"  # reviews.action of the coordinator's keep/drop decisions


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
    evidence_types: str | None = None  # JSON list, its own kind first (revision 4); None: evidence_type alone

    @property
    def type_list(self) -> tuple[str, ...]:
        """Every type the rules found it evidence of, its own kind first ("proses" when never described)."""
        if self.evidence_types:
            return tuple(json.loads(self.evidence_types))
        return (self.evidence_type or "proses",)

    # The JSON columns, parsed here so that callers need not (`years` and `explanation` stay as stored until the
    # callers that still json.loads them have moved to these).
    @property
    def year_list(self) -> tuple[int, ...]:
        return tuple(json.loads(self.years)) if self.years else ()

    @property
    def why(self) -> dict | None:
        return json.loads(self.explanation) if self.explanation else None


@dataclass(frozen=True)
class OpdLink:
    """One OPD's upload link as stored: never the token, only its hash."""
    id: int
    region: str
    opd: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Upload:
    """One file an OPD sent through its page: the audit log's row."""
    id: int
    region: str
    opd: str
    link_id: int
    name: str
    path: str
    sha256: str
    size: int
    address: str
    uploaded_at: dt.datetime
    criterion: str | None
    evidence_type: str | None
    superseded_by: int | None
