# SPDX-License-Identifier: EUPL-1.2
"""Small builders for the exchange tests."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from cirkelregio.engine.optimize.exchange import (
    DEMAND_COLUMNS,
    DEPOT_COLUMNS,
    MATERIAL_COLUMNS,
    SUPPLY_COLUMNS,
)

R = 6371.0088
LAT0, LON0 = 52.0, 5.0
MONDAY = dt.date(2024, 1, 1)  # a Monday: week 0


def north(km: float) -> float:
    """Latitude ``km`` great-circle kilometres due north of LAT0 (same meridian, so
    the haversine distance is exactly R x delta-latitude)."""
    return LAT0 + km / (R * math.pi / 180.0)


def week(n: int) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of week n."""
    first = MONDAY + dt.timedelta(days=7 * n)
    return first, first + dt.timedelta(days=6)


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_case(
    directory: Path,
    materials: Sequence[Sequence[object]],
    supply: Sequence[Sequence[object]],
    demand: Sequence[Sequence[object]],
    depots: Sequence[Sequence[object]],
) -> dict[str, Path]:
    return {
        "materials": write_csv(
            directory / "materials.csv", MATERIAL_COLUMNS, materials
        ),
        "supply": write_csv(directory / "supply.csv", SUPPLY_COLUMNS, supply),
        "demand": write_csv(directory / "demand.csv", DEMAND_COLUMNS, demand),
        "depots": write_csv(directory / "depots.csv", DEPOT_COLUMNS, depots),
    }
