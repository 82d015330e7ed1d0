"""The region's OPD table (pipeline/opd.py): names resolve to one desk, the region's kind words the requests,
a coordinator's own table replaces the shipped one, and a broken table says what to fix."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.config import load_settings
from pipeline.opd import SHIPPED, OpdTableError, load_opd_table, opd_table_for

TABLE = """
[wilayah]
nama = "Kabupaten Sukamakmur"
jenis = "kabupaten"

[[opd]]
id = "dinkominfo"
nama = "Dinas Komunikasi, Informatika, Statistik dan Persandian"
singkatan = "Diskominfo"
folder = "kominfo"
alias = ["PPID"]

[[opd]]
id = "dp3a"
nama = "Dinas Pengendalian Penduduk, KB, Pemberdayaan Perempuan dan Perlindungan Anak"
singkatan = "DPPKBP3A"
folder = "dppkbp3a"
alias = ["DP3A", "Dinsos P2KB", "dinsos"]

[[opd]]
id = "dpmd"
nama = "Dinas Pemberdayaan Masyarakat dan Desa"
singkatan = "Dinas PMD"
folder = "dpmd"
"""


def test_the_shipped_table_is_the_sample_citys_and_names_one_desk_per_name():
    table = load_opd_table(SHIPPED)
    assert (table.region_name, table.kind, table.perkada) == ("Kota Sukamaju", "kota", "Perwal")
    assert table.resolve(("dinkominfo", "PPID")) == ("dinkominfo",)  # PPID is Dinkominfo's desk, not another
    assert table.resolve(("dp3a", "dinsos")) == ("dp3a", "dinsos")
    assert table.resolve(("bappeda", "bakesbangpol", "dpmd")) == ("bappeda", "bakesbangpol")  # a city: no villages
    assert table.resolve(("kantor-baru",)) == ("kantor-baru",)  # responsible and unknown: still asked, by name
    assert table.folder_label("dinkes") == "Dinkes" and table.folder_label("lain") == "lain"
    assert table.wording("Perda/{perkada} {daerah} layak anak") == "Perda/Perwal kota layak anak"


def test_a_coordinators_table_replaces_the_shipped_one_and_changes_the_requests(settings, tmp_path):
    from pipeline.gaps.build import build_gaps
    from pipeline.ledger.ledger import Ledger

    (settings.home).mkdir(parents=True, exist_ok=True)
    (settings.home / "opd.toml").write_text(TABLE, encoding="utf-8")
    table = opd_table_for(settings)
    assert table.region_name == "Kabupaten Sukamakmur" and table.of_folder("kominfo").id == "dinkominfo"
    assert table.resolve(("dp3a", "dinsos")) == ("dp3a",)  # one merged desk
    gaps = build_gaps(Ledger(settings.database_url), {c: 0.5 for c in _ids()}, 2025, opds=table)
    perempuan = next(c for c in gaps.criteria if c.id == "perempuan_anak")
    assert perempuan.types["struktur"].ask == ("dp3a",)
    assert "Perda/Perbup" in perempuan.types["struktur"].need and "kabupaten layak anak" in perempuan.types[
        "struktur"].need
    assert "Perwal" not in "".join(cell.need for c in gaps.criteria for cell in c.types.values())
    requests = gaps.requests_by_opd()
    assert list(requests).count("dp3a") == 1 and "dinsos" not in requests
    other = load_settings(env={"BUKTI_OPD_FILE": str(tmp_path / "elsewhere.toml")}, home=settings.home)
    assert other.opd_table_file == tmp_path / "elsewhere.toml"


def test_each_region_of_a_province_has_its_own_table_or_its_kind_from_its_folder(settings):
    province = dataclasses.replace(settings, inbox_layout="region/opd")
    (province.region_opd_dir).mkdir(parents=True)
    (province.region_opd_dir / "kab-sukamakmur.toml").write_text(TABLE, encoding="utf-8")
    assert opd_table_for(province, "kab-sukamakmur").region_name == "Kabupaten Sukamakmur"
    guessed = opd_table_for(province, "kota-salatiga")
    assert (guessed.region_name, guessed.kind) == ("kota-salatiga", "kota")
    assert opd_table_for(province, "kab-demak").kind == "kabupaten"


@pytest.mark.parametrize("text, message", [
    ('[wilayah]\njenis = "provinsi"\n[[opd]]\nid = "a"\nnama = "A"\n', "kind must be kota or kabupaten"),
    ('[wilayah]\njenis = "kota"\n', "the table lists no OPD"),
    ('[wilayah]\njenis = "kota"\n[[opd]]\nid = "a"\n', "'nama' wajib diisi"),
    ('[wilayah]\njenis = "kota"\n[[opd]]\nid = "a"\nnama = "A"\n[[opd]]\nid = "b"\nnama = "B"\nalias = ["a"]\n',
     "sudah dipakai"),
    ('[wilayah\n', "tidak terbaca"),
])
def test_a_broken_table_names_the_file_and_what_to_fix(tmp_path, text, message):
    path = tmp_path / "opd.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OpdTableError, match=message) as caught:
        load_opd_table(path)
    assert str(path) in str(caught.value)


def _ids():
    from pipeline.criteria import IDS

    return IDS
