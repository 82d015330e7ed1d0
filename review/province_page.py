"""The province page for an assessor: a row per region with how far it is (criterion x type cells covered, in
per cent), when it last received a file, and each criterion's completeness, so that two regions with the same
number of critical criteria still look different."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.criteria import TYPES
from pipeline.gaps.province import Province, covered_types, region_label, region_risk


def covered_share(gaps) -> int:
    """Per cent of the criterion x type cells covered (30 cells: ten criteria, three types)."""
    cells = len(gaps.criteria) * len(TYPES)
    return round(100 * sum(covered_types(c) for c in gaps.criteria) / cells) if cells else 0


def province_rows(province: Province, last_upload: dict[str, str], base: Callable[[str], str]) -> list[dict]:
    return [{"region": g.region, "label": g.opds.region_name or region_label(g.region), "kind": g.opds.kind,
             "risk": region_risk(g), "gaps": g, "percent": covered_share(g),
             "covered": sum(covered_types(c) for c in g.criteria), "cells": len(g.criteria) * len(TYPES),
             "last_upload": last_upload.get(g.region, ""), "href": base(g.region) + "/"}
            for g in province.regions]
