# SPDX-License-Identifier: EUPL-1.2
"""Weights and carbon footprints per product category, after the Restarters method.

The Restart Project's Fixometer (``TheRestartProject/restarters.net``) counts, for
every *Fixed* item, the average weight of its category as waste prevented (kg) and the
category's footprint times a displacement factor as CO2e averted (kg): a repair is
assumed to displace half a new purchase (``DISPLACEMENT_VALUE = 0.5``).

The numbers are data files beside this module, each row with its source (repository,
file, commit), checked against the repository itself:

- ``data/restarters_categories.csv``: weight (kg) and footprint (kg CO2e) of the
  Restarters categories, revision 2 (migration ``2021_08_13_000439``). Only rows whose
  ``verified`` column is ``yes`` and whose weight is above 0 are used;
- ``data/ords_restarters_map.csv``: for each of the 40 ORDS product categories the
  Restarters category whose values it takes, or none, with a note wherever the match
  is not one-to-one;
- ``data/restarters_constants.csv``: the displacement factor (and the emission ratios,
  which Restarters applies only to items with an estimated weight; ORDS records no
  weight, so they are not used).

An ORDS category without a verified value counts in the records but not in kg or CO2e.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    choice,
    integer,
    number,
    read_csv,
    text,
)
from cirkelregio.engine.repair.ords import ORDS_PRODUCT_CATEGORIES

__all__ = [
    "CategoryFactor",
    "ImpactFactors",
    "data_path",
    "load_impact_factors",
    "read_impact_factors",
]

MATCHES = ("one-to-one", "chosen", "none")


@dataclass(frozen=True)
class CategoryFactor:
    """What one ORDS category counts with."""

    ords_id: int
    ords_category: str
    restarters_id: int | None
    restarters_name: str | None
    weight_kg: float | None
    """None: no verified weight; the category counts in records only."""
    footprint_kg_co2e: float | None
    match: str
    note: str


@dataclass(frozen=True)
class ImpactFactors:
    displacement: float
    by_ords_id: Mapping[int, CategoryFactor]

    def weight(self, ords_id: int) -> float | None:
        return self.by_ords_id[ords_id].weight_kg

    def co2e_per_fixed_item(self, ords_id: int) -> float | None:
        footprint = self.by_ords_id[ords_id].footprint_kg_co2e
        return None if footprint is None else footprint * self.displacement


def data_path(name: str) -> Path:
    return Path(str(resources.files("cirkelregio.engine.repair") / "data" / name))


@dataclass(frozen=True)
class _Restarters:
    name: str
    weight_kg: float | None
    footprint_kg_co2e: float | None


def _read_restarters(path: Path, c: Collector) -> dict[int, _Restarters]:
    out: dict[int, _Restarters] = {}
    columns = ["restarters_id", "name", "weight_kg", "footprint_kg_co2e", "verified"]
    for row in read_csv(path, columns, c):
        ident = row.get("restarters_id", integer(1))
        name = row.get("name", text(200))
        weight = row.get("weight_kg", number(0))
        footprint = row.get("footprint_kg_co2e", number(0))
        verified = (row.data.get("verified") or "").strip()
        if ident is None or name is None:
            continue
        if ident in out:
            row.problem("restarters_id", f"id {ident} appears twice")
            continue
        usable = verified == "yes" and bool(weight) and footprint is not None
        out[ident] = _Restarters(
            name, weight if usable else None, footprint if usable else None
        )
    return out


def read_impact_factors(
    categories: Path, mapping: Path, constants: Path, collector: Collector
) -> ImpactFactors | None:
    before = len(collector.problems)
    restarters = _read_restarters(categories, collector)
    displacement: float | None = None
    for row in read_csv(constants, ["name", "value"], collector):
        if row.data.get("name") == "DISPLACEMENT_VALUE":
            displacement = row.get("value", number(0, 1))
    if displacement is None and len(collector.problems) == before:
        collector.add(Problem(constants.name, "has no DISPLACEMENT_VALUE row"))
    factors: dict[int, CategoryFactor] = {}
    columns = ["ords_id", "ords_category", "restarters_id", "match", "note"]
    for row in read_csv(mapping, columns, collector):
        ords_id = row.get("ords_id", integer(1, 40))
        name = row.get("ords_category", text(100))
        rid = row.get("restarters_id", integer(1), required=False)
        match = row.get("match", choice(MATCHES))
        note = (row.data.get("note") or "").strip()
        if ords_id is None or name is None or match is None:
            continue
        if name != ORDS_PRODUCT_CATEGORIES[ords_id]:
            row.problem(
                "ords_category",
                f"ORDS category {ords_id} is {ORDS_PRODUCT_CATEGORIES[ords_id]!r}",
            )
            continue
        if ords_id in factors:
            row.problem("ords_id", f"ORDS category {ords_id} appears twice")
            continue
        if (rid is None) != (match == "none"):
            row.problem("match", "is 'none' exactly when restarters_id is empty")
            continue
        if match != "one-to-one" and not note:
            row.problem("note", "a note is required when the match is not one-to-one")
            continue
        target = None if rid is None else restarters.get(rid)
        if rid is not None and target is None:
            row.problem("restarters_id", f"no Restarters category {rid}")
            continue
        factors[ords_id] = CategoryFactor(
            ords_id,
            name,
            rid,
            None if target is None else target.name,
            None if target is None else target.weight_kg,
            None if target is None else target.footprint_kg_co2e,
            match,
            note,
        )
    missing = sorted(set(ORDS_PRODUCT_CATEGORIES) - set(factors))
    if missing and len(collector.problems) == before:
        collector.add(
            Problem(
                mapping.name,
                "no row for ORDS categories " + ", ".join(map(str, missing)),
            )
        )
    if len(collector.problems) != before or displacement is None:
        return None
    return ImpactFactors(displacement, factors)


@cache
def load_impact_factors() -> ImpactFactors:
    """The factors shipped with the package (raises DataLoadError if they are bad)."""
    c = Collector()
    factors = read_impact_factors(
        data_path("restarters_categories.csv"),
        data_path("ords_restarters_map.csv"),
        data_path("restarters_constants.csv"),
        c,
    )
    c.raise_if_any()
    assert factors is not None
    return factors
