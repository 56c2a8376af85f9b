# SPDX-License-Identifier: EUPL-1.2
"""Deterministic synthetic instances of the materials exchange (docs/exchange-model.md)
in the province of Utrecht.

- Projects lie in the 26 municipalities of
  ``data/regions/nl-utrecht/municipalities.csv``, a municipality drawn with probability
  proportional to its population, the project at its centroid plus a random offset of
  up to 3 km (uniform over the disc). A project releases or asks for 1 to 4 materials
  (one supply or demand line each), all at the project's place and with its window.
- Windows: 1 to 12 whole weeks (Monday of the first week plus 0 to 4 days, until a day
  of the last week), anywhere in the horizon; the horizon starts on Monday 2027-01-04.
- 12 materials with plausible units, tonnes per unit, new price, new-product MKI and
  disposal cost (negative where the scrap has value: PVC, asphalt granulate).
- Depots in municipalities drawn the same way, capacity 500 to 6,000 t, storage 0.15 to
  0.60 EUR per tonne-week, handling 2 to 8 EUR per tonne.

``random.Random(seed)`` only, so the same seed gives the same instance everywhere.

    python benchmarks/exchange/generate.py --out DIR --supplies 500 --demands 500 \
        --depots 10 --weeks 52 [--seed 20270104]

writes materials.csv, supply.csv, demand.csv and depots.csv.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import math
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from cirkelregio.engine.optimize.exchange import (
    DEMAND_COLUMNS,
    DEPOT_COLUMNS,
    MATERIAL_COLUMNS,
    SUPPLY_COLUMNS,
    Demand,
    Depot,
    ExchangeProblem,
    Material,
    Supply,
)

ROOT = Path(__file__).resolve().parents[2]
MUNICIPALITIES = ROOT / "data" / "regions" / "nl-utrecht" / "municipalities.csv"
START = dt.date(2027, 1, 4)  # a Monday: week 0
SEED = 20270104
R_KM = 6371.0088

# name, unit, tonnes per unit, new EUR per unit, new-product MKI EUR per unit,
# disposal EUR per unit, typical quantity range (log-uniform).
MATERIALS: tuple[tuple[str, str, float, float, float, float, float, float], ...] = (
    ("gebakken klinker waalformaat", "m2", 0.135, 42.0, 3.10, 1.45, 40, 2500),
    ("gebakken klinker dikformaat", "m2", 0.160, 51.0, 3.60, 1.70, 40, 2000),
    ("betonklinker", "m2", 0.180, 21.0, 1.90, 1.80, 50, 3000),
    ("betontegel 30x30", "m2", 0.110, 13.5, 1.40, 1.15, 50, 3000),
    ("betontegel 60x60", "m2", 0.165, 24.0, 2.10, 1.75, 30, 1500),
    ("natuursteen kinderkopjes", "m2", 0.250, 85.0, 2.40, 2.60, 20, 800),
    ("trottoirband", "m", 0.095, 17.5, 1.55, 1.00, 20, 1500),
    ("opsluitband", "m", 0.050, 8.5, 0.85, 0.55, 20, 1500),
    ("riolering PVC", "m", 0.015, 34.0, 2.30, -0.20, 10, 600),
    ("riolering beton", "m", 0.420, 95.0, 6.20, 4.60, 10, 400),
    ("straatmeubilair", "st", 0.180, 640.0, 24.0, 12.0, 2, 60),
    ("asfaltgranulaat", "t", 1.000, 17.0, 3.90, -2.50, 40, 3000),
)


@dataclass(frozen=True)
class Place:
    name: str
    population: int
    lat: float
    lon: float


def municipalities() -> list[Place]:
    with MUNICIPALITIES.open(encoding="utf-8", newline="") as handle:
        return [
            Place(
                r["name"],
                int(r["population"]),
                float(r["centroid_lat"]),
                float(r["centroid_lon"]),
            )
            for r in csv.DictReader(handle)
        ]


class _Draw:
    def __init__(self, rng: random.Random, places: list[Place]) -> None:
        self.rng = rng
        self.places = places
        self.cumulative = list(accumulate(p.population for p in places))

    def place(self, radius_km: float = 3.0) -> tuple[float, float]:
        """A point within radius_km of a municipality centroid, municipality by
        population, uniform over the disc."""
        rng = self.rng
        k = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        p = self.places[min(k, len(self.places) - 1)]
        r = radius_km * math.sqrt(rng.random())
        a = rng.random() * 2 * math.pi
        dlat = math.degrees(r * math.cos(a) / R_KM)
        dlon = math.degrees(r * math.sin(a) / (R_KM * math.cos(math.radians(p.lat))))
        return round(p.lat + dlat, 6), round(p.lon + dlon, 6)

    def window(self, weeks: int) -> tuple[dt.date, dt.date]:
        rng = self.rng
        length = rng.randint(1, min(12, weeks))
        first = rng.randint(0, weeks - length)
        monday = START + dt.timedelta(days=7 * first)
        start = monday + dt.timedelta(days=rng.randint(0, 4))
        last = START + dt.timedelta(days=7 * (first + length - 1))
        until = max(start, last + dt.timedelta(days=rng.randint(0, 6)))
        return start, until

    def quantity(self, lo: float, hi: float) -> float:
        return round(math.exp(self.rng.uniform(math.log(lo), math.log(hi))), 1)


def materials() -> tuple[Material, ...]:
    return tuple(Material(*m[:6]) for m in MATERIALS)


def _lines(
    draw: _Draw, n: int, weeks: int, prefix: str
) -> list[tuple[str, str, float, float, float, dt.date, dt.date]]:
    rng = draw.rng
    out: list[tuple[str, str, float, float, float, dt.date, dt.date]] = []
    project = 0
    while len(out) < n:
        project += 1
        lat, lon = draw.place()
        start, until = draw.window(weeks)
        for m in rng.sample(MATERIALS, rng.randint(1, 4)):
            if len(out) == n:
                break
            q = draw.quantity(m[6], m[7])
            out.append(
                (
                    f"{prefix}{project:05d}-{len(out) + 1:05d}",
                    m[0],
                    q,
                    lat,
                    lon,
                    start,
                    until,
                )
            )
    return out


def generate(
    supplies: int = 500,
    demands: int = 500,
    depots: int = 10,
    weeks: int = 52,
    seed: int = SEED,
) -> ExchangeProblem:
    """One instance; the same arguments give the same instance."""
    rng = random.Random(seed)
    draw = _Draw(rng, municipalities())
    sup = tuple(Supply(*r) for r in _lines(draw, supplies, weeks, "S"))
    dem = tuple(Demand(*r) for r in _lines(draw, demands, weeks, "D"))
    dep = tuple(
        Depot(
            f"K{i + 1:03d}",
            *draw.place(),
            float(rng.randrange(500, 6001, 100)),
            round(rng.uniform(0.15, 0.60), 2),
            round(rng.uniform(2.0, 8.0), 2),
        )
        for i in range(depots)
    )
    return ExchangeProblem(materials(), sup, dem, dep)


def write(problem: ExchangeProblem, out: Path) -> dict[str, Path]:
    """The four CSV files of docs/exchange-model.md."""
    out.mkdir(parents=True, exist_ok=True)

    def put(name: str, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> Path:
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            w = csv.writer(handle, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
        return path

    def point(p: Supply | Demand) -> tuple[object, ...]:
        a, b = (
            (p.available_from, p.available_until)
            if isinstance(p, Supply)
            else (p.needed_from, p.needed_until)
        )
        return (
            p.id,
            p.material,
            p.quantity,
            p.lat,
            p.lon,
            a.isoformat(),
            b.isoformat(),
        )

    return {
        "materials": put(
            "materials.csv",
            MATERIAL_COLUMNS,
            [
                (
                    m.name,
                    m.unit,
                    m.tonnes_per_unit,
                    m.new_cost_eur,
                    m.new_mki_eur,
                    m.disposal_cost_eur,
                )
                for m in problem.materials
            ],
        ),
        "supply": put(
            "supply.csv", SUPPLY_COLUMNS, [point(s) for s in problem.supplies]
        ),
        "demand": put(
            "demand.csv", DEMAND_COLUMNS, [point(d) for d in problem.demands]
        ),
        "depots": put(
            "depots.csv",
            DEPOT_COLUMNS,
            [
                (
                    k.id,
                    k.lat,
                    k.lon,
                    k.capacity_tonnes,
                    k.storage_eur_per_tonne_week,
                    k.handling_eur_per_tonne,
                )
                for k in problem.depots
            ],
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--supplies", type=int, default=500)
    ap.add_argument("--demands", type=int, default=500)
    ap.add_argument("--depots", type=int, default=10)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()
    problem = generate(a.supplies, a.demands, a.depots, a.weeks, a.seed)
    for path in write(problem, a.out).values():
        print(path)


if __name__ == "__main__":
    main()
