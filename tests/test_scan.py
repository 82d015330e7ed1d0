import os
from pathlib import Path

import pytest

from pipeline.intake.scan import CTIME_MARGIN_NS, Known, scan_inbox


def _touch(path: Path, data: bytes = b"%PDF-1.4 x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_opd_from_first_folder_and_unknown_at_top(tmp_path: Path):
    _touch(tmp_path / "Dinkes" / "2025" / "a.pdf")
    _touch(tmp_path / "b.pdf")
    found = {f.path: f.opd for f in scan_inbox(tmp_path, stable_seconds=0)}
    assert found == {"Dinkes/2025/a.pdf": "dinkes", "b.pdf": "unknown"}


def test_hidden_lock_and_partial_files_are_skipped(tmp_path: Path):
    for name in (".hidden.pdf", "~$laporan.docx", "unduhan.pdf.crdownload", "README.md", ".git/x.pdf"):
        _touch(tmp_path / "dinkes" / name)
    assert scan_inbox(tmp_path, stable_seconds=0) == []


def test_recently_modified_file_is_pending_until_stable(tmp_path: Path):
    f = _touch(tmp_path / "dinkes" / "a.pdf")
    mtime = f.stat().st_mtime
    (pending,) = scan_inbox(tmp_path, stable_seconds=5, clock=lambda: mtime + 1)
    assert pending.sha256 is None
    (settled,) = scan_inbox(tmp_path, stable_seconds=5, clock=lambda: mtime + 6)
    assert settled.sha256 is not None and len(settled.sha256) == 64


def test_unchanged_known_file_is_not_hashed_again(tmp_path: Path):
    f = _touch(tmp_path / "dinkes" / "a.pdf")
    st = f.stat()
    # Hashed well after its last change: size, mtime, ctime and inode as remembered, so the hash is reused.
    hashed_ns = st.st_ctime_ns + CTIME_MARGIN_NS + 10**9
    known = {"dinkes/a.pdf": Known(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, hashed_ns, "f" * 64)}
    (entry,) = scan_inbox(tmp_path, stable_seconds=0, known=known)
    assert entry.sha256 == "f" * 64  # taken from the ledger, not recomputed
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    (entry,) = scan_inbox(tmp_path, stable_seconds=0, known=known)
    assert entry.sha256 != "f" * 64


def test_scan_never_writes_to_the_inbox(tmp_path: Path):
    _touch(tmp_path / "dinkes" / "a.pdf")
    before = sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    scan_inbox(tmp_path, stable_seconds=0)
    assert sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before


def test_region_layout_reads_region_then_opd(tmp_path):
    for rel in ("Kab-Semarang/Dinkes/a.pdf", "kab-semarang/dinsos/sub/b.pdf", "kota-solo/loose.pdf", "top.pdf"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    found = {f.path: (f.region, f.opd) for f in scan_inbox(tmp_path, stable_seconds=0, layout="region/opd")}
    assert found == {"Kab-Semarang/Dinkes/a.pdf": ("kab-semarang", "dinkes"),
                     "kab-semarang/dinsos/sub/b.pdf": ("kab-semarang", "dinsos"),
                     "kota-solo/loose.pdf": ("kota-solo", "unknown"),  # directly under a region: no OPD
                     "top.pdf": ("unknown", "unknown")}  # above every region
    # The default layout is unchanged: the first level is the OPD, and there is no region.
    single = {f.path: (f.region, f.opd) for f in scan_inbox(tmp_path, stable_seconds=0)}
    assert single["Kab-Semarang/Dinkes/a.pdf"] == ("", "kab-semarang") and single["top.pdf"] == ("", "unknown")


def test_region_layout_places_unreadable_folders(tmp_path):
    (tmp_path / "kota-solo" / "dinkes").mkdir(parents=True)
    (tmp_path / "kota-solo" / "link").symlink_to(tmp_path / "kota-solo" / "dinkes")
    (entry,) = scan_inbox(tmp_path, stable_seconds=0, layout="region/opd")
    assert (entry.path, entry.region, entry.opd, entry.is_folder) == ("kota-solo/link/", "kota-solo", "link", True)


def test_unknown_layout_is_refused(tmp_path):
    with pytest.raises(ValueError, match="layout"):
        scan_inbox(tmp_path, layout="opd/region")
