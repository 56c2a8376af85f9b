# SPDX-License-Identifier: EUPL-1.2
"""Variants side by side: each breakdown per variant and its difference to the first
(the reference variant)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cirkelregio.engine.mki.calculate import Result


@dataclass(frozen=True)
class Comparison:
    variants: list[str]
    totals: dict[str, float]
    differences: dict[str, float]
    """Total of each variant minus the total of the reference (first) variant."""
    by_element: dict[str, dict[str, float]]
    by_module: dict[str, dict[str, float]]
    by_indicator: dict[str, dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.variants[0],
            "variants": self.variants,
            "total_eur": self.totals,
            "difference_eur": self.differences,
            "by_element": self.by_element,
            "by_module": self.by_module,
            "by_indicator": self.by_indicator,
        }


def _side_by_side(
    results: dict[str, Result], attribute: str
) -> dict[str, dict[str, float]]:
    keys: list[str] = []
    for result in results.values():
        for key in getattr(result, attribute):
            if key not in keys:
                keys.append(key)
    return {
        key: {name: getattr(r, attribute).get(key, 0.0) for name, r in results.items()}
        for key in keys
    }


def compare(results: dict[str, Result]) -> Comparison:
    if not results:
        raise ValueError("nothing to compare")
    names = list(results)
    reference = results[names[0]].total_eur
    return Comparison(
        variants=names,
        totals={n: r.total_eur for n, r in results.items()},
        differences={n: r.total_eur - reference for n, r in results.items()},
        by_element=_side_by_side(results, "by_element"),
        by_module=_side_by_side(results, "by_module"),
        by_indicator=_side_by_side(results, "by_indicator"),
    )
