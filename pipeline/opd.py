"""The region's OPDs as data: the one table the gap list, the requests, the reports and the review page name
agencies from.

Why a table: the criteria (pipeline/criteria.toml) say which kind of agency holds the evidence ("dinkominfo",
"dp3a"), but every region names and merges its agencies its own way (a DP3A in one city, a DPPKBP3A in the next;
PPID is a function of Dinkominfo, not a desk), and files arrive in folders the region chose. A request must go
to one desk, under the name that desk uses, pointing at the folder it drops files into.

The table is a TOML file the coordinator edits (`opd.toml`, found by `opd_file`, below; the project ships one for
the sample city, pipeline/opd.toml):

    [wilayah]
    nama = "Kota Sukamaju"
    jenis = "kota"                 # kota: Perwal, kabupaten: Perbup (the wording of the requests)

    [[opd]]
    id = "dinkominfo"              # what criteria.toml names
    nama = "Dinas Komunikasi dan Informatika"
    singkatan = "Dinkominfo"
    folder = "dinkominfo"          # its folder in the inbox
    alias = ["PPID", "Diskominfo"] # other names criteria or people use for it
    email = "ppid@sukamaju.go.id"  # optional: where its notifications go

A criterion names an OPD by id, folder, short name or alias (any case); one the table lacks stays visible under
its own name and is listed by `unknown_roles`, so a gap is never routed nowhere.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).with_name("opd.toml")
KINDS = ("kota", "kabupaten")
# How a region's own regulation is called, and the region's word, by its kind (criteria.toml `{perkada}`,
# `{daerah}`): a city enacts a Peraturan Wali Kota, a regency a Peraturan Bupati.
PERKADA = {"kota": "Perwal", "kabupaten": "Perbup"}
DAERAH = {"kota": "kota", "kabupaten": "kabupaten"}
DAERAH_EN = {"kota": "city", "kabupaten": "regency"}


class OpdTableError(ValueError):
    """The OPD table cannot be used; the message names the file and what to fix."""


@dataclass(frozen=True)
class Opd:
    id: str
    name: str  # official name, as on its letterhead
    short: str  # what people call it (Dinkes, Bappeda)
    folder: str  # its folder in the inbox
    aliases: tuple[str, ...] = ()
    email: str = ""  # where its notifications go (issue 16); not part of the gap list's JSON

    def names(self) -> set[str]:
        return {n.casefold() for n in (self.id, self.short, self.folder, self.name, *self.aliases) if n}

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "short": self.short, "folder": self.folder,
                "aliases": list(self.aliases)}

    @classmethod
    def from_json(cls, data: dict) -> Opd:
        return cls(data["id"], data["name"], data["short"], data["folder"], tuple(data.get("aliases", ())))


@dataclass(frozen=True)
class OpdTable:
    region_name: str
    kind: str  # kota | kabupaten
    opds: tuple[Opd, ...]
    source: str = field(default="", compare=False)  # the file it was read from, for messages

    @property
    def perkada(self) -> str:
        return PERKADA[self.kind]

    def find(self, name: str) -> Opd | None:
        """The OPD a criterion, a folder or a person names (id, folder, short name, official name or alias)."""
        key = (name or "").strip().casefold()
        return next((o for o in self.opds if key in o.names()), None)

    def by_id(self, opd_id: str) -> Opd | None:
        return next((o for o in self.opds if o.id == opd_id), None)

    def of_folder(self, folder: str) -> Opd | None:
        """The OPD whose inbox folder this is (documents carry their folder as `opd`)."""
        key = (folder or "").casefold()
        return next((o for o in self.opds if o.folder.casefold() == key), None) or self.find(folder)

    def resolve(self, roles: tuple[str, ...]) -> tuple[str, ...]:
        """The OPD ids for the names a criterion gives, responsible first, each once (two names of one desk
        become one). The responsible one the table lacks is kept under its own name, so the request still goes
        somewhere; a "bersama" one it lacks is left out (the region has no such desk)."""
        out: list[str] = []
        for i, role in enumerate(roles):
            opd = self.find(role)
            if opd is None and i > 0:
                continue
            key = opd.id if opd else role
            if key not in out:
                out.append(key)
        return tuple(out)

    def unknown_roles(self, roles: tuple[str, ...]) -> list[str]:
        return [r for r in roles if self.find(r) is None]

    def label(self, opd_id: str) -> str:
        """Short name of an OPD id, or the id itself when the table lacks it."""
        opd = self.by_id(opd_id)
        return opd.short if opd else opd_id

    def folder_label(self, folder: str) -> str:
        """How a document's folder is shown: the OPD's short name, else the folder as it is."""
        opd = self.of_folder(folder)
        return opd.short if opd else folder

    def wording(self, text: str, lang: str = "id") -> str:
        """A criterion's request text in this region's words: {perkada} is Perwal or Perbup, {daerah} kota or
        kabupaten."""
        return text.replace("{perkada}", self.perkada).replace(
            "{daerah}", (DAERAH if lang == "id" else DAERAH_EN)[self.kind])

    def as_json(self) -> dict:
        return {"region_name": self.region_name, "kind": self.kind, "opds": [o.as_json() for o in self.opds]}

    @classmethod
    def from_json(cls, data: dict) -> OpdTable:
        return cls(data["region_name"], data["kind"], tuple(Opd.from_json(o) for o in data["opds"]))


def _text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise OpdTableError(f"{where}: '{key}' wajib diisi / '{key}' is required")
    return value.strip()


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int, default_name: str) -> OpdTable:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OpdTableError(f"{path}: tidak terbaca / cannot be read: {exc}") from exc
    head = data.get("wilayah", {})
    kind = str(head.get("jenis", "")).strip().lower()
    if kind not in KINDS:
        raise OpdTableError(f"{path}: [wilayah] jenis harus 'kota' atau 'kabupaten' / kind must be kota or "
                            f"kabupaten, not {kind!r}")
    opds, seen = [], set()
    for i, entry in enumerate(data.get("opd", []), start=1):
        where = f"{path}, [[opd]] ke-{i}"
        opd = Opd(id=_text(entry, "id", where), name=_text(entry, "nama", where),
                  short=str(entry.get("singkatan") or entry.get("nama")).strip(),
                  folder=str(entry.get("folder") or entry["id"]).strip(),
                  aliases=tuple(str(a).strip() for a in entry.get("alias", []) if str(a).strip()),
                  email=str(entry.get("email") or "").strip())
        clash = opd.names() & seen
        if clash:
            raise OpdTableError(f"{where}: nama {sorted(clash)[0]!r} sudah dipakai OPD lain / name already used")
        seen |= opd.names()
        opds.append(opd)
    if not opds:
        raise OpdTableError(f"{path}: tidak ada [[opd]] / the table lists no OPD")
    return OpdTable(str(head.get("nama") or default_name).strip(), kind, tuple(opds), str(path))


def load_opd_table(path: Path, default_name: str = "") -> OpdTable:
    """The table in `path` (re-read when the file changes: the coordinator edits it while the page runs)."""
    return _load(path, path.stat().st_mtime_ns, default_name)


def guess_kind(region: str) -> str:
    """A province's region folder says its kind more often than not (kota-salatiga, kab-semarang)."""
    return "kota" if region.lower().startswith("kota") else "kabupaten"


def opd_table(home_table: Path, region_dir: Path, region: str | None) -> OpdTable:
    """The OPD table of one region: under a province inbox `region_dir/<region>.toml` when the coordinator wrote
    one, else the region's own table (`home_table`, or the shipped one), named after the region's folder with
    its kind guessed from it."""
    if region:
        own = region_dir / f"{region}.toml"
        if own.is_file():
            return load_opd_table(own, region)
        base = load_opd_table(home_table if home_table.is_file() else SHIPPED)
        return OpdTable(region, guess_kind(region), base.opds, base.source)
    return load_opd_table(home_table if home_table.is_file() else SHIPPED)


def shipped_for_region(region: str) -> OpdTable:
    """The shipped table named after a province's region folder, its kind guessed from the name."""
    base = load_opd_table(SHIPPED)
    return OpdTable(region, guess_kind(region), base.opds, base.source) if region else base


def opd_table_for(settings, region: str | None = None) -> OpdTable:
    """The OPD table of `region` ("" or None: the single region) as the settings place it."""
    return opd_table(settings.opd_table_file, settings.region_opd_dir, region or None)
