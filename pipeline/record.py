"""Stage 2: record what the scan found in the ledger, and archive each new content before it is read.

The archive (content-addressed, under BUKTI_HOME/originals) keeps every original even if the inbox is
cleaned up later, and gives the extraction a stable copy whose bytes match the ledger's hash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .ledger import Ledger, now
from .scan import InboxFile
from .sniff import sniff

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewDocument:
    sha256: str
    source: Path  # the archived original
    name: str  # path in the inbox, for messages and the extension it claims
    kind: str


def archive_path(originals_dir: Path, sha256: str) -> Path:
    return originals_dir / sha256[:2] / sha256


def archive_original(src: Path, originals_dir: Path, sha256: str) -> Path | None:
    """Copy `src` into the archive under its hash; None if its bytes no longer match (it changed meanwhile)."""
    dest = archive_path(originals_dir, sha256)
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".incoming-")
    try:
        with src.open("rb") as fin, os.fdopen(fd, "wb") as fout:
            while block := fin.read(1 << 20):
                digest.update(block)
                fout.write(block)
        if digest.hexdigest() != sha256:
            return None
        os.chmod(tmp_name, 0o444)
        os.replace(tmp_name, dest)  # atomic: a half-written archive copy is never visible
        return dest
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def record_files(ledger: Ledger, inbox: Path, found: Sequence[InboxFile], originals_dir: Path
                 ) -> list[NewDocument]:
    """Update the ledger's view of the inbox; return the contents not read yet (one per sha256)."""
    seen = now()
    with ledger.begin() as conn:
        for f in found:
            ledger.upsert_file(conn, path=f.path, opd=f.opd, sha256=f.sha256, size=f.size, mtime_ns=f.mtime_ns,
                               seen=seen)
        ledger.mark_absent(conn, {f.path for f in found})
        ledger.assign_duplicates(conn)

    new: dict[str, NewDocument] = {}
    statuses = ledger.document_statuses()
    for f in found:
        if f.sha256 is None or f.sha256 in new or statuses.get(f.sha256) not in (None, "pending"):
            continue
        source = archive_original(inbox / f.path, originals_dir, f.sha256)
        if source is None:
            log.info("%s changed while it was archived; it is read on a later pass", f.path)
            continue
        kind = sniff(source)
        with ledger.begin() as conn:
            ledger.add_document(conn, sha256=f.sha256, kind=kind, size=f.size)
        new[f.sha256] = NewDocument(f.sha256, source, f.path, kind)
    return list(new.values())
