"""Rules of the labelling guideline (../shared/corpus/LABELLING.md) that hold whatever a model learnt.

"Judge the main subject. A tax, budget (APBD/APBN), state-company, boundary, organisational-structure,
civil-service pay or procedure document is none even if a right is mentioned in passing."

One rule serves twice: training reconciles the weak-rules labels of such titles to none (pipeline/training/corpus.py),
and classification refuses evidence whose own title block states such a subject (pipeline/classify/model.py): a
Dinas Kesehatan's organisation chart or performance agreement is about the office, not the right.
"""

from __future__ import annotations

import re

NONE_SUBJECT = re.compile(
    r"retribusi|pajak|perusahaan (umum )?daerah|\bpdam\b|\bbumd\b|perseroda|\bpersero\b"
    r"|(penyertaan|penambahan|penanaman|penyetoran|pengurangan) modal|\bmodal (awal|negara|daerah|saham|pemerintah)\b"
    r"|susunan organisasi|struktur organisasi|organisasi dan tata ?kerja|pembentukan organisasi|tugas( pokok)?,? (dan )?fungsi|\bsotk\b"
    r"|perangkat daerah|perangkat desa|uraian tugas"
    r"|tunjangan|\bgaji\b|tambahan penghasilan|kepegawaian|pensiun|honorarium|(izin|pengajuan|penerbitan|permohonan) cuti"
    r"|anggaran pendapatan dan belanja|\bapbd\b|pelaksanaan anggaran|\bdpa\b|laporan keuangan|\bcalk\b"
    r"|inventaris|barang milik daerah|kendaraan dinas|\btarif\b|\bhibah\b"
    r"|perjanjian kinerja|indikator kinerja|rencana kerja|rencana strategis|\brenstra\b|\brenja\b"
    r"|batas daerah|batas wilayah", re.IGNORECASE)
# Capital (its injection, initial capital, investment) is the state-company and budget rule: every one of the
# corpus's 120 hand-annotated titles with "modal" is none, BPJS's initial capital included. "Bantuan modal
# usaha" (grants to start a business, often a programme for women or persons with disabilities) is left alone.
# ...but a service or a substantive programme named together with such a word keeps its label.
SUBSTANCE = re.compile(r"pelayanan (\w+ ){0,3}air|berpenghasilan rendah|pengelolaan (air )?limbah|responsif gender"
                       r"|pemilihan", re.IGNORECASE)


def none_subject(subject: str) -> str | None:
    """The administrative word that makes `subject` evidence for nothing, or None."""
    found = NONE_SUBJECT.search(subject)
    if found and not SUBSTANCE.search(subject):
        return found.group(0).lower()
    return None


# Subjects that LABELLING.md names for each criterion (its examples, in Indonesian, with their usual short
# forms). A title block that names one of them is evidence for that criterion, however few words the model
# has seen it in: "Undangan Desk PPID", "Penetapan Bunda Literasi", "Konsultasi Publik Ranperda". Matched on
# the title block only, never on the body, where such words are citations or the sender's name.
SUBJECT_TERMS: dict[str, tuple[str, ...]] = {
    "bantuan_hukum": (r"bantuan hukum", r"lembaga bantuan hukum", r"\blbh\b", r"paralegal", r"posbakum",
                      r"penyuluhan hukum", r"kadarkum", r"sadar hukum", r"akses (terhadap )?keadilan"),
    "informasi": (r"keterbukaan informasi", r"informasi publik", r"\bppid\b",
                  r"pejabat pengelola informasi", r"layanan informasi", r"pengaduan masyarakat",
                  r"(layanan|penanganan|pengelolaan) pengaduan", r"\bsp4n\b", r"\bpers\b",
                  r"penyiaran", r"komisi informasi", r"kelompok informasi masyarakat", r"\bkim\b",
                  r"komunikasi publik"),
    "partisipasi_pemerintahan": (r"pemilihan umum", r"\bpemilu\b", r"\bpilkada\b", r"pemilihan kepala",
                                 r"\bpilkades\b", r"partai politik", r"organisasi kemasyarakatan", r"\bormas\b",
                                 r"musrenbang", r"musyawarah perencanaan pembangunan", r"partisipasi masyarakat",
                                 r"konsultasi publik", r"badan permusyawaratan desa", r"lembaga kemasyarakatan"),
    "keberagaman_pluralisme": (r"kebebasan beragama", r"kerukunan umat beragama", r"\bfkub\b",
                               r"rumah ibadat", r"penghayat kepercayaan", r"masyarakat (hukum )?adat",
                               r"diskriminasi", r"toleransi", r"konflik sosial", r"keragaman budaya",
                               r"hak penyandang disabilitas"),
    "kependudukan": (r"\bktp", r"kartu tanda penduduk", r"kartu keluarga", r"pencatatan sipil",
                     # the civil-registration events, whatever the paper: certificate, extract, report, data
                     r"(akta|kutipan|pencatatan|pelaporan|register|data|surat keterangan) (kelahiran|kematian"
                     r"|perkawinan|perceraian)", r"perpindahan penduduk", r"dokumen kependudukan", r"biodata penduduk",
                     r"administrasi kependudukan", r"\badminduk\b", r"kewarganegaraan", r"data kependudukan",
                     r"nomor induk kependudukan", r"kartu identitas anak"),
    "kesehatan": (r"pelayanan kesehatan", r"\bpuskesmas\b", r"jaminan kesehatan", r"\bjkn\b", r"jamkesda",
                  r"imunisasi", r"\bgizi\b", r"stunting", r"kesehatan ibu", r"penyakit menular",
                  r"pengendalian penyakit", r"tenaga kesehatan", r"kawasan tanpa rokok", r"\bhiv\b",
                  r"kesehatan jiwa", r"posyandu"),
    "pendidikan": (r"wajib belajar", r"\bpaud\b", r"pendidikan anak usia dini", r"beasiswa",
                   r"pendidikan inklusif", r"literasi", r"penerimaan peserta didik", r"satuan pendidikan"),
    "pekerjaan": (r"perlindungan tenaga kerja", r"ketenagakerjaan", r"upah minimum", r"pelatihan kerja",
                  r"penempatan tenaga kerja", r"pekerja migran", r"keselamatan dan kesehatan kerja",
                  r"jaminan sosial tenaga kerja", r"tenaga kerja asing", r"pencari kerja", r"hubungan industrial"),
    "lingkungan_perumahan": (r"lingkungan hidup", r"pencemaran", r"pengelolaan sampah", r"\blimbah\b",
                             r"\bamdal\b", r"dampak lingkungan", r"ruang terbuka hijau", r"air minum",
                             r"sanitasi", r"perumahan", r"permukiman", r"kawasan kumuh", r"tidak layak huni",
                             r"\brtlh\b", r"rumah susun", r"rumah swadaya"),
    "perempuan_anak": (r"perlindungan anak", r"layak anak", r"kekerasan terhadap (perempuan|anak)",
                       r"kekerasan dalam rumah tangga", r"\bkdrt\b", r"perdagangan orang", r"\btppo\b",
                       r"pengarusutamaan gender", r"pemberdayaan perempuan", r"perkawinan anak",
                       r"peradilan pidana anak", r"anak terlantar", r"forum anak"),
}
_SUBJECT_TERMS = {c: re.compile("|".join(terms), re.IGNORECASE) for c, terms in SUBJECT_TERMS.items()}
# The issuing office's own name ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak") is who sends the
# document, not what it is about: it is removed before looking for subjects.
_OFFICE_NAME = re.compile(r"\b(dinas|badan|kantor|uptd|unit pelaksana teknis|sekretariat)\b[^,.;:()\n]*",
                          re.IGNORECASE)


def named_subjects(subject: str) -> dict[str, str]:
    """Criteria whose guideline subjects `subject` names, with the words that named them."""
    text = _OFFICE_NAME.sub(" ", subject)
    found = {}
    for criterion, pattern in _SUBJECT_TERMS.items():
        match = pattern.search(text)
        if match:
            found[criterion] = match.group(0).lower()
    return found
