"""A second evidence type for reports that carry both their programme and its outcome.

A document has one kind (its title block decides: pipeline/describe/evidence.py), but the assessment scores what
it shows. A "LAPORAN PELAYANAN AKTA KELAHIRAN" is a report of services (proses) that also states the coverage
reached ("cakupan kepemilikan akta kelahiran ... mencapai 98,7 persen": hasil); a "LAPORAN CAPAIAN IMUNISASI" is
an outcome report (hasil) that also tells what was done to reach it ("melaksanakan pelayanan imunisasi di 12
puskesmas", "melakukan kunjungan rumah dan penyuluhan": proses). Counting such a report in one cell only leaves
the page asking for what the coordinator already holds.

Only reports get a second type, and only from their own sentences: a regulation's body describes programmes it
orders, not ones carried out, and a letter or a table of figures is one thing. The tests are deliberately
narrow (an outcome needs a percentage next to an outcome word; a programme needs two sentences of carried-out
activity), since a reviewer can always add a type and a wrong one would fill a cell nobody filled.
"""

from __future__ import annotations

import re

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n{2,}")
# An outcome: a percentage said of a coverage, an achievement, a rate or an index.
_OUTCOME_WORD = re.compile(r"\b(cakupan|capaian|pencapaian|persentase|prosentase|angka|tingkat|prevalensi|rasio"
                           r"|indeks|tercapai|mencapai|meningkat|menurun)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:persen\b|%)", re.IGNORECASE)
# A programme carried out: an action verb in the active or passive voice, then an activity.
_ACTIVITY = re.compile(r"\b(melaksanakan|dilaksanakan|menyelenggarakan|diselenggarakan|melakukan|dilakukan"
                       r"|mengadakan|diadakan|memberikan|diberikan)\b[^.]{0,80}?\b(pelayanan|layanan|kegiatan"
                       r"|penyuluhan|sosialisasi|kunjungan|pelatihan|pendampingan|program|rapat|pemeriksaan"
                       r"|jemput bola|imunisasi|bimbingan)\b", re.IGNORECASE)
MIN_ACTIVITY_SENTENCES = 2


def outcome_sentence(body: str) -> str | None:
    """The first sentence stating an outcome figure (a percentage of coverage, achievement, rate or index)."""
    for sentence in _SENTENCES.split(body[:8000]):
        if _PERCENT.search(sentence) and _OUTCOME_WORD.search(sentence):
            return " ".join(sentence.split())
    return None


def activity_sentences(body: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCES.split(body[:8000]) if _ACTIVITY.search(s)]


def also_types(primary: str, is_report: bool, body: str) -> tuple[tuple[str, str], ...]:
    """((type, why), ...) a report is evidence of besides its primary type; () for anything else."""
    if not is_report:
        return ()
    if primary == "proses":
        found = outcome_sentence(body)
        if found:
            return (("hasil", f"menyebut capaian: \"{found[:80]}\" / states an outcome figure"),)
    if primary == "hasil":
        found = activity_sentences(body)
        if len(found) >= MIN_ACTIVITY_SENTENCES:
            return (("proses", f"menguraikan kegiatan: \"{found[0][:80]}\" / describes the activities carried out"),)
    return ()
