"""The proses documents of the labelled describe set (tests/describe_set.py): activity reports, cover letters,
agreements, budgets, invitations, minutes, plans and announcements, each with its true type and period."""

from __future__ import annotations

import random

from tests.describe_pieces import (
    MONTHS, DAYS, LabelledDocument, REGIONS, TOPICS, NAMES, date_in, fmt_date, in_words, wrap, split_title, kop,
    vary_case, cite, period_phrase,
)


def activity_report(rng: random.Random, i: int) -> LabelledDocument:
    """The issue's case: a report of year N, laws cited in its first paragraph, signed in January of N+1."""
    region = rng.choice(REGIONS)
    opd, code, regs, acts, _ = rng.choice(TOPICS)
    activity = rng.choice(acts)
    year = rng.randint(2018, 2025)
    head = rng.choice(("LAPORAN KEGIATAN", "LAPORAN PELAKSANAAN KEGIATAN", "LAPORAN HASIL PELAKSANAAN KEGIATAN",
                       "LAPORAN PENYELENGGARAAN", "Laporan Kegiatan"))
    phrase, period = period_phrase(rng, year)
    lines = kop(rng, region, opd) if rng.random() < 0.8 else []
    title = f"{head} {activity}"
    if rng.random() < 0.25:  # the subject names a regulation: a citation in the title, not the document's kind
        title = f"{head} sosialisasi Peraturan Daerah Nomor {rng.randint(1, 15)} Tahun {year - rng.randint(1, 6)} " \
                f"tentang {rng.choice(regs)}"
    placement = rng.random()
    if placement < 0.8:
        lines += [vary_case(rng, t) for t in split_title(rng, title)] + [phrase if rng.random() < 0.8 else phrase.title()]
        opening = f"Berdasarkan {cite(rng, year)[0]} dan {cite(rng, year)[0]}, {opd} melaksanakan kegiatan " \
                  f"{activity} di {rng.randint(5, 30)} kelurahan."
    else:  # no year in the title: the body says when
        d = date_in(rng, year, (2, 11))
        lines += [vary_case(rng, t) for t in split_title(rng, title)]
        opening = f"Sesuai {cite(rng, year)[0]}, pada tanggal {fmt_date(d)} telah dilaksanakan kegiatan {activity} " \
                  f"bertempat di aula kantor {region.level.lower()} {region.name} selama tahun {year}."
    body = [rng.choice(("I. PENDAHULUAN", "BAB I PENDAHULUAN", "A. Latar Belakang", "1. Dasar")), wrap(rng, opening),
            rng.choice(("II. PELAKSANAAN", "B. Pelaksanaan")),
            wrap(rng, f"Kegiatan diikuti oleh {rng.randint(40, 400)} peserta terdiri dari tokoh masyarakat, kader, "
                       "dan perwakilan kelompok rentan. Narasumber berasal dari "
                       f"{rng.choice(('LBH', 'Kanwil Kemenkumham', 'Perguruan Tinggi', 'Puskesmas'))}."),
            rng.choice(("III. PENUTUP", "C. Penutup")),
            wrap(rng, "Demikian laporan ini disampaikan sebagai bahan evaluasi dan pertanggungjawaban.")]
    signed = (year + 1, 1, rng.randint(2, 28)) if rng.random() < 0.6 else date_in(rng, year, (11, 12))
    nip = f"19{rng.randint(60, 89)}0{rng.randint(1, 9)}12 19{rng.randint(85, 99)}03 1 00{rng.randint(1, 9)}"
    body += [f"{region.seat}, {fmt_date(signed)}", f"Kepala {opd}," if rng.random() < 0.7 else "Kepala Bagian,",
             rng.choice(NAMES), f"NIP. {nip}"]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines + body), "pdf", "proses", period, "laporan-kegiatan")


def cover_letter(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, acts, figs = rng.choice(TOPICS)
    year = rng.randint(2021, 2025)  # the KKP HAM regulation it cites is of 2021
    sent = (year + 1, rng.randint(1, 2), rng.randint(1, 28))
    what = rng.choice(("Laporan Kegiatan", "Laporan Pelaksanaan"))
    lines = kop(rng, region, opd)
    number = f"Nomor : {rng.randint(100, 999)}/{rng.randint(1, 500)}/{code}/{sent[0]}"
    if rng.random() < 0.5:  # two columns on one line
        lines += [f"{number}    {region.seat}, {fmt_date(sent)}", "Sifat : Biasa      Kepada Yth.",
                  f"Lampiran : 1 (satu) berkas    Kepala Bagian Hukum Setda"]
    else:
        lines += [f"{region.seat}, {fmt_date(sent)}", number, "Sifat : Biasa", "Lampiran : 1 (satu) berkas"]
    lines += [f"Perihal : Penyampaian {what}", f"{rng.choice(acts).title()} Tahun {year}",
              "Kepada Yth.", "Kepala Bagian Hukum Sekretariat Daerah", f"di {region.seat}",
              wrap(rng, f"Menindaklanjuti surat Bagian Hukum tentang pengumpulan data dukung penilaian Kabupaten/"
                         f"Kota Peduli HAM sesuai Peraturan Menteri Hukum dan Hak Asasi Manusia Nomor 22 Tahun 2021, "
                         f"bersama ini kami sampaikan {what.lower()} tahun {year} sebagaimana terlampir."),
              "Demikian untuk menjadi periksa.", f"Kepala {opd},", rng.choice(NAMES)]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), "pdf", "proses", (year,), "surat-pengantar")


def agreement(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, acts, _ = rng.choice(TOPICS)
    year = rng.randint(2018, 2025)
    signed = date_in(rng, year)
    kind = rng.choice(("PERJANJIAN KERJA SAMA", "NOTA KESEPAHAMAN", "KESEPAKATAN BERSAMA"))
    partner = rng.choice(("LEMBAGA BANTUAN HUKUM KEADILAN RAKYAT", "UNIVERSITAS NEGERI SUKAMAJU",
                          "PERKUMPULAN KELUARGA BERENCANA INDONESIA", "YAYASAN PEDULI ANAK NUSANTARA"))
    lines = [kind, "ANTARA", f"PEMERINTAH {region.level.upper()} {region.name.upper()}", "DENGAN", partner,
             "TENTANG"]
    lines += [t.upper() for t in split_title(rng, rng.choice(acts))]
    period = (year,)
    if rng.random() < 0.3:
        lines.append(f"TAHUN {year} - {year + 2}")
        period = (year, year + 1, year + 2)
    lines += [f"NOMOR : {rng.randint(100, 999)}/{rng.randint(1, 99)}/{code}/{year}",
              f"NOMOR : {rng.randint(1, 99)}/PKS/{MONTHS[signed[1] - 1][:3].upper()}/{year}"]
    day = DAYS[rng.randrange(5)]
    if rng.random() < 0.6:
        opening = f"Pada hari ini {day} tanggal {in_words(signed[2])} bulan {MONTHS[signed[1] - 1]} tahun " \
                  f"{in_words(year)}, bertempat di {region.seat}, yang bertanda tangan di bawah ini:"
    else:
        opening = f"Pada hari ini {day}, {fmt_date(signed)}, bertempat di {region.seat}, kami yang bertanda tangan di " \
                  "bawah ini:"
    lines += [wrap(rng, opening),
              wrap(rng, f"1. {rng.choice(NAMES)}, {region.head} {region.name}, selanjutnya disebut PIHAK KESATU;"),
              wrap(rng, f"2. {rng.choice(NAMES)}, Ketua {partner.title()}, selanjutnya disebut PIHAK KEDUA."),
              wrap(rng, f"Dengan memperhatikan {cite(rng, year)[0]}, PARA PIHAK sepakat mengadakan kerja sama "
                         "dengan ketentuan sebagai berikut:"),
              "Pasal 1", wrap(rng, "Ruang lingkup kerja sama meliputi penyuluhan, pendampingan, dan pelaporan."),
              "Pasal 2", wrap(rng, "Perjanjian ini berlaku selama satu tahun sejak ditandatangani.")]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), "pdf", "proses", period, "perjanjian")


def budget(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, _, acts, _ = rng.choice(TOPICS)
    year = rng.randint(2018, 2025)
    kind = rng.choice(("DOKUMEN PELAKSANAAN ANGGARAN", "RENCANA KERJA DAN ANGGARAN"))
    lines = [kind, "SATUAN KERJA PERANGKAT DAERAH", f"({'DPA' if kind.startswith('DOKUMEN') else 'RKA'}-SKPD 2.2.1)",
             f"PEMERINTAH {region.level.upper()} {region.name.upper()} TAHUN ANGGARAN {year}",
             f"Urusan Pemerintahan : {opd}", f"Organisasi : {code}", "Kode Uraian Volume Satuan Harga Jumlah"]
    total = 0
    for k in range(rng.randint(12, 30)):
        amount = rng.randint(1, 400) * 250_000
        total += amount
        item = rng.choice(("honorarium narasumber", "makan minum rapat", "alat tulis", "perjalanan dinas",
                           "cetak spanduk"))
        lines.append(f"5.1.02.{k + 1:02d} Belanja {item} {rng.randint(1, 60)} OK "
                     f"{amount // max(1, rng.randint(1, 10)):,} {amount:,}".replace(",", "."))
    signed = f"{rng.choice(('Januari', 'Desember'))} {year if rng.random() < 0.5 else year - 1}"
    lines += [f"JUMLAH {total:,}".replace(",", "."), f"{region.seat}, {signed}", "Mengesahkan,", "PPKD",
              rng.choice(NAMES)]
    kind_read = "xlsx" if rng.random() < 0.4 else "pdf"
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), kind_read, "proses", (year,), "anggaran")


def invitation(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, acts, _ = rng.choice(TOPICS)
    year = rng.randint(2018, 2025)
    sent = date_in(rng, year, (1, 11))
    meeting = (year, sent[1] + 1 if sent[2] > 20 else sent[1], min(28, sent[2] + 5))
    lines = kop(rng, region, opd)
    subject = rng.choice((f"Undangan Rapat Koordinasi {rng.choice(acts).title()}",
                          f"Undangan {rng.choice(('Sosialisasi', 'Rapat Evaluasi', 'Focus Group Discussion'))}"
                          f" {rng.choice(regs).title()}"))
    number = f"Nomor : {rng.randint(1, 999):03d}/{rng.randint(1, 999)}/{code}/{year}"
    if rng.random() < 0.5:
        lines += [f"{number}    {region.seat}, {fmt_date(sent)}", "Lampiran : -   Kepada Yth.", f"Perihal : {subject}    "
                  "Bapak/Ibu Kepala Perangkat Daerah"]
    else:
        lines += [f"{region.seat}, {fmt_date(sent)}", number, "Lampiran : -", f"Hal : {subject}", "Yth. Bapak/Ibu",
                  "Kepala Perangkat Daerah", f"di {region.seat}"]
    lines += [wrap(rng, f"Dalam rangka pelaksanaan {cite(rng, year)[0]}, dengan hormat kami mengundang Bapak/Ibu "
                         "untuk hadir pada:"),
              f"hari/tanggal : {DAYS[rng.randrange(5)]}, {fmt_date(meeting)}", "pukul : 09.00 WIB s.d. selesai",
              f"tempat : Ruang Rapat {opd}", f"acara : {subject.replace('Undangan ', '')}",
              wrap(rng, "Mengingat pentingnya acara tersebut, mohon hadir tepat waktu. Atas perhatiannya kami "
                         "sampaikan terima kasih."), f"Kepala {opd},", rng.choice(NAMES)]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), "pdf", "proses", (year,), "undangan")


def minutes(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, acts, _ = rng.choice(TOPICS)
    year = rng.randint(2018, 2025)
    held = date_in(rng, year)
    kind = rng.choice(("NOTULEN RAPAT", "NOTULA RAPAT", "BERITA ACARA", "DAFTAR HADIR"))
    lines = kop(rng, region, opd) if rng.random() < 0.6 else []
    lines += [kind, f"{rng.choice(('KOORDINASI', 'PEMBAHASAN', 'EVALUASI'))} {rng.choice(acts).upper()}"]
    if kind == "BERITA ACARA" and rng.random() < 0.7:
        lines.append(wrap(rng, f"Pada hari ini {DAYS[rng.randrange(5)]} tanggal {in_words(held[2])} bulan "
                                f"{MONTHS[held[1] - 1]} tahun {in_words(year)}, bertempat di {region.seat}, telah "
                                "dilaksanakan rapat dengan hasil sebagai berikut:"))
    else:
        lines += [f"Hari/Tanggal : {DAYS[rng.randrange(5)]}, {fmt_date(held, numeric=rng.random() < 0.3)}",
                  "Waktu : 09.00 - 12.00 WIB", f"Tempat : Aula {opd}", f"Pimpinan Rapat : {rng.choice(NAMES)}"]
    if kind == "DAFTAR HADIR":
        lines += ["No Nama Jabatan/Instansi Tanda Tangan"] + [
            f"{k}. {rng.choice(NAMES).title()} {rng.choice(('Dinsos', 'Kelurahan', 'Puskesmas', 'Kecamatan'))}"
            for k in range(1, rng.randint(6, 15))]
    else:
        lines += ["Jalannya rapat:", wrap(rng, f"1. Pimpinan rapat menyampaikan bahwa sesuai {cite(rng, year)[0]} "
                                               f"pemerintah daerah wajib melaksanakan {rng.choice(acts)}."),
                  wrap(rng, "2. Peserta menyepakati jadwal pelaksanaan dan pembagian tugas antarperangkat daerah."),
                  "Notulis,", rng.choice(NAMES)]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), "pdf", "proses", (year,), "notulen")


def plan(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, acts, _ = rng.choice(TOPICS)
    start = rng.randint(2017, 2025)
    kind = rng.choice(("RENCANA STRATEGIS", "RENCANA KERJA", "KERANGKA ACUAN KERJA", "PETUNJUK TEKNIS",
                       "RENCANA AKSI DAERAH"))
    if kind == "RENCANA STRATEGIS":
        period = tuple(range(start, start + 5))
        when = rng.choice((f"TAHUN {start}-{start + 4}", f"PERIODE {start} - {start + 4}", f"{start}–{start + 4}"))
    else:
        period = (start,)
        when = rng.choice((f"TAHUN {start}", f"TAHUN ANGGARAN {start}"))
    short = {"RENCANA STRATEGIS": "RENSTRA", "RENCANA KERJA": "RENJA", "KERANGKA ACUAN KERJA": "KAK",
             "PETUNJUK TEKNIS": "JUKNIS", "RENCANA AKSI DAERAH": "RAD"}[kind]
    lines = [rng.choice(("", "O", "LOGO")), kind, f"({short})",
             opd.upper() if kind != "PETUNJUK TEKNIS" else rng.choice(acts).upper(),
             f"{region.level.upper()} {region.name.upper()}", when, "KATA PENGANTAR",
             wrap(rng, f"Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa. Dokumen ini disusun "
                        f"berdasarkan {cite(rng, start)[0]} sebagai pedoman pelaksanaan {rng.choice(acts)}."),
             f"{region.seat}, {MONTHS[rng.randrange(12)]} {start - 1 if kind == 'RENCANA STRATEGIS' else start}",
             f"Kepala {opd}", rng.choice(NAMES), "BAB I PENDAHULUAN",
             wrap(rng, f"Capaian kinerja tahun {start - 1} menjadi dasar penyusunan target tahun {start}.")]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(line for line in lines if line), "pdf", "proses", period,
                            "rencana")


def announcement(rng: random.Random, i: int) -> LabelledDocument:
    region = rng.choice(REGIONS)
    opd, code, regs, acts, _ = rng.choice(TOPICS)
    year = rng.randint(2018, 2025)
    d = date_in(rng, year)
    kind = rng.choice(("PENGUMUMAN", "SURAT TUGAS", "NOTA DINAS", "SIARAN PERS"))
    lines = kop(rng, region, opd) + [kind, f"Nomor : {rng.randint(1, 900)}/{rng.randint(1, 99)}/{code}/{year}"]
    if kind == "NOTA DINAS":
        lines += [f"Kepada : Yth. Sekretaris Daerah", f"Dari : Kepala {opd}", f"Tanggal : {fmt_date(d)}",
                  f"Perihal : {rng.choice(acts).title()}"]
    lines += [wrap(rng, f"Dalam rangka {rng.choice(acts)} sebagaimana diamanatkan {cite(rng, year)[0]}, "
                         f"diberitahukan kepada masyarakat bahwa kegiatan akan dilaksanakan pada {fmt_date(d)}."),
              f"{region.seat}, {fmt_date(d)}", f"Kepala {opd},", rng.choice(NAMES)]
    return LabelledDocument(f"gen-{i:03d}", "\n".join(lines), "pdf", "proses", (year,), "surat-lain")
