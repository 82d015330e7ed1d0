"""Rules of the labelling guideline (../shared/corpus/LABELLING.md) that hold whatever a model learnt.

Only what the guideline itself says is here, each rule under the sentence it implements; what else a document's
words mean is learnt from the corpus and the real documents (pipeline/classify/stack.py), where each rule is
also a feature whose weight the real documents set. `bukti eval --real` measures every rule region-held-out.

One rule serves twice: training reconciles the weak-rules labels of administrative titles to none
(pipeline/training/corpus.py), and classification refuses evidence whose own title block states such a subject
(pipeline/classify/model.py): a Dinas Kesehatan's organisation chart is about the office, not the right.
"""

from __future__ import annotations

import re

# "Judge the main subject. A tax, budget (APBD/APBN), state-company, boundary, organisational-structure,
# civil-service pay or procedure document is none even if a right is mentioned in passing."
# With the guideline's NOTs that name such subjects: "fees/retribution for health services whose subject is
# revenue (label none), hospital organisation charts alone (none)" (kesehatan); "civil-servant salaries,
# allowances, pensions, staffing (kepegawaian) -> none" (pekerjaan); "civil-service staffing, structure of
# government bodies, village-head salaries, budget documents" (partisipasi_pemerintahan).
_ADMINISTRATIVE = {
    "tax and fees": r"retribusi|pajak|\btarif\b",
    "budget": r"anggaran pendapatan dan belanja|\bapb[dn]\b|pelaksanaan anggaran|realisasi anggaran|\bdpa\b"
              r"|laporan keuangan|\bcalk\b",
    "state company": r"perusahaan (umum )?daerah|\bpdam\b|\bbumd\b|perseroda|\bpersero\b"
                     r"|(penyertaan|penambahan|penanaman|penyetoran|pengurangan) modal"
                     r"|\bmodal (awal|negara|daerah|saham|pemerintah)\b",
    "boundary": r"batas daerah|batas wilayah",
    "organisational structure": r"susunan organisasi|struktur organisasi|organisasi dan tata ?kerja"
                                r"|pembentukan organisasi|tugas( pokok)?,? (dan )?fungsi|\bsotk\b|perangkat daerah"
                                r"|perangkat desa|uraian tugas",
    "civil-service pay and staffing": r"tunjangan|\bgaji\b|tambahan penghasilan|kepegawaian|pensiun|honorarium"
                                      r"|(izin|pengajuan|penerbitan|permohonan) cuti",
}
_PATTERNS = {name: re.compile(p, re.IGNORECASE) for name, p in _ADMINISTRATIVE.items()}
# A regional company's own affairs (its founding, its capital) are none; a service it runs for citizens is the
# subject of a title that names it ("Pelayanan Air Minum Perusahaan Daerah Air Minum": drinking water supply).
_YIELDS_TO_A_NAMED_SUBJECT = ("state company",)


def none_subject(subject: str) -> str | None:
    """The administrative word that makes `subject` evidence for nothing, or None."""
    for name, pattern in _PATTERNS.items():
        found = pattern.search(subject)
        if found and not (name in _YIELDS_TO_A_NAMED_SUBJECT and named_subjects(subject)):
            return found.group(0).lower()
    return None


# The subjects LABELLING.md names for each criterion, in its own words (Indonesian as it writes them, the English
# ones in the Indonesian a title uses, and their usual short forms). A title block that names one of them is
# evidence for that criterion, however few words the model has seen it in: "Undangan Desk PPID", "Penetapan
# Bunda Literasi", "Konsultasi Publik Ranperda". Matched on the title block only, never on the body, where such
# words are citations or the sender's name.
SUBJECT_TERMS: dict[str, tuple[str, ...]] = {
    # "legal aid and access to justice: free legal aid for the poor, legal aid providers (LBH, paralegal,
    # posbakum), legal counselling/awareness for citizens (penyuluhan hukum, kadarkum, desa sadar hukum)"
    "bantuan_hukum": (r"bantuan hukum", r"lembaga bantuan hukum", r"\blbh\b", r"paralegal", r"posbakum",
                      r"penyuluhan hukum", r"kadarkum", r"sadar hukum", r"akses (terhadap )?keadilan"),
    # "public information disclosure (keterbukaan informasi publik, PPID), information and complaint services
    # for citizens, press, broadcasting, public communication media, community information groups"
    "informasi": (r"keterbukaan informasi", r"informasi publik", r"\bppid\b", r"pejabat pengelola informasi",
                  r"layanan informasi", r"pengaduan masyarakat", r"(layanan|penanganan|pengelolaan) pengaduan",
                  r"\bpers\b", r"penyiaran", r"komunikasi publik", r"kelompok informasi masyarakat"),
    # "elections (pemilu, pilkada, pilkades), political parties and their funding, community organisations
    # (ormas), participatory planning (musrenbang), public participation in law-making, village deliberation
    # bodies (BPD), community institutions (lembaga kemasyarakatan desa)"
    "partisipasi_pemerintahan": (r"pemilihan umum", r"\bpemilu\b", r"\bpilkada\b", r"pemilihan kepala daerah",
                                 r"\bpilkades\b", r"pemilihan kepala desa", r"partai politik",
                                 r"organisasi kemasyarakatan", r"\bormas\b", r"musrenbang",
                                 r"musyawarah perencanaan pembangunan", r"partisipasi masyarakat",
                                 r"konsultasi publik", r"badan permusyawaratan desa", r"lembaga kemasyarakatan"),
    # "freedom of religion and belief, religious harmony (FKUB, places of worship), belief communities
    # (penghayat kepercayaan), indigenous/customary communities (masyarakat hukum adat), protection of cultural
    # diversity, anti-discrimination, tolerance, prevention/handling of social conflict"; and "a general
    # perlindungan dan pemenuhan hak penyandang disabilitas regulation: keberagaman_pluralisme"
    "keberagaman_pluralisme": (r"kebebasan beragama", r"kerukunan umat beragama", r"\bfkub\b", r"rumah ibadat",
                               r"penghayat kepercayaan", r"masyarakat (hukum )?adat", r"diskriminasi",
                               r"toleransi", r"konflik sosial", r"keragaman budaya", r"hak penyandang disabilitas"),
    # "identity cards (KTP-el), family cards, birth/death/marriage certificates, pencatatan sipil, adminduk
    # services, citizenship (kewarganegaraan), population data"
    "kependudukan": (r"\bktp", r"kartu tanda penduduk", r"kartu keluarga", r"kartu identitas anak",
                     r"pencatatan sipil", r"akta (kelahiran|kematian|perkawinan|perceraian)",
                     r"administrasi kependudukan", r"\badminduk\b", r"kewarganegaraan", r"data kependudukan"),
    # "health services and facilities (puskesmas, rumah sakit), health insurance coverage (JKN, jamkesda),
    # immunisation, nutrition/stunting, maternal and child health, disease control, health workers, medicines,
    # no-smoking areas, HIV/AIDS, mental health"
    "kesehatan": (r"pelayanan kesehatan", r"\bpuskesmas\b", r"jaminan kesehatan", r"\bjkn\b", r"jamkesda",
                  r"imunisasi", r"\bgizi\b", r"stunting", r"kesehatan ibu", r"penyakit menular",
                  r"pengendalian penyakit", r"tenaga kesehatan", r"kawasan tanpa rokok", r"\bhiv\b",
                  r"kesehatan jiwa"),
    # "schools, compulsory education, early childhood education (PAUD), teachers, scholarships and education
    # funding for students, inclusive education, literacy, higher education access"
    "pendidikan": (r"wajib belajar", r"\bpaud\b", r"pendidikan anak usia dini", r"beasiswa", r"pendidikan inklusif",
                   r"literasi"),
    # "labour protection, wages, employment services, job training (pelatihan kerja), job placement, migrant
    # workers, occupational safety, workers' social security (jaminan sosial tenaga kerja), employment of persons
    # with disabilities, foreign worker permits (as labour regulation)"
    "pekerjaan": (r"perlindungan tenaga kerja", r"ketenagakerjaan", r"upah minimum", r"pelatihan kerja",
                  r"penempatan tenaga kerja", r"pekerja migran", r"keselamatan dan kesehatan kerja",
                  r"jaminan sosial tenaga kerja", r"tenaga kerja asing", r"pencari kerja"),
    # "environmental protection, pollution, waste (sampah, limbah), environmental permits/impact (AMDAL), green
    # open space, clean water / drinking water supply, sanitation, housing, settlements, slum upgrading (kawasan
    # kumuh), uninhabitable-home repair (RTLH), rusun"
    "lingkungan_perumahan": (r"lingkungan hidup", r"pencemaran", r"pengelolaan sampah", r"\blimbah\b",
                             r"\bamdal\b", r"dampak lingkungan", r"ruang terbuka hijau", r"air minum",
                             r"sanitasi", r"perumahan", r"permukiman", r"kawasan kumuh", r"tidak layak huni",
                             r"\brtlh\b", r"rumah susun"),
    # "child protection, child-friendly city/regency (KLA), violence against women and children, domestic
    # violence (KDRT), trafficking in persons, gender mainstreaming (PUG), women's empowerment, child marriage
    # prevention, juvenile justice, care for orphans and abandoned children"
    "perempuan_anak": (r"perlindungan anak", r"layak anak", r"kekerasan terhadap (perempuan|anak)",
                       r"kekerasan dalam rumah tangga", r"\bkdrt\b", r"perdagangan orang", r"\btppo\b",
                       r"pengarusutamaan gender", r"pemberdayaan perempuan", r"perkawinan anak",
                       r"peradilan pidana anak", r"anak terlantar"),
}
_SUBJECT_TERMS = {c: re.compile("|".join(terms), re.IGNORECASE) for c, terms in SUBJECT_TERMS.items()}
# The issuing office's own name ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak"), or a regional company's
# ("Perusahaan Umum Daerah Air Minum Tirta"), is who the document is from or about as a body, not its subject:
# it is removed before looking for subjects.
_OFFICE_NAME = re.compile(r"\b(dinas|badan|kantor|uptd|unit pelaksana teknis|sekretariat|perusahaan( umum)? daerah"
                          r"|pdam|bumd)\b[^,.;:()\n]*", re.IGNORECASE)


# A scan's title block is read by OCR, which drops or changes a letter ("BANTUN HUKUM", "IMUNISASl DASAR"). A term
# written as plain words and at least this long is also found one edit away, word for word: no two subject
# words of the guideline are that close ("sadar hukum" and "dasar hukum" are two edits apart), and shorter
# terms ("pers", "gizi") would match ordinary words.
FUZZY_MIN_CHARS = 10
_FUZZY_TERMS = {c: tuple(t for t in terms if re.fullmatch(r"[a-z ]+", t) and len(t) >= FUZZY_MIN_CHARS)
                for c, terms in SUBJECT_TERMS.items()}


def _misread_term(words: list[str], term: str) -> str | None:
    from rapidfuzz.distance import Levenshtein

    n = len(term.split())
    for i in range(len(words) - n + 1):
        window = " ".join(words[i:i + n])
        if Levenshtein.distance(window, term, score_cutoff=1) <= 1:
            return window
    return None


def named_subjects(subject: str) -> dict[str, str]:
    """Criteria whose guideline subjects `subject` names, with the words that named them."""
    text = _OFFICE_NAME.sub(" ", subject)
    found = {}
    words = None
    for criterion, pattern in _SUBJECT_TERMS.items():
        match = pattern.search(text)
        if match:
            found[criterion] = match.group(0).lower()
            continue
        words = re.findall(r"[a-z]+", text.lower()) if words is None else words
        for term in _FUZZY_TERMS[criterion]:
            misread = _misread_term(words, term)
            if misread:
                found[criterion] = misread
                break
    return found
