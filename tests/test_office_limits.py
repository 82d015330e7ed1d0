"""Decompression and XML limits apply before anything is inflated or parsed whole: generated bombs go through the
pipeline's own reading half in a child process whose peak memory is measured, and through the readers alone."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.extract import office
from pipeline import reasons
from pipeline.ledger.ledger import Ledger, documents, pages

from .bombs import lying_docx, lying_xlsx, many_entries_zip, xml_heavy_docx
from .conftest import ROOT
from .docx_maker import _CT, _RELS, _W, write_docx

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")

# Before the limits, the lying DOCX peaked at 2.07 GB and the XML-heavy one at 1.7 GB (3.1 GB through the whole
# pass); the child's baseline (imports, SQLite) is ~100 MB.
PEAK_LIMIT_MB = 400

_CHILD = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from pipeline.config import load_settings
    from pipeline.ledger.ledger import Ledger
    from pipeline.process import extract_inbox

    home, inbox = Path(sys.argv[1]), Path(sys.argv[2])
    settings = load_settings(env={}, home=home, inbox=inbox, stable_seconds=0, ocr_workers=1)
    ledger = Ledger(settings.database_url)
    extract_inbox(ledger, settings)
    ledger.close()
    # VmHWM is the peak of this process's own memory since exec; getrusage's ru_maxrss would also carry the
    # parent's RSS at the time of the fork (Linux keeps the larger), and pytest's parent is big.
    hwm = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
    print(json.dumps({"peak_mb": hwm / 1024, "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


@pytest.fixture(scope="module")
def bombed(tmp_path_factory):
    """One inbox of bombs and one good file, read by extract_inbox in a child process."""
    base = tmp_path_factory.mktemp("bombs")
    inbox, home = base / "inbox", base / "home"
    d = inbox / "dp3a"
    d.mkdir(parents=True)
    lying_docx(d / "bom.docx")  # 1 KB declared, 1 GB inflated
    lying_xlsx(d / "bom.xlsx")
    xml_heavy_docx(d / "berat.docx")  # ~650 KB holding 190 MB of XML
    many_entries_zip(d / "banyak.docx")  # 100,000 entries
    write_docx(d / "laporan.docx", ["Laporan Forum Anak 2025", "Forum anak mengikuti musrenbang."])
    child = subprocess.run([sys.executable, "-c", _CHILD, str(home), str(inbox)], cwd=ROOT, capture_output=True,
                           text=True, timeout=600)
    assert child.returncode == 0, child.stderr[-3000:]
    peak = json.loads(child.stdout.strip().splitlines()[-1])["peak_mb"]
    ledger = Ledger(f"sqlite:///{(home / 'bukti.sqlite3').resolve()}")
    yield peak, ledger, home
    ledger.close()


def test_bombs_stay_within_memory_and_the_good_file_is_read(bombed):
    peak, ledger, _ = bombed
    assert peak < PEAK_LIMIT_MB, f"extraction peaked at {peak:.0f} MB"
    entries = {e.path: e for e in ledger.entries()}
    assert entries["dp3a/laporan.docx"].status == "processed"
    codes = {path: ledger.document(e.sha256).reason_code for path, e in entries.items()}
    assert codes["dp3a/bom.docx"] == "damaged-office"  # inflates beyond what it declares: caught after one step
    assert codes["dp3a/bom.xlsx"] == "damaged-office"
    assert codes["dp3a/banyak.docx"] == "archive-too-large"  # refused from its end record, never listed
    assert entries["dp3a/berat.docx"].status == "processed"  # read up to the text cap, then stopped


def test_stored_text_of_an_xml_heavy_docx_is_capped_with_a_note(bombed):
    _, ledger, home = bombed
    sha = next(e.sha256 for e in ledger.entries() if e.path == "dp3a/berat.docx")
    doc = ledger.document(sha)
    assert "teks dipotong" in doc.text and "text truncated" in doc.raw_text
    with ledger.begin() as conn:
        stored = conn.execute(sa.select(
            sa.func.length(sa.cast(documents.c.raw_text, sa.LargeBinary))
            + sa.func.length(sa.cast(documents.c.text, sa.LargeBinary))).where(documents.c.sha256 == sha)).scalar()
        stored += conn.execute(sa.select(sa.func.sum(sa.func.length(sa.cast(pages.c.raw_text, sa.LargeBinary))))
                               .where(pages.c.sha256 == sha)).scalar()
    assert stored <= 3 * reasons.TEXT_CAP <= 5_000_000  # was 63 MB of ledger for this one file
    ledger_bytes = sum(p.stat().st_size for p in home.glob("bukti.sqlite3*"))
    assert ledger_bytes < 12_000_000


def _docx_with_body(path: Path, body: str, prolog: str = "") -> Path:
    doc = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{_W}"><w:body>{body}'
           "</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", doc)
    return path


def test_element_count_is_capped_while_streaming(tmp_path, monkeypatch):
    path = _docx_with_body(tmp_path / "a.docx", "<w:p><w:r/></w:p>" * 20_000)
    assert office.read_docx(path).strip() == ""  # 60,000 elements, no text: fine by default
    monkeypatch.setattr(office, "MAX_XML_ELEMENTS", 10_000)
    with pytest.raises(reasons.Rejected) as raised:
        office.read_docx(path)
    assert raised.value.reason.code == "archive-too-large" and "10,000" in raised.value.reason.en


def test_a_doctype_is_refused(tmp_path):
    laughs = '<!DOCTYPE w:document [<!ENTITY a "hahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    path = _docx_with_body(tmp_path / "a.docx", "<w:p><w:r><w:t>&b;</w:t></w:r></w:p>", prolog=laughs)
    with pytest.raises(reasons.Rejected) as raised:
        office.read_docx(path)
    assert raised.value.status == "quarantined" and "DOCTYPE" in raised.value.reason.en


def test_honest_declared_size_over_the_cap_is_refused_before_inflating(tmp_path, monkeypatch):
    path = write_docx(tmp_path / "a.docx", ["Laporan " * 1000])
    monkeypatch.setattr(office, "MAX_UNPACKED_BYTES", 4000)
    reads = []
    monkeypatch.setattr(office, "_member_chunks", lambda *a: reads.append(a) or iter(()))
    with pytest.raises(reasons.Rejected) as raised:
        office.read_docx(path)
    assert raised.value.reason.code == "archive-too-large" and reads == []


def test_streamed_docx_text_matches_paragraphs_and_tables(tmp_path):
    path = write_docx(tmp_path / "a.docx", ["Laporan Forum Anak 2025", "", "Forum anak ikut musrenbang."],
                      table=[["Kecamatan", "Anggota"], ["Utara", "12"]])
    assert office.read_docx(path) == ("Laporan Forum Anak 2025\n\nForum anak ikut musrenbang.\n"
                                      "Kecamatan\tAnggota\nUtara\t12")


def test_text_file_is_read_only_up_to_the_cap(tmp_path):
    path = tmp_path / "besar.txt"
    path.write_text("Notulen rapat forum anak. " * 400_000, encoding="utf-8")  # 10.4 MB
    text = office.read_text_file(path)
    assert len(text) <= reasons.TEXT_CAP + len(reasons.truncation_note())
    assert text.startswith("Notulen rapat") and text.endswith(reasons.truncation_note())
