# SPDX-License-Identifier: EUPL-1.2
"""Weighting sets: euros per unit of each impact indicator.

The built-in sets ``nmd-a1`` (EN 15804+A1) and ``nmd-a2`` (EN 15804+A2) are data files
beside this module, one row per indicator with its source. A factor that could not be
verified is empty in the file and absent here (NaN); a calculation that needs it stops
with an error naming the indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    boolean,
    number,
    read_csv,
    text,
)

BUILTIN_SETS = ("nmd-a1", "nmd-a2")


@dataclass(frozen=True, eq=False)
class WeightingSet:
    code: str
    indicators: tuple[str, ...]
    units: tuple[str, ...]
    factors: NDArray[np.float64]
    """Euro per unit; NaN where the factor is not verified."""
    weighted: NDArray[np.bool_]
    """False for indicators that are reported but not summed (parts of GWP-total)."""
    sources: tuple[str, ...]

    def position(self, indicator: str) -> int | None:
        try:
            return self.indicators.index(indicator)
        except ValueError:
            return None

    def effective_factors(self) -> NDArray[np.float64]:
        """The factor each indicator counts with: 0 where not weighted, NaN where the
        factor is absent."""
        return np.where(self.weighted, self.factors, 0.0)


def builtin_path(code: str) -> Path:
    return Path(
        str(resources.files("cirkelregio.engine.mki") / "weighting" / f"{code}.csv")
    )


def read_weighting_set(
    path: Path, code: str, collector: Collector
) -> WeightingSet | None:
    """Read a weighting file: ``indicator,unit,eur_per_unit`` and optionally
    ``weighted`` (yes/no) and ``source``."""
    indicators: list[str] = []
    units: list[str] = []
    factors: list[float] = []
    weighted: list[bool] = []
    sources: list[str] = []
    before = len(collector.problems)
    for row in read_csv(path, ["indicator", "unit", "eur_per_unit"], collector):
        indicator = row.get("indicator", text(60))
        if indicator in indicators:
            row.problem("indicator", f"indicator {indicator} appears twice")
            continue
        factor = row.get("eur_per_unit", number(0), required=False)
        flag = row.get("weighted", _yes_no, required=False)
        indicators.append(indicator or "")
        units.append(row.data.get("unit", "") or "")
        factors.append(np.nan if factor is None else factor)
        weighted.append(True if flag is None else flag)
        sources.append(row.data.get("source", "") or "")
    if len(collector.problems) > before:
        return None
    if not indicators:
        collector.add(Problem(path.name, "holds no indicators"))
        return None
    return WeightingSet(
        code=code,
        indicators=tuple(indicators),
        units=tuple(units),
        factors=np.asarray(factors, dtype=np.float64),
        weighted=np.asarray(weighted, dtype=np.bool_),
        sources=tuple(sources),
    )


def _yes_no(raw: str) -> bool:
    value = str(raw).strip().lower()
    if value in {"yes", "no"}:
        return value == "yes"
    return boolean(raw)


def load_weighting_set(
    method: str, collector: Collector, weights_file: Path | None = None
) -> WeightingSet | None:
    """The named built-in set, or the user's file (which then replaces it)."""
    if weights_file is not None:
        return read_weighting_set(
            Path(weights_file), Path(weights_file).stem, collector
        )
    if method not in BUILTIN_SETS:
        collector.add(
            Problem(
                "--method",
                f"unknown weighting set {method!r}; choose "
                + " or ".join(BUILTIN_SETS)
                + ", or give --weights FILE",
            )
        )
        return None
    return read_weighting_set(builtin_path(method), method, collector)
