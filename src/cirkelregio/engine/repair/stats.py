# SPDX-License-Identifier: EUPL-1.2
"""Repair statistics of ORDS records, overall and per group.

Groups are formed by any combination of ``country``, ``year`` (of the event date),
``group`` (``group_identifier``) and ``category`` (the ORDS product category), like
SQL's GROUP BY: ``by=("country", "year")`` gives one group per country and year that
occurs. The overall figures are always computed, from all records.

Per group:

- ``records``; ``fixed``, ``repairable``, ``end_of_life``, ``unknown`` (repair status
  1, 2, 3 and 0);
- ``fix_rate`` = fixed / (fixed + repairable + end of life). Records with status Unknown
  are left out of both numerator and denominator, because their outcome is not known;
  the rate is None when the denominator is 0. (So it is the share fixed among the
  attempts whose outcome was recorded, not among all records.)
- ``barriers``: for the End-of-life records, how many name each repair barrier, and
  how many name none (``not recorded``);
- ``waste_prevented_kg`` and ``co2e_averted_kg``, by the Restarters method
  (:mod:`cirkelregio.engine.repair.impact`): only Fixed records count; each counts the
  average weight of its category as waste prevented and the category footprint times
  the displacement factor 0.5 as CO2e averted. A Fixed record whose category has no
  verified Restarters value counts in ``fixed_without_factor`` instead, never with a
  guessed weight.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cirkelregio.engine.repair.impact import ImpactFactors, load_impact_factors
from cirkelregio.engine.repair.ords import (
    BARRIERS,
    END_OF_LIFE,
    FIXED,
    REPAIRABLE,
    UNKNOWN,
    OrdsRecord,
)

__all__ = [
    "GROUP_KEYS",
    "NOT_RECORDED",
    "GroupStats",
    "RepairStatistics",
    "compute_statistics",
    "describe_method",
]

GroupKey = tuple[str | int, ...]

_KEY_FUNCTIONS: dict[str, Callable[[OrdsRecord], str | int]] = {
    "country": lambda r: r.country,
    "year": lambda r: r.event_date.year,
    "group": lambda r: r.group_identifier,
    "category": lambda r: r.product_category,
}
GROUP_KEYS = tuple(_KEY_FUNCTIONS)
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class GroupStats:
    key: GroupKey
    """The values of the ``by`` fields, in their order; () for the overall figures."""
    records: int
    fixed: int
    repairable: int
    end_of_life: int
    unknown: int
    fix_rate: float | None
    barriers: dict[str, int]
    """End-of-life records per barrier (all six, in code order), then ``not
    recorded``."""
    waste_prevented_kg: float
    co2e_averted_kg: float
    fixed_without_factor: int
    """Fixed records whose category has no verified weight (not in kg or CO2e)."""


@dataclass(frozen=True)
class RepairStatistics:
    by: tuple[str, ...]
    overall: GroupStats
    groups: tuple[GroupStats, ...]
    """Sorted by key; empty when ``by`` is empty."""
    displacement: float


def compute_statistics(
    records: Sequence[OrdsRecord],
    by: Iterable[str] = (),
    factors: ImpactFactors | None = None,
) -> RepairStatistics:
    by = tuple(by)
    unknown_keys = [b for b in by if b not in _KEY_FUNCTIONS]
    if unknown_keys or len(set(by)) != len(by):
        raise ValueError(
            f"by must be distinct fields of {', '.join(GROUP_KEYS)} (got {by})"
        )
    factors = factors or load_impact_factors()
    functions = [_KEY_FUNCTIONS[b] for b in by]
    # One pass: count (group key, status, category, barrier) combinations.
    cells: Counter[tuple[GroupKey, int, int, int | None]] = Counter(
        (
            tuple(f(r) for f in functions),
            r.repair_status,
            r.product_category_id,
            r.repair_barrier,
        )
        for r in records
    )
    per_group: dict[GroupKey, Counter[tuple[int, int, int | None]]] = {}
    overall: Counter[tuple[int, int, int | None]] = Counter()
    for (key, status, category, barrier), n in cells.items():
        per_group.setdefault(key, Counter())[(status, category, barrier)] += n
        overall[(status, category, barrier)] += n
    groups = (
        tuple(_stats(k, per_group[k], factors) for k in sorted(per_group)) if by else ()
    )
    return RepairStatistics(
        by, _stats((), overall, factors), groups, factors.displacement
    )


def _stats(
    key: GroupKey, cells: Counter[tuple[int, int, int | None]], factors: ImpactFactors
) -> GroupStats:
    status: Counter[int] = Counter()
    fixed_by_category: Counter[int] = Counter()
    barriers: Counter[int | None] = Counter()
    for (s, category, barrier), n in cells.items():
        status[s] += n
        if s == FIXED:
            fixed_by_category[category] += n
        elif s == END_OF_LIFE:
            barriers[barrier] += n
    waste = co2e = 0.0
    without = 0
    for category in sorted(fixed_by_category):
        n = fixed_by_category[category]
        weight = factors.weight(category)
        per_item = factors.co2e_per_fixed_item(category)
        if weight is None or per_item is None:
            without += n
            continue
        waste += n * weight
        co2e += n * per_item
    outcome = status[FIXED] + status[REPAIRABLE] + status[END_OF_LIFE]
    return GroupStats(
        key=key,
        records=sum(status.values()),
        fixed=status[FIXED],
        repairable=status[REPAIRABLE],
        end_of_life=status[END_OF_LIFE],
        unknown=status[UNKNOWN],
        fix_rate=status[FIXED] / outcome if outcome else None,
        barriers={
            **{name: barriers[code] for code, name in BARRIERS.items()},
            NOT_RECORDED: barriers[None],
        },
        waste_prevented_kg=waste,
        co2e_averted_kg=co2e,
        fixed_without_factor=without,
    )


def describe_method(factors: ImpactFactors) -> dict[str, Any]:
    """The method in words and numbers, for outputs."""
    return {
        "fix_rate": "fixed / (fixed + repairable + end_of_life); unknown excluded",
        "waste_prevented_kg": "sum over Fixed records of the Restarters category "
        "weight (kg)",
        "co2e_averted_kg": "sum over Fixed records of the Restarters category "
        f"footprint (kg CO2e) x displacement {factors.displacement}",
        "displacement": factors.displacement,
        "source": "TheRestartProject/restarters.net, categories revision 2 "
        "(migration 2021_08_13_000439_update_lca_unpowered_categories.php)",
        "categories_without_weight": [
            f.ords_category
            for f in factors.by_ords_id.values()
            if f.weight_kg is None or f.footprint_kg_co2e is None
        ],
    }
