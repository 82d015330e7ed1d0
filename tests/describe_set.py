"""A labelled set of realistic Indonesian regional-government documents for measuring the evidence-type and
period rules (pipeline/describe/evidence.py, pipeline/describe/dates.py): generated, deterministic, with the true type and period.

The documents are written the way OPD staff send them, not the way the rules read them: regulations and
decrees (Perda, Perbup/Perwal, SK Bupati, SK Kepala Dinas, Surat Edaran, Instruksi) with cited laws in their
considerations, signed late in December and promulgated in January; activity reports with laws cited in their
first paragraph and signatures in the following January; agreements dated in words; budgets full of figures;
invitations, minutes and announcements; tables of figures, profiles, statistics and achievement reports. Some
are damaged as scans are: letter-spaced or doubled letterheads, two-column title blocks read out of order,
OCR character errors, a watermark read as single letters.

Period, as the labels define it (see README, "Evidence types and periods"):
- struktur: the year the regulation was enacted (ditetapkan), a 1-tuple;
- proses, hasil: the years the document is about (a report's year, a plan's range, a school year's two years);
  a letter or an agreement is about the year of its own date.

    from tests.describe_set import generated_documents
    for doc in generated_documents(): doc.text, doc.kind, doc.type, doc.period
"""

from __future__ import annotations

import random

from tests.describe_pieces import (
    LabelledDocument, REGIONS, TOPICS, NAMES, date_in, fmt_date, wrap, split_title, kop, head_title, vary_case,
    cite, considerations, period_phrase,
)
from tests.describe_proses import (activity_report, agreement, announcement, budget, cover_letter, invitation,
                                   minutes, plan)

# -- struktur ------------------------------------------------------------------------------------------------

def regulation(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, _, _ = rng.choice(TOPICS)
    subject = rng.choice(regs)
    kind = rng.choice(("perda", "perkada", "perkada", "sk", "sk_dinas"))
    year = rng.randint(2016, 2025)
    signed = date_in(rng, year)
    if rng.random() < 0.3:  # signed in the last days of December, promulgated in January
        signed = (year, 12, rng.randint(20, 31))
    promulgated = (year + 1, 1, rng.randint(2, 15)) if signed[1] == 12 and signed[2] > 19 else signed
    lines: list[str] = []
    if rng.random() < 0.3:
        lines.append("SALINAN")
    number_line = f"NOMOR {rng.randint(1, 60)} TAHUN {year}"
    if kind == "perda":
        lines.append(head_title(region) if rng.random() < 0.5 else f"PEMERINTAH {region.level.upper()} "
                                                                     f"{region.name.upper()}")
        lines.append(f"PERATURAN DAERAH {region.level.upper()} {region.name.upper()}")
        family = "perda"
    elif kind == "perkada":
        lines += [head_title(region), f"PROVINSI {region.province.upper()}"]
        lines.append(f"PERATURAN {region.head.upper()} {region.name.upper()}")
        family = "perbup-perwal"
    elif kind == "sk":
        lines += [head_title(region), f"PROVINSI {region.province.upper()}"]
        lines.append(f"KEPUTUSAN {region.head.upper()} {region.name.upper()}")
        number_line = f"NOMOR : {rng.choice(('188.45', '180', '100.3.3.2'))}/{rng.randint(10, 999)}/{code}/{year}"
        family = "sk-kepala-daerah"
    else:
        lines += kop(rng, region, opd)
        lines.append(f"KEPUTUSAN KEPALA {opd.upper()}")
        lines.append(f"{region.level.upper()} {region.name.upper()}")
        number_line = f"NOMOR: {rng.randint(400, 900)}/{rng.randint(10, 300)}/{code}/{year}"
        family = "sk-kepala-dinas"
    lines.append(number_line)
    lines.append("TENTANG")
    title = subject
    if kind in ("sk", "sk_dinas") and rng.random() < 0.5:
        title = f"pembentukan tim pelaksana {subject} tahun anggaran {year + (1 if signed[1] >= 11 else 0)}"
    title_lines = [t.upper() for t in split_title(rng, title)]
    body = []
    if kind in ("perda", "perkada"):
        body.append("DENGAN RAHMAT TUHAN YANG MAHA ESA")
    body.append(f"{region.head.upper()} {region.name.upper()}," if kind != "sk_dinas" else
                f"KEPALA {opd.upper()},")
    body += considerations(rng, subject, year, rng.randint(2, 4))
    body.append("MEMUTUSKAN:")
    if kind in ("perda", "perkada"):
        body.append(f"Menetapkan : PERATURAN {'DAERAH' if kind == 'perda' else region.head.upper()} TENTANG "
                    f"{subject.upper()}.")
        body += ["BAB I", "KETENTUAN UMUM", "Pasal 1",
                 wrap(rng, f"Dalam Peraturan ini yang dimaksud dengan Daerah adalah {region.level} {region.name}.")]
        basis = "Peraturan Pemerintah Nomor 12 Tahun 2019" if year >= 2019 else "peraturan perundang-undangan"
        body += ["Pasal 2", wrap(rng, f"Pendanaan dibebankan pada Anggaran Pendapatan dan Belanja Daerah sesuai "
                                       f"{basis}.")]
    else:
        body += [wrap(rng, f"KESATU : Membentuk tim pelaksana {subject} dengan susunan sebagaimana tercantum "
                            "dalam Lampiran."),
                 wrap(rng, "KEDUA : Segala biaya dibebankan pada Dokumen Pelaksanaan Anggaran."),
                 "KETIGA : Keputusan ini mulai berlaku pada tanggal ditetapkan."]
    date_line = rng.choice(("pada tanggal {d}", "pada tanggal : {d}", "Pada tanggal {d}", "pada {d}"))
    body += [f"Ditetapkan di {region.seat}", date_line.format(d=fmt_date(signed)),
             f"{region.head.upper()} {region.name.upper()}," if kind != "sk_dinas" else "KEPALA DINAS,",
             "ttd.", rng.choice(NAMES)]
    if kind in ("perda", "perkada"):
        body += [f"Diundangkan di {region.seat}", f"pada tanggal {fmt_date(promulgated)}",
                 f"SEKRETARIS DAERAH {region.level.upper()} {region.name.upper()},", "ttd.", rng.choice(NAMES),
                 f"{'LEMBARAN' if kind == 'perda' else 'BERITA'} DAERAH {region.level.upper()} {region.name.upper()} "
                 f"TAHUN {promulgated[0]} NOMOR {rng.randint(1, 40)}"]
    if rng.random() < 0.3:
        # Two columns read out of order: the bare labels of the left column before the title.
        head = lines + title_lines
        cut = rng.randint(len(lines), len(head))
        text_lines = ["Menimbang", "Mengingat"] + head[:cut] + head[cut:] if rng.random() < 0.5 else \
            head[:cut] + ["Menimbang :", "Mengingat :"] + head[cut:]
    else:
        text_lines = lines + title_lines
    return LabelledDocument(f"gen-{i:03d}", "\n".join(text_lines + body), "pdf", "struktur", (year,), family)


def circular(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, acts, _ = rng.choice(TOPICS)
    year = rng.randint(2017, 2025)
    signed = date_in(rng, year)
    kind = rng.choice(("SURAT EDARAN", "INSTRUKSI"))
    lines = [head_title(region)]
    if kind == "SURAT EDARAN":
        lines += [f"{region.seat}, {fmt_date(signed)}", "Kepada", "Yth. Kepala Perangkat Daerah",
                  f"se-{region.level} {region.name}", "di -", region.seat.upper(),
                  "SURAT EDARAN", f"NOMOR {rng.randint(100, 999)}/{rng.randint(1, 99)}/{year}", "TENTANG"]
        lines += [t.upper() for t in split_title(rng, f"pelaksanaan {rng.choice(acts)}")]
        lines.append(wrap(rng, f"Sehubungan dengan {cite(rng, year)[0]}, bersama ini diminta kepada seluruh "
                                f"perangkat daerah untuk melaksanakan {rng.choice(acts)} secara terpadu."))
        lines += [f"Demikian surat edaran ini disampaikan.", head_title(region) + ",", rng.choice(NAMES)]
    else:
        lines += [f"INSTRUKSI {region.head.upper()} {region.name.upper()}",
                  f"NOMOR {rng.randint(1, 20)} TAHUN {year}", "TENTANG"]
        lines += [t.upper() for t in split_title(rng, f"percepatan {rng.choice(acts)}")]
        lines += [f"{region.head.upper()} {region.name.upper()},",
                  wrap(rng, f"Dalam rangka pelaksanaan {cite(rng, year)[0]}, dengan ini menginstruksikan:"),
                  "Kepada : Seluruh Kepala Perangkat Daerah", "Untuk :",
                  wrap(rng, f"KESATU : Melaksanakan {rng.choice(acts)} di wilayah kerja masing-masing."),
                  f"Ditetapkan di {region.seat}", f"pada tanggal {fmt_date(signed)}", head_title(region) + ",",
                  rng.choice(NAMES)]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), "pdf", "struktur", (year,),
                            "surat-edaran" if kind == "SURAT EDARAN" else "instruksi")


# -- hasil ----------------------------------------------------------------------------------------------------

def _table(rng: random.Random, rows: int) -> list[str]:
    kecamatan = ("Utara", "Selatan", "Timur", "Barat", "Tengah", "Kota", "Pesisir", "Bukit", "Lembah", "Sawah")
    out = [rng.choice(("No Kecamatan Sasaran Capaian Persentase", "NO KELURAHAN JUMLAH L P TOTAL",
                       "No. Wilayah Target Realisasi %"))]
    for k in range(rows):
        a = rng.randint(100, 5000)
        b = rng.randint(int(a * 0.6), a)
        out.append(f"{k + 1} {rng.choice(kecamatan)} {rng.choice(('', 'I', 'II'))} {a:,} {b:,} {100 * b / a:.1f}"
                   .replace(",", ".").replace("  ", " "))
    return out


def figures(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, _, acts, figs = rng.choice(TOPICS)
    year = rng.randint(2018, 2025)
    fig = rng.choice(figs)
    kind = rng.choice(("DATA", "REKAPITULASI", "REKAP", "CAPAIAN", "JUMLAH", "STATISTIK", "PROFIL",
                       "LAPORAN CAPAIAN", "INDEKS", "LAPORAN HASIL SURVEI", "LAPORAN KINERJA INSTANSI PEMERINTAH"))
    period: tuple[int, ...] = (year,)
    if kind == "STATISTIK" and fig.startswith(("angka", "peserta")):
        when = f"TAHUN PELAJARAN {year}/{year + 1}"
        period = (year, year + 1)
    else:
        when, period = period_phrase(rng, year)
        if rng.random() < 0.3:
            when = f"KEADAAN S.D. 31 DESEMBER {year}"
    lines = kop(rng, region, opd) if rng.random() < 0.5 else []
    if kind == "PROFIL":
        lines += ["PROFIL", f"{fig.split(' ')[0].upper()} {region.level.upper()} {region.name.upper()}", when,
                  "KATA PENGANTAR", wrap(rng, f"Profil ini menyajikan data {fig} sebagai bahan evaluasi "
                                               f"sesuai {cite(rng, year)[0]}.")]
    elif kind == "LAPORAN KINERJA INSTANSI PEMERINTAH":
        lines += [f"{kind} (LKjIP)", opd.upper(), f"{region.level.upper()} {region.name.upper()}",
                  f"TAHUN {year}", "KATA PENGANTAR",
                  wrap(rng, f"Laporan Kinerja disusun berdasarkan Peraturan Presiden Nomor 29 Tahun 2014 tentang "
                             f"Sistem Akuntabilitas Kinerja Instansi Pemerintah dan menyajikan capaian {fig}.")]
        period = (year,)
    else:
        title = f"{kind} {fig} {rng.choice(('PER KECAMATAN', 'MENURUT KELURAHAN', ''))} {region.level} {region.name}"
        lines += [vary_case(rng, t) for t in split_title(rng, title)] + [when]
    lines += _table(rng, rng.randint(6, 25))
    lines.append(f"Sumber : {opd} {region.level} {region.name}, {year + 1 if rng.random() < 0.5 else year}")
    if rng.random() < 0.7:
        signed = (year + 1, rng.randint(1, 3), rng.randint(1, 28)) if rng.random() < 0.6 else date_in(rng, year, (10, 12))
        lines += [f"{region.seat}, {fmt_date(signed)}", f"Kepala {opd},", rng.choice(NAMES)]
    kind_read = "xlsx" if rng.random() < 0.2 else "pdf"
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), kind_read, "hasil", period, "data")


# -- damage ---------------------------------------------------------------------------------------------------

_OCR = {"e": "c", "i": "l", "l": "1", "o": "0", "a": "o", "n": "m", "u": "v", "S": "5", "O": "0", "I": "l",
        "B": "8", "g": "q", "rn": "m", "h": "b", "t": "f"}


def ocr_noise(rng: random.Random, text: str, rate: float) -> str:
    """Character confusions of a poor scan; digits are left alone more often than letters, as Tesseract does."""
    out = []
    for ch in text:
        if ch.isalpha() and rng.random() < rate and ch in _OCR:
            out.append(_OCR[ch])
        elif ch.isdigit() and rng.random() < rate / 10:
            out.append({"0": "O", "1": "l", "5": "S", "2": "Z"}.get(ch, ch))
        else:
            out.append(ch)
    return "".join(out)


def damage(rng: random.Random, doc: LabelledDocument) -> LabelledDocument:
    lines = doc.text.splitlines()
    roll = rng.random()
    if roll < 0.12 and lines:  # letter-spaced letterhead
        lines[0] = " ".join(lines[0])
    elif roll < 0.20 and lines:  # a bold letterhead read twice: "PPEEMMEERRIINNTTAAHH"
        lines[0] = "".join(ch * 2 for ch in lines[0])
    elif roll < 0.28:  # a vertical watermark read as single letters
        lines = list("jdih.go.id") + lines
    text = "\n".join(lines)
    if rng.random() < 0.45:
        text = ocr_noise(rng, text, rng.choice((0.01, 0.02, 0.04)))
    return LabelledDocument(doc.id, text, doc.kind, doc.type, doc.period, doc.family)


FAMILIES = ((regulation, 40), (circular, 12), (activity_report, 28), (cover_letter, 8), (agreement, 12),
            (budget, 10), (invitation, 12), (minutes, 12), (plan, 12), (announcement, 8), (figures, 34))


def generated_documents(seed: int = 22) -> list[LabelledDocument]:
    """The generated half of the labelled set: 188 documents, the same every time for the same seed."""
    rng = random.Random(seed)
    docs = []
    for make, count in FAMILIES:
        for _ in range(count):
            docs.append(damage(rng, make(rng, len(docs))))
    return docs
