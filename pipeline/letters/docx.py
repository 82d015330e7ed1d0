"""A request letter as DOCX (python-docx), for the Bagian Hukum to edit and sign. python-docx writes every text
as a text node (escaped XML), so nothing in a letter can become markup."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from pipeline.letters.content import Letter


def write_docx(letter: Letter, path: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(11)

    for text, size, bold in ((letter.head.government, 14, True), (letter.head.unit, 13, True),
                             (letter.head.address, 9, False)):
        if text:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold, run.font.size = bold, Pt(size)
    doc.add_paragraph("_" * 78).alignment = WD_ALIGN_PARAGRAPH.CENTER

    meta = doc.add_table(rows=0, cols=3)
    for label, value in (("Nomor", letter.number), ("Sifat", "Segera"), ("Lampiran", "-"),
                         ("Perihal", letter.perihal)):
        cells = meta.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, ":", value
    doc.add_paragraph(f"{letter.signature.place}, {letter.date}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"Yth. {letter.to}\ndi tempat")
    doc.add_paragraph(letter.intro)

    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("No.", "Kriteria", "Jenis bukti", "Keadaan", "Yang dihitung "
                                                                                            "sebagai bukti")):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    for i, item in enumerate(letter.items, start=1):
        need = item.need + (f" (bersama {', '.join(item.together)})" if item.together else "")
        for cell, value in zip(table.add_row().cells, (str(i), item.criterion, item.evidence_type, item.status,
                                                       need)):
            cell.text = value

    if letter.deadline:
        p = doc.add_paragraph("Mohon data dukung dikirim paling lambat ")
        p.add_run(letter.deadline).bold = True
        p.add_run(".")
    doc.add_paragraph(f"Berkas dapat diunggah melalui halaman unggah OPD: {letter.upload}, atau diletakkan di "
                      f"folder kotak masuk {letter.folder}.")
    doc.add_paragraph(letter.closing)

    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.add_run(f"{letter.signature.title}\n\n\n\n")
    sign.add_run(letter.signature.name or "(nama)").bold = True
    if letter.signature.nip:
        sign.add_run(f"\nNIP {letter.signature.nip}")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
