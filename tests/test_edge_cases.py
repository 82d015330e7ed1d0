"""The 38 hard files of ../shared/testdata/edge-cases, each with the outcome its README expects.

Needs ../shared (our machines and CI only); skipped with a message elsewhere.
"""

from __future__ import annotations

import resource

import pytest

from pipeline.ledger.ledger import Ledger
from pipeline.process import process_inbox

from .conftest import shared_path

pytestmark = pytest.mark.slow

EXPECTED = {  # path -> (status, what must hold)
    "made/400-pages.pdf": ("processed", "text-layer"),
    "made/bomb-40000px.png": ("quarantined", "image-too-large"),
    "made/data-imunisasi-2022.xlsx": ("processed", "text-layer"),
    "made/empty.pdf": ("quarantined", "empty"),
    "made/encrypted-owner-only.pdf": ("processed", "text-layer"),
    "made/encrypted-user-password.pdf": ("quarantined", "encrypted-pdf"),
    "made/html-named.jpg": ("quarantined", "type-mismatch"),
    "made/kiriman-opd.zip": ("unsupported", "unsupported"),
    "made/laporan kegiatan (final) — revisi 2 é.pdf": ("processed", "text-layer"),
    "made/laporan-forum-anak.docx": ("processed", "text-layer"),
    "made/mixed-digital-then-scan.pdf": ("processed", "text-layer,ocr"),
    "made/plain-digital.pdf": ("processed", "text-layer"),
    "made/text-named.pdf": ("quarantined", "type-mismatch"),
    "made/truncated.pdf": ("quarantined", "damaged-pdf"),
    "made/with-javascript.pdf": ("processed", "text-layer"),
    "ocrmypdf/invalid.pdf": ("quarantined", "damaged-pdf"),
    "ocrmypdf/truetype_font_nomapping.pdf": ("processed", "ocr"),
    "ocrmypdf/type3_font_nomapping.pdf": ("processed", "ocr"),
}
OCR_READS = {  # a word OCR must find
    "ocrmypdf/aspect.pdf": "circle", "ocrmypdf/cmyk.pdf": "Magenta", "ocrmypdf/jbig2.pdf": "LinnSe",
    "ocrmypdf/ccitt.pdf": "LinnSe", "ocrmypdf/skew.pdf": "LinnSe", "ocrmypdf/rotated_skew.pdf": "LinnSe",
    "ocrmypdf/francais.pdf": "intérieure", "ocrmypdf/c02-22.pdf": "the",
    "made/mixed-digital-then-scan.pdf": "BANTUAN",
}


def test_every_edge_case_behaves_as_listed(tmp_path):
    folder = shared_path("testdata", "edge-cases")
    from pipeline.config import load_settings
    settings = load_settings(env={}, home=tmp_path / "home", inbox=folder, stable_seconds=0)
    summary = process_inbox(settings)
    assert summary.files == 38
    ledger = Ledger(settings.database_url)
    entries = {e.path: e for e in ledger.entries()}
    assert len(entries) == 38
    for path, entry in entries.items():
        status, detail = EXPECTED.get(path, ("processed", None))
        assert entry.status == status, (path, entry.reason_en)
        doc = ledger.document(entry.sha256)
        if status != "processed":
            assert doc.reason_code == detail, path
        elif detail:
            sources = [p["source"] for p in entry.pages]
            assert ",".join(dict.fromkeys(sources)) == detail, path  # distinct sources, in page order
        assert not any(p.get("error") for p in entry.pages), path
        if path in OCR_READS:
            assert OCR_READS[path] in doc.text, path
    assert len(entries["made/400-pages.pdf"].pages) == 400
    # bounded memory: the 35000 x 35000 page and the 40000 px bomb stay far below the machine's size
    assert 50 < summary.worker_peak_mb < 1500
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1_500_000  # KiB, the main process
