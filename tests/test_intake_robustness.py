"""Nothing lost, no one in: no file can stop the pass, nothing submitted disappears silently, an emptied inbox
changes nothing, and new content is found by hash even when size and mtime say otherwise."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sqlite3
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from flows.cli import main
from pipeline import reasons
from pipeline.intake import scan
from pipeline.gaps.records import GapList
from pipeline.ledger.ledger import Ledger, files
from pipeline.extract.page import PageRecord
from pipeline.process import process_inbox
from pipeline.intake.record import InboxVanished
from pipeline.reports.data import report_data
from pipeline.intake.scan import CTIME_MARGIN_NS, Known, name_key, scan_inbox

from .conftest import INDONESIAN, ROOT
from .makers import digital_pdf

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")

HEALTH = (ROOT / "samples" / "texts" / "laporan-imunisasi.txt").read_text()


def _ledger(settings) -> Ledger:
    return Ledger(settings.database_url)


def _entries(settings, include_absent: bool = True) -> dict[str, list]:
    ledger = _ledger(settings)
    try:
        out: dict[str, list] = {}
        for e in ledger.entries(include_absent=include_absent):
            out.setdefault(e.path, []).append(e)
        return out
    finally:
        ledger.close()


def _one(settings, path: str):
    (entry,) = [e for e in _entries(settings)[path] if e.present]
    return entry


def _quarantine_sheet(settings, gaps) -> list[str]:
    ledger = _ledger(settings)
    try:
        return [q["path"] for q in report_data(ledger, gaps)["quarantined"]]
    finally:
        ledger.close()


def _covered(gaps: GapList, criterion: str) -> list[str]:
    return [e.path for e in gaps.criterion(criterion).evidence if e.in_period]


# -- names ----------------------------------------------------------------------------------------------------

def test_name_that_is_not_utf8_is_read_kept_losslessly_and_shown_escaped(settings):
    raw = b"dinkes/laporan-\xe9-\xff.pdf"  # Latin-1 bytes, as an old Windows share may hand them over
    digital_pdf(settings.inbox / os.fsdecode(raw), INDONESIAN)
    digital_pdf(settings.inbox / "dinkes" / "baik.pdf", INDONESIAN + " Kedua.")
    (settings.inbox / "dinkes" / "baris\nbaru.txt").write_text("Catatan rapat forum anak.", encoding="utf-8")
    summary = process_inbox(settings)
    assert summary.new_documents == 3 and summary.statuses == {"processed": 3}
    entries = _entries(settings)
    assert set(entries) == {"dinkes/laporan-\\xe9-\\xff.pdf", "dinkes/baik.pdf", "dinkes/baris\\x0abaru.txt"}
    shown = _one(settings, "dinkes/laporan-\\xe9-\\xff.pdf")
    assert shown.status == "processed" and shown.name_escaped
    assert shown.sha256 == hashlib.sha256((settings.inbox / os.fsdecode(raw)).read_bytes()).hexdigest()
    with sqlite3.connect(settings.home / "bukti.sqlite3") as db:  # the bytes themselves, for a round trip
        (stored,) = db.execute("select raw_name from files where path = ?", (shown.path,)).fetchone()
    assert bytes(stored) == raw
    again = process_inbox(settings)
    assert again.new_documents == 0 and again.statuses == {"processed": 3}


def test_name_keys_are_printable_bounded_and_distinct():
    assert name_key("dinkes/Laporan (final) é.pdf") == ("dinkes/Laporan (final) é.pdf", None)
    assert name_key("a\u202egpj.exe")[0] == "a\\u202egpj.exe"  # a right-to-left override cannot disguise a name
    deep = "/".join(["d" * 250] * 6)
    key, raw = name_key(deep)
    assert len(key) <= scan.MAX_KEY_CHARS and raw == deep.encode()
    assert name_key(deep[:-1] + "e")[0] != key


def test_escaped_name_equal_to_a_real_name_keeps_both(settings):
    (settings.inbox / os.fsdecode(b"a\xe9.txt")).write_text("Satu.", encoding="utf-8")
    (settings.inbox / "a\\xe9.txt").write_text("Dua.", encoding="utf-8")  # literally a backslash, x, e, 9
    found = scan_inbox(settings.inbox, stable_seconds=0)
    assert len(found) == len({f.path for f in found}) == 2
    assert {f.location(settings.inbox).read_text() for f in found} == {"Satu.", "Dua."}


# -- files that fail ------------------------------------------------------------------------------------------

def test_file_deleted_between_scan_and_archiving_is_recorded_and_the_rest_go_on(settings):
    digital_pdf(settings.inbox / "dinkes" / "hilang.pdf", INDONESIAN)
    digital_pdf(settings.inbox / "dinkes" / "tetap.pdf", INDONESIAN + " Tetap.")

    def run_stage(name, fn, *args, **kwargs):
        out = fn(*args, **kwargs)
        if name == "scan-inbox":
            (settings.inbox / "dinkes" / "hilang.pdf").unlink()
        return out

    summary = process_inbox(settings, run_stage=run_stage)
    assert summary.new_documents == 1
    gone = _one(settings, "dinkes/hilang.pdf")
    assert gone.status == "quarantined" and "left the inbox before it could be archived" in gone.reason_en
    assert _one(settings, "dinkes/tetap.pdf").status == "processed"
    assert "dinkes/hilang.pdf" in _quarantine_sheet(settings, summary.gaps)
    process_inbox(settings)
    (later,) = _entries(settings)["dinkes/hilang.pdf"]
    assert not later.present and later.status == "withdrawn"  # still listed with --all


def test_unreadable_file_is_quarantined_with_its_reason_and_shown_in_the_reports(settings, monkeypatch):
    digital_pdf(settings.inbox / "dinkes" / "terkunci.pdf", INDONESIAN)
    digital_pdf(settings.inbox / "dinkes" / "baik.pdf", INDONESIAN + " Baik.")
    real = scan._hash_open

    def hash_open(full, *args):
        if full.name == "terkunci.pdf":  # as a share's permissions would (root reads everything, so simulated)
            raise PermissionError(13, "Permission denied", str(full))
        return real(full, *args)

    monkeypatch.setattr(scan, "_hash_open", hash_open)
    summary = process_inbox(settings)
    locked = _one(settings, "dinkes/terkunci.pdf")
    assert locked.status == "quarantined" and "Permission denied" in locked.reason_en
    assert locked.reason.startswith("Berkas tidak dapat dibaca")
    assert _one(settings, "dinkes/baik.pdf").status == "processed"
    assert "dinkes/terkunci.pdf" in _quarantine_sheet(settings, summary.gaps)
    monkeypatch.setattr(scan, "_hash_open", real)  # permissions fixed: read on the next pass
    assert process_inbox(settings).new_documents == 1
    assert _one(settings, "dinkes/terkunci.pdf").status == "processed"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_its_mode(settings):
    locked = digital_pdf(settings.inbox / "dinkes" / "terkunci.pdf", INDONESIAN)
    locked.chmod(0)
    try:
        process_inbox(settings)
    finally:
        locked.chmod(0o644)
    assert _one(settings, "dinkes/terkunci.pdf").status == "quarantined"


def test_unreadable_folder_is_listed_and_its_known_files_are_not_taken_for_gone(settings, monkeypatch):
    digital_pdf(settings.inbox / "dinkes" / "rahasia" / "a.pdf", HEALTH)
    digital_pdf(settings.inbox / "dinkes" / "b.pdf", INDONESIAN)
    process_inbox(settings)
    real_walk = os.walk

    def walk(top, topdown=True, onerror=None, followlinks=False):  # os.walk's signature: others call it too
        for dirpath, dirnames, filenames in real_walk(top, topdown, onerror, followlinks):
            if "rahasia" in dirnames and onerror is not None:
                dirnames.remove("rahasia")
                onerror(PermissionError(13, "Permission denied", os.path.join(dirpath, "rahasia")))
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(os, "walk", walk)
    summary = process_inbox(settings)
    folder = _one(settings, "dinkes/rahasia/")
    assert folder.status == "quarantined" and "cannot open the folder" in folder.reason_en
    assert _one(settings, "dinkes/rahasia/a.pdf").status == "processed"  # unknown, not gone
    assert "dinkes/rahasia/a.pdf" in _covered(summary.gaps, "kesehatan")
    monkeypatch.setattr(os, "walk", real_walk)
    process_inbox(settings)
    assert "dinkes/rahasia/" not in _entries(settings)  # readable again: the folder entry goes


def test_symlink_is_listed_as_unsupported_and_not_followed(settings, tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi", encoding="utf-8")
    (settings.inbox / "dinkes").mkdir()
    (settings.inbox / "dinkes" / "tautan.txt").symlink_to(secret)
    process_inbox(settings)
    link = _one(settings, "dinkes/tautan.txt")
    assert link.status == "unsupported" and link.sha256 is None and "Symbolic links" in link.reason_en


def test_crash_while_taking_a_file_in_is_recorded_against_it(settings, monkeypatch):
    import pipeline.intake.record as record

    (settings.inbox / "dinkes").mkdir()
    (settings.inbox / "dinkes" / "aneh.txt").write_text("Aneh.", encoding="utf-8")
    (settings.inbox / "dinkes" / "biasa.txt").write_text("Biasa.", encoding="utf-8")
    real = record.sniff
    monkeypatch.setattr(record, "sniff", lambda p: 1 / 0 if p.read_bytes() == b"Aneh." else real(p))
    summary = process_inbox(settings)
    assert summary.new_documents == 1
    odd = _one(settings, "dinkes/aneh.txt")
    assert odd.status == "quarantined" and "ZeroDivisionError" in odd.reason_en


def test_parser_crash_quarantines_the_file_and_the_rest_go_on(settings, monkeypatch):
    import pipeline.extract.plan as plan
    from .docx_maker import write_docx

    (settings.inbox / "dp3a").mkdir()
    write_docx(settings.inbox / "dp3a" / "meledak.docx", ["Laporan"])
    (settings.inbox / "dp3a" / "catatan.txt").write_text("Catatan rapat forum anak.", encoding="utf-8")
    monkeypatch.setattr(plan, "read_docx", lambda path: [][1])
    summary = process_inbox(settings)
    assert summary.statuses == {"processed": 1, "quarantined": 1}
    assert "IndexError" in _one(settings, "dp3a/meledak.docx").reason_en


def test_two_identical_bad_files_are_both_on_the_quarantine_sheet(settings):
    (settings.inbox / "dinkes").mkdir()
    (settings.inbox / "dinsos").mkdir()
    (settings.inbox / "dinkes" / "kosong.pdf").write_bytes(b"")
    (settings.inbox / "dinsos" / "kosong.pdf").write_bytes(b"")
    summary = process_inbox(settings)
    assert sorted(_quarantine_sheet(settings, summary.gaps)) == ["dinkes/kosong.pdf", "dinsos/kosong.pdf"]
    copy = _one(settings, "dinsos/kosong.pdf")
    assert copy.status == "quarantined" and copy.duplicate_of == "dinkes/kosong.pdf"


# -- files that leave or change -------------------------------------------------------------------------------

def test_replaced_file_keeps_its_history_and_the_new_content_counts(cli_env):
    settings = cli_env
    report = digital_pdf(settings.inbox / "dinkes" / "laporan.pdf", HEALTH)
    first = process_inbox(settings)
    assert _covered(first.gaps, "kesehatan") == ["dinkes/laporan.pdf"]
    old_sha = _one(settings, "dinkes/laporan.pdf").sha256
    digital_pdf(report, INDONESIAN)  # an education report under the same name
    second = process_inbox(settings)
    assert second.new_documents == 1
    versions = {e.status: e for e in _entries(settings)["dinkes/laporan.pdf"]}
    assert set(versions) == {"processed", "superseded"}
    assert versions["superseded"].sha256 == old_sha and versions["superseded"].counts is False
    assert "Replaced by new content" in versions["superseded"].reason_en
    assert _covered(second.gaps, "kesehatan") == []  # the rule: the new content replaces the old
    # ... unless the coordinator keeps the old one
    assert main(["documents", "--keep", old_sha, "--reviewer", "Koordinator"]) == 0
    ledger = _ledger(settings)
    try:
        assert ledger.evidence_state()[old_sha].counts
        assert [r.state for r in ledger.evidence_rows() if r.sha256 == old_sha][0] == "superseded"
    finally:
        ledger.close()
    assert _covered(process_inbox(settings).gaps, "kesehatan") == ["dinkes/laporan.pdf"]


def test_withdrawn_file_counts_until_the_coordinator_drops_it(cli_env, capsys):
    settings = cli_env
    gone = digital_pdf(settings.inbox / "dinkes" / "imunisasi.pdf", HEALTH)
    process_inbox(settings)
    gone.unlink()
    summary = process_inbox(settings)
    assert _covered(summary.gaps, "kesehatan") == ["dinkes/imunisasi.pdf"]
    (entry,) = _entries(settings)["dinkes/imunisasi.pdf"]
    assert entry.status == "withdrawn" and entry.counts and "still counts" in entry.reason_en
    assert "dinkes/imunisasi.pdf" not in _entries(settings, include_absent=False)
    assert main(["documents", "--drop", "dinkes/imunisasi.pdf", "--reviewer", "Koordinator"]) == 0
    assert "tidak dihitung" in capsys.readouterr().out
    assert _covered(process_inbox(settings).gaps, "kesehatan") == []
    (entry,) = _entries(settings)["dinkes/imunisasi.pdf"]
    assert entry.counts is False and entry.override == "drop"
    assert main(["documents", "--by-rule", "dinkes/imunisasi.pdf", "--reviewer", "Koordinator"]) == 0
    assert _covered(process_inbox(settings).gaps, "kesehatan") == ["dinkes/imunisasi.pdf"]


def test_same_size_and_mtime_new_content_is_read(settings):
    """`cp -p`: same size, the old mtime restored; only the ctime (and the hash) tell."""
    path = settings.inbox / "dinkes" / "data.txt"
    path.parent.mkdir()
    path.write_text("Cakupan imunisasi 2025: 91 persen.", encoding="utf-8")
    first = scan_inbox(settings.inbox, stable_seconds=0)[0]
    st = path.stat()
    # As if hashed long after its last change, so size, mtime, ctime and inode alone would let the hash be reused.
    known = {first.path: Known(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                               st.st_ctime_ns + CTIME_MARGIN_NS + 10**9, first.sha256)}
    assert scan_inbox(settings.inbox, stable_seconds=0, known=known)[0].sha256 == first.sha256
    time.sleep(0.05)  # past the file system's timestamp tick
    path.write_text("Cakupan imunisasi 2025: 19 persen.", encoding="utf-8")  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    again = scan_inbox(settings.inbox, stable_seconds=0, known=known)[0]
    assert again.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() != first.sha256


def test_recently_changed_file_is_hashed_again_even_when_its_stat_matches(settings):
    path = settings.inbox / "a.txt"
    path.write_text("isi", encoding="utf-8")
    st = path.stat()
    # Hashed within the margin of its last change: a write in the same ctime tick could have been missed.
    known = {"a.txt": Known(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_ctime_ns + 10**6,
                            "f" * 64)}
    assert scan_inbox(settings.inbox, stable_seconds=0, known=known)[0].sha256 != "f" * 64


def test_cp_p_replacement_through_whole_passes(settings):
    path = settings.inbox / "dinkes" / "data.txt"
    path.parent.mkdir()
    path.write_text("Cakupan imunisasi 2025: 91 persen.", encoding="utf-8")
    process_inbox(settings)
    process_inbox(settings)
    st = path.stat()
    time.sleep(0.05)
    path.write_text("Cakupan imunisasi 2025: 19 persen.", encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert process_inbox(settings).new_documents == 1
    assert {e.status for e in _entries(settings)["dinkes/data.txt"]} == {"processed", "superseded"}


def test_file_being_rewritten_keeps_its_last_content_until_settled(settings):
    path = digital_pdf(settings.inbox / "dinkes" / "imunisasi.pdf", HEALTH)
    process_inbox(settings)
    sha = _one(settings, "dinkes/imunisasi.pdf").sha256
    path.write_bytes(path.read_bytes() + b"\n% ditulis")  # modified just now: not settled yet
    busy = process_inbox(dataclasses.replace(settings, stable_seconds=3600))
    entry = _one(settings, "dinkes/imunisasi.pdf")
    assert entry.status == "pending" and entry.sha256 == sha and entry.counts
    assert _covered(busy.gaps, "kesehatan") == ["dinkes/imunisasi.pdf"]
    assert process_inbox(settings).new_documents == 1  # settled: read, the old content kept as superseded
    assert {e.status for e in _entries(settings)["dinkes/imunisasi.pdf"]} == {"processed", "superseded"}


# -- an emptied inbox -----------------------------------------------------------------------------------------

def _fill(inbox: Path, n: int) -> None:
    (inbox / "dinkes").mkdir(exist_ok=True)
    for i in range(n):
        (inbox / "dinkes" / f"catatan-{i}.txt").write_text(f"Catatan rapat {i}.", encoding="utf-8")


def test_emptied_inbox_changes_nothing_and_says_why(settings):
    _fill(settings.inbox, 8)
    digital_pdf(settings.inbox / "dinkes" / "imunisasi.pdf", HEALTH)
    first = process_inbox(settings)
    report = Path(first.reports[0])
    stamp = report.stat().st_mtime_ns
    for p in (settings.inbox / "dinkes").iterdir():
        p.unlink()  # as an unmounted share looks: an empty folder
    with pytest.raises(InboxVanished) as raised:
        process_inbox(settings)
    assert "9 of the 9 files" in str(raised.value) and "--accept-removal" in str(raised.value)
    assert report.stat().st_mtime_ns == stamp
    assert all(e.present for es in _entries(settings).values() for e in es)
    assert len(_entries(settings)) == 9
    accepted = process_inbox(dataclasses.replace(settings, max_gone_fraction=1.0))
    assert accepted.files == 0
    assert {e.status for es in _entries(settings).values() for e in es} == {"withdrawn"}
    assert _covered(accepted.gaps, "kesehatan") == ["dinkes/imunisasi.pdf"]  # withdrawn still counts


def test_a_few_files_leaving_is_fine(settings):
    _fill(settings.inbox, 10)
    process_inbox(settings)
    for i in range(5):  # exactly half: not more than the limit
        (settings.inbox / "dinkes" / f"catatan-{i}.txt").unlink()
    assert process_inbox(settings).files == 5


def test_run_exits_non_zero_on_an_emptied_inbox_and_accept_removal_goes_through(cli_env, capsys):
    _fill(cli_env.inbox, 6)
    assert main(["run", "--no-prefect"]) == 0
    for p in (cli_env.inbox / "dinkes").iterdir():
        p.unlink()
    capsys.readouterr()
    assert main(["run", "--no-prefect"]) == 4
    err = capsys.readouterr().err
    assert "6 dari 6 berkas" in err and "6 of the 6 files" in err
    assert main(["run", "--no-prefect", "--accept-removal"]) == 0
    assert "BUKTI_MAX_GONE_FRACTION" not in os.environ
    assert main(["run", "--no-prefect"]) == 0  # nothing known present any more: nothing to guard


def test_guard_threshold_is_a_setting(settings):
    from pipeline.config import ConfigError, load_settings

    assert settings.max_gone_fraction == 0.5
    assert load_settings(env={"BUKTI_MAX_GONE_FRACTION": "0.8"}).max_gone_fraction == 0.8
    with pytest.raises(ConfigError):
        load_settings(env={"BUKTI_MAX_GONE_FRACTION": "0"})


# -- the ledger -----------------------------------------------------------------------------------------------

def test_old_ledger_is_upgraded_in_place(tmp_path):
    db = tmp_path / "lama.sqlite3"
    with sqlite3.connect(db) as conn:  # the files table as the first release made it
        conn.executescript("""
            CREATE TABLE files (path VARCHAR(1024) NOT NULL PRIMARY KEY, opd VARCHAR(128) NOT NULL,
                sha256 VARCHAR(64), size BIGINT NOT NULL, mtime_ns BIGINT NOT NULL, present BOOLEAN NOT NULL,
                duplicate_of VARCHAR(1024), first_seen DATETIME NOT NULL, last_seen DATETIME NOT NULL);
            CREATE TABLE meta (key VARCHAR(64) NOT NULL PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta VALUES ('schema_version', '1');
            INSERT INTO files VALUES ('dinkes/a.pdf', 'dinkes', NULL, 10, 20, 1, NULL,
                                      '2026-01-01 00:00:00', '2026-01-02 00:00:00');
        """)
    ledger = Ledger(f"sqlite:///{db}")
    try:
        columns = {c["name"] for c in sa.inspect(ledger.engine).get_columns("files")}
        assert {"raw_name", "ctime_ns", "inode", "hashed_ns", "changing", "left_at", "error_code"} <= columns
        assert ledger.known_files()["dinkes/a.pdf"] == Known(10, 20, None, None, None, None)
        assert [e.status for e in ledger.entries()] == ["pending"]
        with ledger.begin() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(files)).scalar() == 1
    finally:
        ledger.close()
    Ledger(f"sqlite:///{db}").close()  # a second open finds nothing to add


def test_stored_text_is_capped_and_storable(tmp_path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.sqlite3'}")
    try:
        with ledger.begin() as conn:
            ledger.add_document(conn, sha256="a" * 64, kind="text", size=1)
        huge = "Laporan forum anak. " * 500_000 + "\x00\udc80"  # 10 MB, a NUL and a lone surrogate
        ledger.store_extraction("a" * 64, [PageRecord(1, "text-layer", huge), PageRecord(2, "text-layer", huge)],
                                huge, huge, "1")
        doc = ledger.document("a" * 64)
        assert len(doc.raw_text.encode()) <= reasons.TEXT_CAP and doc.raw_text.endswith(reasons.truncation_note())
        assert len(doc.text.encode()) <= reasons.TEXT_CAP
        with ledger.begin() as conn:
            from pipeline.ledger.ledger import pages
            stored = [r.raw_text for r in conn.execute(sa.select(pages.c.raw_text).order_by(pages.c.number))]
        assert sum(len(t.encode()) for t in stored) <= reasons.TEXT_CAP
        assert reasons.storable_text("a\x00b\udc80") == "a\ufffdb\ufffd"
    finally:
        ledger.close()
