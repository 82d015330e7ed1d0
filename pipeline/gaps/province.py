"""The province summary: every region's gap list side by side (regions x criteria), regions at risk first.

What "at risk" means here, from how the assessment scores: each criterion is scored on struktur, proses and
hasil, so a criterion with no evidence that counts (`missing`, or only `weak` evidence a reviewer has not
confirmed) scores nothing, and one covered by a single evidence type scores a third at most. Those criteria are
*critical*. A region is at risk when it has any critical criterion; regions are ordered by the number of
critical criteria, then by the number of uncovered criterion x type cells (what is still to collect), then by
name. Counting cells second means a region with two types everywhere ranks below one with one type everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.criteria import TYPES, Criterion
from pipeline.gaps.build import STATUS_ID, build_gaps
from pipeline.gaps.records import CriterionGaps, GapList
from pipeline.i18n import CRITERION_STATUSES
from pipeline.ledger.ledger import Ledger
from pipeline.opd import OpdTable, shipped_for_region

NO_REGION_NAME = "(satu wilayah / single region)"  # how the region "" of a single-region inbox is shown


def covered_types(c: CriterionGaps) -> int:
    return sum(1 for cell in c.types.values() if cell.status == "covered")


def is_critical(c: CriterionGaps) -> bool:
    """No evidence that counts, or one evidence type only: the assessment scores it a third at most."""
    return covered_types(c) <= 1


@dataclass(frozen=True)
class RegionRisk:
    critical: int  # criteria missing, weak, or covered by one evidence type only
    uncovered_cells: int  # criterion x type cells not covered

    @property
    def at_risk(self) -> bool:
        return self.critical > 0


def region_risk(gaps: GapList) -> RegionRisk:
    return RegionRisk(critical=sum(1 for c in gaps.criteria if is_critical(c)),
                      uncovered_cells=sum(len(TYPES) - covered_types(c) for c in gaps.criteria))


def region_label(region: str) -> str:
    return region or NO_REGION_NAME


@dataclass(frozen=True)
class Province:
    """Every region's gap list for one assessment year, regions at risk first (see the module's docstring)."""
    assessment_year: int
    regions: tuple[GapList, ...]

    @classmethod
    def of(cls, assessment_year: int, gap_lists: list[GapList]) -> Province:
        def order(gaps: GapList) -> tuple:
            risk = region_risk(gaps)
            return (-risk.critical, -risk.uncovered_cells, gaps.region)
        return cls(assessment_year, tuple(sorted(gap_lists, key=order)))

    def as_json(self) -> dict[str, Any]:
        """`bukti province --format json`: criterion statuses as the gap list gives them."""
        return {"assessment_year": self.assessment_year,
                "regions": [{"region": g.region, "criteria": [{"id": c.id, "status": c.status} for c in g.criteria]}
                            for g in self.regions]}

    def criteria(self) -> list[tuple[str, str, str]]:
        """(id, name, name_en) of the criteria, in the gap lists' order."""
        first = self.regions[0].criteria if self.regions else ()
        return [(c.id, c.name, c.name_en) for c in first]

    def region(self, name: str) -> GapList:
        for g in self.regions:
            if g.region == name:
                return g
        raise KeyError(name)


def build_province(ledger: Ledger, thresholds: dict[str, float], assessment_year: int,
                   criteria: tuple[Criterion, ...] | None = None,
                   opds_of: Callable[[str], OpdTable] | None = None) -> Province:
    """One gap list per region in the ledger (a content filed in two regions counts in each), each with its
    region's OPD table (`opds_of(region)`; None: the shipped table, named and kinded after the region)."""
    opds_of = opds_of or shipped_for_region
    return Province.of(assessment_year, [build_gaps(ledger, thresholds, assessment_year, criteria, region=r,
                                                    opds=opds_of(r)) for r in ledger.regions()])


def province_table_rows(province: Province) -> list[dict]:
    """Flat rows for a Prefect table artifact: one per region, at risk first, a column per criterion."""
    rows = []
    for g in province.regions:
        risk = region_risk(g)
        rows.append({"wilayah": region_label(g.region), "berisiko": "ya" if risk.at_risk else "tidak",
                     "kritis": risk.critical, **{c.id: STATUS_ID[c.status] for c in g.criteria}})
    return rows


def province_markdown(province: Province) -> str:
    """The province summary as Markdown (a Prefect artifact): regions x criteria, at risk first."""
    ids = [cid for cid, _, _ in province.criteria()]
    lines = [f"# Ringkasan provinsi KKP HAM — tahun penilaian {province.assessment_year}", "",
             f"{len(province.regions)} wilayah, {sum(region_risk(g).at_risk for g in province.regions)} berisiko "
             "(kriteria tanpa bukti atau hanya satu jenis bukti) / regions, at risk (criteria with no evidence "
             "or one evidence type only)", "",
             "| wilayah | kritis | " + " | ".join(ids) + " | " + " | ".join(STATUS_ID[s] for s in CRITERION_STATUSES)
             + " |", "|---|---|" + "---|" * (len(ids) + len(CRITERION_STATUSES))]
    for g in province.regions:
        cells = [STATUS_ID[c.status] for c in g.criteria]
        counts = [str(g.summary[s]) for s in CRITERION_STATUSES]
        lines.append(f"| {_md(region_label(g.region))} | {region_risk(g).critical} | " + " | ".join(cells) + " | "
                     + " | ".join(counts) + " |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    # A region's name is a folder name: keep it from breaking the table.
    return text.replace("|", "\\|").replace("\n", " ")
