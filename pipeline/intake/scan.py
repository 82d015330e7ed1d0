"""Stage 1: walk the inbox and say which files are there, which are settled, and what their content hash is.

Nothing found here can stop the pass: a file that cannot be read, a folder that cannot be opened, a symbolic link,
a name that is not UTF-8, are each returned as an entry with a reason, and the walk goes on.

Names are kept losslessly. A name that is valid UTF-8 without control characters is its own key, exactly as
named; any other name gets a printable key (undecodable bytes and control characters written as \\xNN) and its
raw bytes are kept beside it (`raw_name`), so the file can still be opened and the name shown safely.

New content is detected by hash, never by size and mtime alone. A file's stored hash is reused only when its
size, mtime, ctime and inode are all unchanged, and its ctime is older than the moment it was last hashed (with a
margin). `cp -p` keeps the mtime but not the ctime; replacing a file by renaming another over it changes the
inode; a change within the same clock tick as our read is caught by the ctime margin on the next pass.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path

from pipeline import reasons
from pipeline.config import INBOX_LAYOUTS
from pipeline.records import InboxFile, Known
from pipeline.status import Status

log = logging.getLogger(__name__)

UNKNOWN_OPD = "unknown"
# Under the `region/opd` layout, a file at the top of the inbox belongs to no region folder: its region is this,
# as a file directly under a region folder has the OPD "unknown". Both stay visible (documents, gap lists) so
# the coordinator can move them; neither is guessed.
UNKNOWN_REGION = "unknown"
_SKIP_NAMES = {"README.md", ".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"}
# A file whose ctime is this close to (or after) the moment it was hashed is hashed again on the next pass: a
# write in the same ctime tick as our read, or on a share whose clock runs a little behind ours.
CTIME_MARGIN_NS = 60 * 10**9
MAX_KEY_CHARS = 1000  # files.path is VARCHAR(1024) on PostgreSQL; longer names get a shortened key
MAX_OPD_CHARS = 128  # files.opd and files.region are VARCHAR(128)
_O_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# Known and InboxFile cross stages (the scan makes them, the ledger and the record stage read them): they live in
# pipeline/records.py and are named here too, where they were first.


def name_key(rel: str) -> tuple[str, bytes | None]:
    """(printable key, raw bytes or None) for a name as os.walk returns it (undecodable bytes as surrogates)."""
    raw = os.fsencode(rel)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _needs_escape(text) and len(text) <= MAX_KEY_CHARS:
        return text, None
    key = "".join(_escape(ch) for ch in raw.decode("utf-8", "surrogateescape"))
    if len(key) > MAX_KEY_CHARS:  # keep the end (the name and its extension), mark the cut with the bytes' hash
        key = key[:200] + "…" + hashlib.sha256(raw).hexdigest()[:12] + "…" + key[-(MAX_KEY_CHARS - 230):]
    return key, raw


def _needs_escape(text: str) -> bool:
    return bool(_BIDI.search(text)) or any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as surrogateescape carries it
        return f"\\x{code - 0xDC00:02x}"
    if _BIDI.match(ch) or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class _NotRegular(Exception):
    pass


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _hash_open(full: Path, chunk: int = 1 << 20) -> tuple[str, os.stat_result, os.stat_result]:
    """sha256 of the file, read through one descriptor opened without following links and without blocking
    (a FIFO swapped in after the listing must not hang the pass); the descriptor's stat before and after."""
    fd = os.open(full, _O_FLAGS)
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise _NotRegular
        digest = hashlib.sha256()
        while block := os.read(fd, chunk):
            digest.update(block)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    return digest.hexdigest(), before, after


def _as_known(value: object) -> Known:
    if isinstance(value, Known):
        return value
    size, mtime_ns, sha = value  # (size, mtime_ns, sha256) from older callers: no ctime, so never trusted
    return Known(size, mtime_ns, None, None, None, sha)


def _trusted(previous: Known | None, st: os.stat_result) -> bool:
    """Whether the stored hash of this path still describes its content."""
    if previous is None or not previous.sha256 or previous.ctime_ns is None or previous.hashed_ns is None:
        return False
    return ((previous.size, previous.mtime_ns, previous.ctime_ns, previous.inode) == _signature(st)
            and st.st_ctime_ns < previous.hashed_ns - CTIME_MARGIN_NS)


def _folder_name(part: str) -> str:
    # Case is not meaningful in a folder's name: "Dinkes" and "dinkes" are one OPD (or region).
    return name_key(part)[0].lower()[:MAX_OPD_CHARS]


def _place_of(parts: tuple[str, ...], layout: str = "opd") -> tuple[str, str]:
    """(region, opd) of a file from its path's parts: `opd/...` or `region/opd/...`. A missing level is
    "unknown" (a file at the top of the inbox, or directly under a region's folder)."""
    if layout == "opd":
        return "", _folder_name(parts[0]) if len(parts) >= 2 else UNKNOWN_OPD
    if len(parts) < 2:
        return UNKNOWN_REGION, UNKNOWN_OPD
    return _folder_name(parts[0]), _folder_name(parts[1]) if len(parts) >= 3 else UNKNOWN_OPD


def _is_skipped(rel: Path) -> bool:
    # Office lock files (~$x.docx), editor temp files and hidden files are never evidence.
    name = rel.name
    return (name in _SKIP_NAMES or name.startswith((".", "~$")) or name.endswith((".part", ".crdownload", ".tmp"))
            or any(part.startswith(".") for part in rel.parts[:-1]))


def scan_inbox(inbox: Path, stable_seconds: float = 5.0, known: Mapping[str, Known | tuple] | None = None,
               clock: Callable[[], float] = time.time, layout: str = "opd") -> list[InboxFile]:
    """List the files below `inbox`; never writes to it.

    A file modified less than `stable_seconds` ago, or that changes while it is hashed, is returned with
    sha256=None (pending) and read on a later pass. `known` maps path -> Known from the ledger: a file whose
    stored hash is still trusted (see the module's docstring) is not hashed again. A file or folder that cannot
    be read is returned with `error` set. `layout` is "opd" (inbox/<opd>/...) or "region/opd"
    (inbox/<region>/<opd>/...), which decides each file's `opd` and `region`.
    """
    if layout not in INBOX_LAYOUTS:
        raise ValueError(f"inbox layout must be one of {', '.join(INBOX_LAYOUTS)}, not {layout!r}")
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder {inbox} does not exist")
    known = known or {}
    found: list[InboxFile] = []
    keys: set[str] = set()

    def add(entry: InboxFile | None) -> None:
        if entry is None:
            return
        if entry.path in keys:  # an escaped name equal to a real one: keep both, apart, under a stable key
            raw = entry.raw_name or os.fsencode(entry.path)
            entry = InboxFile(**{**entry.__dict__, "path": f"{entry.path}…{hashlib.sha256(raw).hexdigest()[:8]}",
                                 "raw_name": raw})
        keys.add(entry.path)
        found.append(entry)

    def folder_error(exc: OSError) -> None:
        if not exc.filename:
            return
        try:
            rel = Path(exc.filename).relative_to(inbox)
        except ValueError:
            return
        if not rel.parts or _is_skipped(rel / "x"):
            return
        key, raw = name_key(rel.as_posix() + "/")
        detail = exc.strerror or type(exc).__name__
        log.warning("cannot open folder %s: %s", key, detail)
        region, opd = _place_of(rel.parts + ("x",), layout)
        add(InboxFile(key, opd, 0, 0, None, raw_name=raw, is_folder=True, region=region,
                      error=reasons.Rejected(Status.QUARANTINED, reasons.unreadable_folder(detail))))

    for dirpath, dirnames, filenames in os.walk(inbox, onerror=folder_error, followlinks=False):
        dirnames.sort()
        for name in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            rel = Path(dirpath, name).relative_to(inbox)  # a linked folder is never walked; say so
            if not _is_skipped(rel):
                key, raw = name_key(rel.as_posix() + "/")
                region, opd = _place_of(rel.parts + ("x",), layout)
                add(InboxFile(key, opd, 0, 0, None, raw_name=raw, is_folder=True, region=region,
                              error=reasons.Rejected(Status.UNSUPPORTED, reasons.symlink())))
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(inbox)
            if _is_skipped(rel):
                continue
            key, raw = name_key(rel.as_posix())
            place = _place_of(rel.parts, layout)
            try:
                add(_scan_one(full, key, raw, place, known.get(key), stable_seconds, clock))
            except Exception as exc:  # noqa: BLE001 - one odd file must never stop the walk
                log.exception("unexpected error while scanning %s", key)
                add(InboxFile(key, place[1], 0, 0, None, raw_name=raw, region=place[0], error=reasons.Rejected(
                    Status.QUARANTINED, reasons.unexpected(f"{type(exc).__name__}: {exc}"[:200]))))
    return found


def _scan_one(full: Path, key: str, raw: bytes | None, place: tuple[str, str], previous: object,
              stable_seconds: float, clock: Callable[[], float]) -> InboxFile | None:
    previous = _as_known(previous) if previous is not None else None
    try:
        st = os.lstat(full)
    except FileNotFoundError:  # gone between the listing and now: it is simply not there
        return None
    except OSError as exc:
        return _failed(key, place, raw, None, reasons.unreadable_file(exc.strerror or str(exc)))
    if stat.S_ISLNK(st.st_mode):
        return _failed(key, place, raw, st, reasons.symlink(), Status.UNSUPPORTED)
    if not stat.S_ISREG(st.st_mode):
        return _failed(key, place, raw, st, reasons.not_regular_file(), Status.UNSUPPORTED)
    entry = dict(path=key, region=place[0], opd=place[1], size=st.st_size, mtime_ns=st.st_mtime_ns, ctime_ns=st.st_ctime_ns,
                 inode=st.st_ino, raw_name=raw)
    if _trusted(previous, st):
        return InboxFile(**entry, sha256=previous.sha256, hashed_ns=previous.hashed_ns)
    if stable_seconds > 0 and clock() - st.st_mtime < stable_seconds:
        return InboxFile(**entry, sha256=None)
    started = time.time_ns()
    try:
        sha, before, after = _hash_open(full)
    except FileNotFoundError:
        return None
    except _NotRegular:
        return _failed(key, place, raw, st, reasons.not_regular_file(), Status.UNSUPPORTED)
    except OSError as exc:
        log.warning("cannot read %s: %s", key, exc)
        return _failed(key, place, raw, st, reasons.unreadable_file(exc.strerror or str(exc)))
    if not (_signature(before) == _signature(after) == _signature(st)):
        return InboxFile(**entry, sha256=None)  # changed while we read it: still being written
    return InboxFile(**entry, sha256=sha, hashed_ns=started)


def _failed(key: str, place: tuple[str, str], raw: bytes | None, st: os.stat_result | None,
            reason: reasons.Reason, status: str = Status.QUARANTINED) -> InboxFile:
    """An entry for a file we cannot take in. Its last known content (if any) is kept by the ledger."""
    return InboxFile(key, place[1], st.st_size if st else 0, st.st_mtime_ns if st else 0, None, raw_name=raw,
                     region=place[0], error=reasons.Rejected(status, reason))
