"""The ten criteria, read from pipeline/criteria.toml (data, not code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
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
    opd: tuple[str, ...]
    min_documents: int
    review_band: float
    need: dict[str, str]  # per evidence type: the kind of document that covers it (what to ask for)
    need_en: dict[str, str]


@lru_cache(maxsize=4)
def load_criteria(path: Path = CRITERIA_FILE) -> tuple[Criterion, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    out = tuple(
        Criterion(id=c["id"], name=c["name"], name_en=c["name_en"], group=c["group"], opd=tuple(c["opd"]),
                  min_documents=int(c.get("min_documents", defaults.get("min_documents", 1))),
                  review_band=float(c.get("review_band", defaults.get("review_band", 0.15))),
                  need=dict(c.get("need", {})), need_en=dict(c.get("need_en", {})))
        for c in data["criterion"])
    if tuple(c.id for c in out) != IDS:
        raise ValueError(f"{path} must list exactly the ten criterion ids in order: {', '.join(IDS)}")
    for c in out:
        # Every gap must say what to ask for: a criterion without a document kind per type is an editing slip.
        for key, table in (("need", c.need), ("need_en", c.need_en)):
            if set(table) != set(TYPES) or not all(v.strip() for v in table.values()):
                raise ValueError(f"{path}: criterion {c.id} needs {key}.struktur, {key}.proses and {key}.hasil")
    return out
