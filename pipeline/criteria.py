"""The ten criteria, read from pipeline/criteria.toml (data, not code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CRITERIA_FILE = Path(__file__).with_name("criteria.toml")
TYPES = ("struktur", "proses", "hasil")  # the three kinds of KKP HAM indicators, in the assessment's order
IDS = ("bantuan_hukum", "informasi", "partisipasi_pemerintahan", "keberagaman_pluralisme", "kependudukan",
       "kesehatan", "pendidikan", "pekerjaan", "lingkungan_perumahan", "perempuan_anak")


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    name_en: str
    group: str  # sipil-politik | ekosob
    opd: tuple[str, ...]  # who is asked: the responsible OPD first, then those asked jointly ("bersama")
    min_documents: int
    review_band: float
    need: dict[str, str]  # per evidence type: the kind of document that covers it (what to ask for)
    need_en: dict[str, str]
    opd_for: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per type, when not `opd`

    def asked(self, evidence_type: str) -> tuple[str, ...]:
        """Who is asked for a missing cell of this type: responsible first (names from the OPD table)."""
        return self.opd_for.get(evidence_type, self.opd)


@lru_cache(maxsize=4)
def load_criteria(path: Path = CRITERIA_FILE) -> tuple[Criterion, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    out = tuple(
        Criterion(id=c["id"], name=c["name"], name_en=c["name_en"], group=c["group"], opd=tuple(c["opd"]),
                  min_documents=int(c.get("min_documents", defaults.get("min_documents", 1))),
                  review_band=float(c.get("review_band", defaults.get("review_band", 0.15))),
                  need=dict(c.get("need", {})), need_en=dict(c.get("need_en", {})),
                  opd_for={t: tuple(v) for t, v in c.get("opd_for", {}).items()})
        for c in data["criterion"])
    if tuple(c.id for c in out) != IDS:
        raise ValueError(f"{path} must list exactly the ten criterion ids in order: {', '.join(IDS)}")
    for c in out:
        if not c.opd or not set(c.opd_for) <= set(TYPES) or not all(c.opd_for.values()):
            raise ValueError(f"{path}: criterion {c.id} needs an opd list (and opd_for only for {', '.join(TYPES)})")
        # Every gap must say what to ask for: a criterion without a document kind per type is an editing slip.
        for key, table in (("need", c.need), ("need_en", c.need_en)):
            if set(table) != set(TYPES) or not all(v.strip() for v in table.values()):
                raise ValueError(f"{path}: criterion {c.id} needs {key}.struktur, {key}.proses and {key}.hasil")
    return out
