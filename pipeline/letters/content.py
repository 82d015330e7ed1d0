"""What a request letter says, as typed records: the letterhead, number, date and perihal, the OPD it goes to,
what is missing per criterion and evidence type with what counts as evidence, the deadline, the upload link and
the signature. Letters are official Indonesian correspondence: they are written in Indonesian only.

Every text that came from outside the code (the OPD table, the configuration) passes `plain()`: no control
characters (which neither DOCX's XML nor a PDF can carry) and one line where one line is meant. The writers
then place it as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from pipeline.config import Settings
from pipeline.gaps.records import GapList
from pipeline.i18n import labels
from pipeline.portal.deadlines import Deadline
from pipeline.words import long_date


def plain(text: str, one_line: bool = True) -> str:
    out = "".join(ch for ch in str(text or "") if ch == "\n" or unicodedata.category(ch)[0] != "C")
    return " ".join(out.split()) if one_line else out.strip()


@dataclass(frozen=True)
class Letterhead:
    government: str  # PEMERINTAH KOTA SUKAMAJU
    unit: str  # SEKRETARIAT DAERAH - BAGIAN HUKUM
    address: str


@dataclass(frozen=True)
class LetterItem:
    criterion: str  # the criterion's name
    evidence_type: str  # Struktur / Proses / Hasil
    status: str  # belum ada / lemah / di luar periode
    need: str  # what counts as evidence
    together: tuple[str, ...]  # OPDs asked jointly (short names)


@dataclass(frozen=True)
class Signature:
    place: str
    title: str
    name: str
    nip: str


@dataclass(frozen=True)
class Letter:
    opd: str  # the OPD table's id (file names)
    head: Letterhead
    number: str
    date: str  # "2 Desember 2026"
    to: str  # "Kepala Dinas Kesehatan"
    perihal: str
    intro: str
    items: tuple[LetterItem, ...]
    deadline: str  # "15 Maret 2027 (Batas kiriman ...)" or ""
    upload: str  # the upload link, or where to get it
    folder: str  # the inbox folder, the other way in
    closing: str
    signature: Signature


def build_letters(gaps: GapList, settings: Settings, today: dt.date, due: Deadline | None,
                  links: dict[str, str] | None = None) -> list[Letter]:
    """One letter per OPD the gap list asks something of, numbered in the OPD table's order. `links`: the
    upload link per OPD id when new ones were issued for these letters (the ledger keeps only their hashes)."""
    L = labels("id")
    table = gaps.opds
    region = table.region_name
    head = Letterhead(plain(settings.letter_government or f"PEMERINTAH {region}".upper()),
                      plain(settings.letter_unit), plain(settings.letter_address))
    signature = Signature(plain(settings.letter_place or region.removeprefix("Kota ").removeprefix("Kabupaten ")),
                          plain(settings.signer_title), plain(settings.signer_name), plain(settings.signer_nip))
    year = gaps.assessment_year
    letters = []
    for seq, (opd_id, requests) in enumerate(gaps.requests_by_opd().items(), start=1):
        opd = table.by_id(opd_id)
        items = tuple(LetterItem(plain(r.name), L[r.evidence_type], L[r.status], plain(table.wording(r.need)),
                                 tuple(plain(gaps.opd_label(o)) for o in r.together)) for r in requests)
        link = (links or {}).get(opd_id)
        letters.append(Letter(
            opd=opd_id, head=head,
            number=plain(settings.letter_number.format(seq=seq, year=today.year)),
            date=long_date(today), to=f"Kepala {plain(opd.name if opd else opd_id)}",
            perihal=f"Permintaan data dukung Penilaian Kabupaten/Kota Peduli HAM Tahun {year}",
            intro=(f"Dalam rangka Penilaian Kabupaten/Kota Peduli Hak Asasi Manusia (Permenkumham Nomor 22 Tahun "
                   f"2021) tahun {year} di {plain(region)}, dengan hormat kami mohon Saudara mengirimkan data "
                   f"dukung berikut, yang sampai {long_date(today)} belum kami terima atau belum memenuhi:"),
            items=items,
            deadline=f"{long_date(due.date)} ({plain(due.name)})" if due else "",
            upload=link or "tautan unggah dikirim terpisah oleh Bagian Hukum (bukti opd link)",
            folder=plain(opd.folder if opd else opd_id),
            closing="Demikian permintaan ini kami sampaikan. Atas perhatian dan kerja sama Saudara, kami ucapkan "
                    "terima kasih.",
            signature=signature))
    return letters
