"""Regenerate samples/inbox from samples/texts: the sample documents the README's first command processes.

Each kind of input a real inbox gets is here: born-digital PDFs, image-only scans (one skewed, one upside
down), a phone photo (JPEG), a multi-page TIFF and an irrelevant letter, spread over OPD folders.
Run: .venv/bin/python scripts/make_sample_inbox.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.training.synth import (degrade, digital_pdf_bytes, paginate, render_page, save_jpeg, save_scanned_pdf,
                            save_tiff)

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "samples" / "texts"
INBOX = ROOT / "samples" / "inbox"
DPI = 150  # enough for OCR, small enough to keep the committed samples to a few MB


def text(name: str) -> str:
    return (TEXTS / f"{name}.txt").read_text(encoding="utf-8")


def scans(name: str, **damage) -> list:
    return [degrade(render_page(lines, dpi=DPI), seed=i, **damage)
            for i, lines in enumerate(paginate(text(name), lines_per_page=40, width=72))]


def main() -> None:
    if INBOX.exists():
        shutil.rmtree(INBOX)
    for opd in ("bagian-hukum", "dinkes", "disdik", "dindukcapil", "dlh", "bapenda", "dinkominfo", "dp3a"):
        (INBOX / opd).mkdir(parents=True)
    (INBOX / "bagian-hukum" / "Perwal 14 Tahun 2025 Bantuan Hukum.pdf").write_bytes(
        digital_pdf_bytes(text("perwal-bantuan-hukum"), "Perwal 14/2025"))
    (INBOX / "dinkominfo" / "laporan-ppid-2025.pdf").write_bytes(digital_pdf_bytes(text("laporan-ppid")))
    (INBOX / "bapenda" / "undangan-rapat-pajak.pdf").write_bytes(digital_pdf_bytes(text("undangan-rapat-pajak")))
    save_scanned_pdf(scans("laporan-imunisasi", noise=8, blur=0.4), INBOX / "dinkes" / "scan-laporan-imunisasi-2025.pdf", DPI)
    save_scanned_pdf(scans("sk-pendidikan-inklusif", angle=3.5, noise=6), INBOX / "disdik" / "SK inklusif 2025 (scan miring).pdf", DPI)
    save_scanned_pdf([p.rotate(180) for p in scans("forum-anak", noise=6)], INBOX / "dp3a" / "laporan-forum-anak-terbalik.pdf", DPI)
    photo = scans("laporan-akta-kelahiran", angle=-4.0, noise=10, blur=0.6, shade=True)[0]
    save_jpeg(photo, INBOX / "dindukcapil" / "foto-laporan-akta-kelahiran.jpg", quality=75)
    # A two-page fax-style TIFF (bilevel, CCITT group 4), as office scanners send to a shared folder.
    pages = [degrade(render_page(lines, dpi=200), seed=i, noise=4)
             for i, lines in enumerate(paginate(text("laporan-bank-sampah"), lines_per_page=12, width=72)[:2])]
    save_tiff(pages, INBOX / "dlh" / "laporan-bank-sampah-2025.tif", 200)
    # The same report sent twice by two OPDs: recorded once, the second as a duplicate.
    shutil.copyfile(INBOX / "dinkominfo" / "laporan-ppid-2025.pdf", INBOX / "laporan-ppid-kiriman-ulang.pdf")
    total = sum(p.stat().st_size for p in INBOX.rglob("*") if p.is_file())
    print(f"wrote {sum(1 for p in INBOX.rglob('*') if p.is_file())} files, {total / 1e6:.1f} MB, to {INBOX}")


if __name__ == "__main__":
    main()
