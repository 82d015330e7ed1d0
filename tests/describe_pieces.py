"""The pieces the labelled describe set (tests/describe_set.py) writes its documents from: the record of a
labelled document, the regions and topics, Indonesian dates and numbers in words, letterheads, citations and
considerations, and the small variations of case and wrapping that OPD staff and scanners add."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
WORD_NUMBERS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
                "sebelas", "dua belas", "tiga belas", "empat belas", "lima belas", "enam belas", "tujuh belas",
                "delapan belas", "sembilan belas")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat")


@dataclass(frozen=True)
class LabelledDocument:
    id: str
    text: str
    kind: str  # pdf | xlsx | jpeg: what the pipeline would have sniffed
    type: str  # struktur | proses | hasil
    period: tuple[int, ...]
    family: str  # which generator made it, to see where errors fall


@dataclass(frozen=True)
class Region:
    name: str  # "Sukamaju"
    level: str  # "Kota" | "Kabupaten"
    head: str  # "Wali Kota" | "Bupati"
    seat: str  # where documents are signed
    province: str


REGIONS = (
    Region("Sukamaju", "Kota", "Wali Kota", "Sukamaju", "Jawa Tengah"),
    Region("Lembah Hijau", "Kabupaten", "Bupati", "Sidomulyo", "Jawa Timur"),
    Region("Tanjung Sari", "Kota", "Wali Kota", "Tanjung Sari", "Sumatera Utara"),
    Region("Bukit Raya", "Kabupaten", "Bupati", "Rantau Baru", "Kalimantan Selatan"),
    Region("Pelita", "Kota", "Walikota", "Pelita", "Sulawesi Tengah"),
    Region("Sungai Tenang", "Kabupaten", "Bupati", "Muara Tenang", "Jambi"),
)

# Per criterion: the OPD, its letter code, subjects of regulations, activities (proses) and figures (hasil).
TOPICS = (
    ("Bagian Hukum Sekretariat Daerah", "Bag.Hkm", ["penyelenggaraan bantuan hukum bagi masyarakat miskin",
     "tata cara pemberian bantuan hukum", "pembentukan pos bantuan hukum di kelurahan"],
     ["penyuluhan hukum dan pemberian bantuan hukum", "pendampingan hukum bagi warga miskin",
      "pembinaan keluarga sadar hukum"],
     ["penerima bantuan hukum litigasi dan nonlitigasi", "perkara yang didampingi pemberi bantuan hukum"]),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", ["keterbukaan informasi publik",
     "pengelolaan layanan informasi dan dokumentasi", "penetapan pejabat pengelola informasi dan dokumentasi"],
     ["layanan informasi publik PPID", "uji konsekuensi informasi yang dikecualikan",
      "pengelolaan pengaduan masyarakat melalui SP4N LAPOR"],
     ["permohonan informasi publik yang dipenuhi", "pengaduan masyarakat yang ditindaklanjuti"]),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", ["tata cara penyelenggaraan musyawarah perencanaan "
     "pembangunan", "partisipasi masyarakat dalam pembentukan produk hukum daerah"],
     ["musyawarah perencanaan pembangunan kecamatan", "konsultasi publik rancangan rencana kerja pemerintah daerah"],
     ["usulan masyarakat yang diakomodasi dalam RKPD", "peserta musrenbang perempuan dan penyandang disabilitas"]),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", ["forum kerukunan umat beragama",
     "tim terpadu penanganan konflik sosial"],
     ["dialog lintas agama bersama FKUB", "rapat tim terpadu penanganan konflik sosial"],
     ["konflik sosial yang ditangani dan diselesaikan", "rumah ibadat yang memperoleh izin"]),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", ["penyelenggaraan administrasi kependudukan",
     "pelayanan jemput bola administrasi kependudukan"],
     ["pelayanan jemput bola perekaman KTP elektronik", "sosialisasi kepemilikan akta kelahiran"],
     ["cakupan kepemilikan akta kelahiran anak", "penerbitan kartu identitas anak"]),
    ("Dinas Kesehatan", "Dinkes", ["sistem kesehatan daerah", "kawasan tanpa rokok",
     "jaminan kesehatan bagi penduduk miskin"],
     ["bulan imunisasi anak nasional", "pelayanan posyandu dan kunjungan rumah", "pelatihan kader kesehatan"],
     ["cakupan imunisasi dasar lengkap", "prevalensi stunting pada balita", "kepesertaan jaminan kesehatan"]),
    ("Dinas Pendidikan", "Disdik", ["penyelenggaraan pendidikan inklusif", "bantuan biaya pendidikan",
     "penetapan sekolah penyelenggara pendidikan inklusif"],
     ["pelatihan guru pembimbing khusus", "penyaluran beasiswa siswa miskin", "penerimaan peserta didik baru"],
     ["angka partisipasi murni SD dan SMP", "angka putus sekolah", "peserta didik berkebutuhan khusus"]),
    ("Dinas Perindustrian dan Tenaga Kerja", "Disperinaker", ["penyelenggaraan ketenagakerjaan",
     "penempatan tenaga kerja lokal", "kesempatan kerja bagi penyandang disabilitas"],
     ["pelatihan berbasis kompetensi", "bursa kerja terbuka", "mediasi perselisihan hubungan industrial"],
     ["pencari kerja yang ditempatkan", "tingkat pengangguran terbuka", "perselisihan yang diselesaikan"]),
    ("Dinas Lingkungan Hidup", "DLH", ["pengelolaan sampah", "ruang terbuka hijau",
     "pencegahan dan peningkatan kualitas perumahan kumuh"],
     ["pembinaan bank sampah", "pengawasan pembuangan limbah cair", "rehabilitasi rumah tidak layak huni"],
     ["indeks kualitas lingkungan hidup", "timbulan sampah yang dikurangi", "rumah tidak layak huni yang diperbaiki"]),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", ["perlindungan perempuan dan anak",
     "kota layak anak", "pembentukan gugus tugas kabupaten/kota layak anak"],
     ["forum anak", "layanan UPTD perlindungan perempuan dan anak", "pencegahan perkawinan anak"],
     ["kasus kekerasan terhadap perempuan dan anak", "perkawinan anak", "korban yang mendapat pendampingan"]),
)

CITED = ("Undang-Undang Nomor 16 Tahun 2011 tentang Bantuan Hukum",
         "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
         "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
         "Undang-Undang Nomor 35 Tahun 2014 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2002 tentang "
         "Perlindungan Anak",
         "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan",
         "Peraturan Pemerintah Nomor 12 Tahun 2019 tentang Pengelolaan Keuangan Daerah",
         "Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang Tata Cara Perencanaan, Pengendalian dan "
         "Evaluasi Pembangunan Daerah",
         "Peraturan Menteri Hukum dan Hak Asasi Manusia Nomor 22 Tahun 2021 tentang Kriteria Daerah "
         "Kabupaten/Kota Peduli Hak Asasi Manusia")

NAMES = ("Dra. RATNA SARI, M.Si.", "Ir. HENDRA KUSUMA", "dr. SRI WAHYUNI, M.Kes.", "AGUS PRASETYO, S.Kom., M.M.",
         "Drs. BAMBANG SETIAWAN, M.Pd.", "H. MUHAMMAD YUSUF, S.H., M.H.", "NOVITA ANGGRAINI, S.STP., M.AP.")


def date_in(rng: random.Random, year: int, months: tuple[int, int] = (1, 12)) -> tuple[int, int, int]:
    return year, rng.randint(*months), rng.randint(1, 28)


def fmt_date(d: tuple[int, int, int], numeric: bool = False) -> str:
    year, month, day = d
    if numeric:
        return f"{day:02d}/{month:02d}/{year}"
    return f"{day} {MONTHS[month - 1]} {year}"


def in_words(n: int) -> str:
    """Indonesian number words up to 2099, as agreements and minutes write dates."""
    if n < 20:
        return WORD_NUMBERS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (f"{WORD_NUMBERS[tens]} puluh" + (f" {WORD_NUMBERS[ones]}" if ones else "")).replace("satu puluh",
                                                                                                  "sepuluh")
    thousands, rest = divmod(n, 1000)
    head = "seribu" if thousands == 1 else f"{WORD_NUMBERS[thousands]} ribu"
    hundreds, rest = divmod(rest, 100)
    parts = [head]
    if hundreds:
        parts.append("seratus" if hundreds == 1 else f"{WORD_NUMBERS[hundreds]} ratus")
    if rest:
        parts.append(in_words(rest))
    return " ".join(parts)


def wrap(rng: random.Random, text: str, width: int | None = None) -> str:
    """Reflow a paragraph as a scan's lines do: at an arbitrary width."""
    width = width or rng.randint(45, 95)
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)


def split_title(rng: random.Random, title: str) -> list[str]:
    """A long title over two or three lines, broken wherever it fits."""
    return wrap(rng, title, rng.randint(30, 60)).splitlines()


def kop(rng: random.Random, region: Region, opd: str | None) -> list[str]:
    lines = [f"PEMERINTAH {region.level.upper()} {region.name.upper()}"]
    if opd:
        lines.append(opd.upper())
    if rng.random() < 0.7:
        street = rng.choice(("Jalan Pemuda", "Jl. Diponegoro", "Jalan Veteran", "Jl. Ahmad Yani"))
        lines.append(f"{street} Nomor {rng.randint(1, 120)} {region.seat}, Telepon (0{rng.randint(21, 799)}) "
                     f"{rng.randint(300000, 799999)}")
        if rng.random() < 0.5:
            site = region.name.lower().replace(" ", "") + ("kota" if region.level == "Kota" else "kab")
            lines.append(f"Laman: www.{site}.go.id   Kode Pos {rng.randint(20000, 69999)}")
    return lines


def head_title(region: Region) -> str:
    return f"{region.head.upper()} {region.name.upper()}"


def vary_case(rng: random.Random, line: str) -> str:
    """Titles are usually capitals; some offices type them in title case."""
    if rng.random() < 0.75:
        return line.upper()
    small = {"dan", "di", "ke", "yang", "dalam", "untuk", "tentang", "atas", "serta", "pada", "dari", "bagi", "oleh"}
    return " ".join(w if w.lower() in small else w[:1].upper() + w[1:] for w in line.split())


def cite(rng: random.Random, year: int, k: int = 1) -> list[str]:
    """Laws a document of `year` can cite: none newer than itself."""
    usable = [c for c in CITED if int(re.search(r"Tahun (\d{4})", c).group(1)) <= year]
    return rng.sample(usable, min(k, len(usable)))


def considerations(rng: random.Random, subject: str, year: int, cites: int = 3) -> list[str]:
    cited = cite(rng, year, cites)
    out = [wrap(rng, f"Menimbang : a. bahwa untuk menjamin pemenuhan hak asasi manusia di daerah, perlu "
                      f"mengatur {subject};"),
           wrap(rng, f"b. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
                      f"ketentuan tentang {subject};")]
    out.append("Mengingat : " + "\n".join(wrap(rng, f"{i}. {c};") for i, c in enumerate(cited, 1)))
    return out


def period_phrase(rng: random.Random, year: int) -> tuple[str, tuple[int, ...]]:
    choice = rng.randrange(6)
    if choice == 0:
        return f"TAHUN ANGGARAN {year}", (year,)
    if choice == 1:
        return f"SEMESTER {rng.choice(('I', 'II'))} TAHUN {year}", (year,)
    if choice == 2:
        return f"PERIODE JANUARI - DESEMBER {year}", (year,)
    if choice == 3:
        return f"TRIWULAN {rng.choice(('I', 'II', 'III', 'IV'))} TAHUN {year}", (year,)
    if choice == 4:
        return f"TA. {year}", (year,)
    return f"TAHUN {year}", (year,)
