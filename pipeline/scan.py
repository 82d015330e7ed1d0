"""Stage 1: walk the inbox and say which files are there, which are settled, and what their content hash is."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

UNKNOWN_OPD = "unknown"
_SKIP_NAMES = {"README.md", ".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class InboxFile:
    path: str  # relative to the inbox, POSIX separators, exactly as named
    opd: str  # first folder level, or "unknown" at the top level
    size: int
    mtime_ns: int
    sha256: str | None  # None while the file is still being written


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _is_skipped(rel: Path) -> bool:
    # Office lock files (~$x.docx), editor temp files and hidden files are never evidence.
    name = rel.name
    return (name in _SKIP_NAMES or name.startswith((".", "~$")) or name.endswith((".part", ".crdownload", ".tmp"))
            or any(part.startswith(".") for part in rel.parts[:-1]))


def scan_inbox(inbox: Path, stable_seconds: float = 5.0,
               known: dict[str, tuple[int, int, str | None]] | None = None,
               clock: Callable[[], float] = time.time) -> list[InboxFile]:
    """List the regular files below `inbox`; never writes to it.

    A file modified less than `stable_seconds` ago, or that changes while it is hashed, is returned with
    sha256=None (pending) and read on a later pass. `known` maps path -> (size, mtime_ns, sha256) from the
    ledger: an unchanged file is not hashed again.
    """
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder {inbox} does not exist")
    known = known or {}
    found: list[InboxFile] = []
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(inbox)
            if _is_skipped(rel) or full.is_symlink():
                continue
            try:
                st = full.stat()
            except OSError as exc:  # vanished between listing and stat
                log.warning("skipping %s: %s", rel, exc)
                continue
            if not full.is_file():
                continue
            rel_posix = rel.as_posix()
            opd = rel.parts[0].lower() if len(rel.parts) > 1 else UNKNOWN_OPD
            previous = known.get(rel_posix)
            if previous and previous[0] == st.st_size and previous[1] == st.st_mtime_ns and previous[2]:
                found.append(InboxFile(rel_posix, opd, st.st_size, st.st_mtime_ns, previous[2]))
                continue
            sha = None
            if stable_seconds <= 0 or clock() - st.st_mtime >= stable_seconds:
                try:
                    sha = sha256_of(full)
                    after = full.stat()
                except OSError as exc:
                    log.warning("cannot read %s: %s", rel, exc)
                    continue
                if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                    sha = None  # changed while we read it: still being written
            found.append(InboxFile(rel_posix, opd, st.st_size, st.st_mtime_ns, sha))
    return found
