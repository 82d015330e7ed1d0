"""A request letter as PDF (fpdf2), to print or send as it is.

fpdf2 rather than ReportLab: it writes text literally (no markup is parsed unless asked, so an OPD's name with
"<" or "&" is just text, where ReportLab's Paragraph parses its own XML-like markup and would need escaping at
every call), it is pure Python with a small API for a one-page letter, and it embeds a Unicode TrueType font
(DejaVu, from Debian's fonts-dejavu-core) so that every character of Indonesian names prints. It is actively
maintained (monthly releases) and was already in the lock file.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from pipeline.letters.content import Letter

FONTS = Path("/usr/share/fonts/truetype/dejavu")
NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _pdf() -> tuple[FPDF, str]:
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    if (FONTS / "DejaVuSans.ttf").exists():
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        return pdf, "DejaVu"
    return pdf, "Helvetica"  # the core font: Latin-1 only (README: fonts-dejavu-core is installed by set-up)


def write_pdf(letter: Letter, path: Path) -> Path:
    pdf, font = _pdf()
    pdf.add_page()
    width = pdf.epw
    for text, size, style in ((letter.head.government, 13, "B"), (letter.head.unit, 12, "B"),
                              (letter.head.address, 8, "")):
        if text:
            pdf.set_font(font, style, size)
            pdf.multi_cell(width, 6, text, align="C", **NEXT)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + width, pdf.get_y() + 1)
    pdf.ln(4)
    pdf.set_font(font, "", 10)
    for label, value in (("Nomor", letter.number), ("Sifat", "Segera"), ("Lampiran", "-"),
                         ("Perihal", letter.perihal)):
        pdf.cell(22, 5.5, label)
        pdf.cell(4, 5.5, ":")
        pdf.multi_cell(width - 26, 5.5, value, **NEXT)
    pdf.multi_cell(width, 6, f"{letter.signature.place}, {letter.date}", align="R", **NEXT)
    pdf.ln(2)
    pdf.multi_cell(width, 5.5, f"Yth. {letter.to}\ndi tempat", **NEXT)
    pdf.ln(2)
    pdf.multi_cell(width, 5.5, letter.intro, **NEXT)
    pdf.ln(2)
    with pdf.table(col_widths=(8, 38, 18, 18, 78), text_align="LEFT", line_height=4.6) as table:
        pdf.set_font(font, "", 8.5)
        table.row(("No.", "Kriteria", "Jenis bukti", "Keadaan", "Yang dihitung sebagai bukti"))
        for i, item in enumerate(letter.items, start=1):
            need = item.need + (f" (bersama {', '.join(item.together)})" if item.together else "")
            table.row((str(i), item.criterion, item.evidence_type, item.status, need))
    pdf.set_font(font, "", 10)
    pdf.ln(3)
    if letter.deadline:
        pdf.multi_cell(width, 5.5, f"Mohon data dukung dikirim paling lambat {letter.deadline}.", **NEXT)
    pdf.multi_cell(width, 5.5, f"Berkas dapat diunggah melalui halaman unggah OPD: {letter.upload}, atau "
                               f"diletakkan di folder kotak masuk {letter.folder}.", **NEXT)
    pdf.multi_cell(width, 5.5, letter.closing, **NEXT)
    pdf.ln(6)
    signer = f"{letter.signature.title}\n\n\n\n{letter.signature.name or '(nama)'}"
    if letter.signature.nip:
        signer += f"\nNIP {letter.signature.nip}"
    pdf.set_x(pdf.l_margin + width / 2)
    pdf.multi_cell(width / 2, 5.5, signer, align="C", **NEXT)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
