"""Stage 2: record what the scan found in the ledger, and archive each new content before it is read.

The archive (content-addressed, under BUKTI_HOME/originals) keeps every original even if the inbox is
cleaned up later, and gives the extraction a stable copy whose bytes match the ledger's hash.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import reasons
from pipeline.errors import BuktiError
from pipeline.ledger.ledger import Ledger, now
from pipeline.extract.office import check_zip_directory
from pipeline.intake.scan import InboxFile
from pipeline.intake.sniff import sniff
from pipeline.status import Status

log = logging.getLogger(__name__)


# The guard against an emptied inbox (an unmounted share, a folder synced empty) judges only inboxes with at least
# this many files at the last pass: below that, a few deletions are a large fraction and are better let through.
MIN_KNOWN_FOR_GUARD = 5


class InboxVanished(BuktiError, RuntimeError):
    """Most of the files present at the last pass are gone: the pass stops before the ledger, the gap list or
    the reports change. A real clean-up is accepted with `bukti run --accept-removal`."""

    exit_code = 4  # nothing was changed: the coordinator checks the share, or accepts the removal

    def __init__(self, gone: int, known: int, limit: float, inbox: Path):
        self.gone, self.known = gone, known
        super().__init__(
            f"{gone} dari {known} berkas yang ada pada putaran sebelumnya hilang dari {inbox} (batas "
            f"{limit:.0%}); folder bersama mungkin tidak terpasang. Daftar celah dan laporan tidak diubah. Bila "
            f"memang dibersihkan, jalankan `bukti run --accept-removal`. / {gone} of the {known} files present at "
            f"the last pass are gone from {inbox} (limit {limit:.0%}); the shared folder may not be mounted. The "
            f"gap list and reports were left as they were. If the inbox was really cleaned up, run "
            f"`bukti run --accept-removal`.")


def check_disappearance(present_before: set[str], found: Sequence[InboxFile], max_gone_fraction: float,
                        inbox: Path) -> None:
    """Raise InboxVanished when more than `max_gone_fraction` of the files present at the last pass are missing
    from this scan (files below a folder that could not be opened are not counted as missing). A fraction of 1
    or more turns the guard off."""
    if max_gone_fraction >= 1 or len(present_before) < MIN_KNOWN_FOR_GUARD:
        return
    here = {f.path for f in found}
    blind = tuple(f.path for f in found if f.is_folder and f.error is not None)
    gone = sum(1 for p in present_before if p not in here and not (blind and p.startswith(blind)))
    if gone > max_gone_fraction * len(present_before):
        raise InboxVanished(gone, len(present_before), max_gone_fraction, inbox)


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
    """Update the ledger's view of the inbox; return the contents not read yet (one per sha256).

    A file that fails here (it vanished since the scan, cannot be opened, or anything unexpected) is recorded
    against its path with a reason, and the other files go on."""
    seen = now()
    with ledger.begin() as conn:
        ledger.sync_files(conn, found, seen)

    new: dict[str, NewDocument] = {}
    statuses = ledger.document_statuses()
    for f in found:
        if (f.sha256 is None or f.error is not None or f.sha256 in new
                or statuses.get(f.sha256) not in (None, Status.PENDING)):
            continue
        try:
            doc = _take_in(ledger, inbox, f, originals_dir)
        except FileNotFoundError:
            log.warning("%s left the inbox before it was archived", f.path)
            ledger.set_file_error(f.path, Status.QUARANTINED, reasons.vanished())
            continue
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise  # the archive cannot be written: every file would fail, so the pass does, and says why
            log.warning("cannot archive %s: %s", f.path, exc)
            ledger.set_file_error(f.path, Status.QUARANTINED, reasons.unreadable_file(exc.strerror or str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one file must never stop the pass
            log.exception("unexpected error while archiving %s", f.path)
            ledger.set_file_error(f.path, Status.QUARANTINED, reasons.unexpected(f"{type(exc).__name__}: {exc}"[:200]))
            continue
        if doc is not None:
            new[f.sha256] = doc
    return list(new.values())


def _take_in(ledger: Ledger, inbox: Path, f: InboxFile, originals_dir: Path) -> NewDocument | None:
    source = archive_original(f.location(inbox), originals_dir, f.sha256)
    if source is None:
        log.info("%s changed while it was archived; it is read on a later pass", f.path)
        return None
    try:
        # A ZIP's central directory is read whole by zipfile (in sniff and after): size it from its end record
        # first, so a file of millions of empty entries is refused before it is parsed.
        with source.open("rb") as fh:
            if fh.read(4) == b"PK\x03\x04":
                check_zip_directory(source)
    except reasons.Rejected as rejected:
        with ledger.begin() as conn:
            ledger.add_document(conn, sha256=f.sha256, kind="zip", size=f.size)
        ledger.reject(f.sha256, rejected.status, rejected.reason.code, rejected.reason.id, rejected.reason.en)
        return None
    kind = sniff(source)
    with ledger.begin() as conn:
        ledger.add_document(conn, sha256=f.sha256, kind=kind, size=f.size)
    return NewDocument(f.sha256, source, f.path, kind)
