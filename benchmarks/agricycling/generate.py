# SPDX-License-Identifier: EUPL-1.2
"""A SYNTHETIC Agricycling season over the province of Utrecht for the benchmark:
parcels and farms placed at random around the PC4 centroids of the province
(``data/regions/nl-utrecht/pc4_centroids.csv``, ``in_province_utrecht`` true), a PC4
area drawn with probability proportional to its area (verges and farms lie mostly in
the countryside), then a uniform offset within half the side of a square of that area.

Tonnes per parcel: lognormal with median 8 t (sigma 0.6, mean about 9.6 t); capacity
per farm: uniform 80-240 t, mean 160 t, close to the Fryslan figure of 3,920 t over 25
farmers, 157 t each (research section 4, frieschdagblad.nl). Alternative cost 45
EUR/t (the model document's default). All of it fictitious.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from cirkelregio.engine.agricycling.allocation import Farm, Parcel

ROOT = Path(__file__).resolve().parents[2]
PC4 = ROOT / "data" / "regions" / "nl-utrecht" / "pc4_centroids.csv"
OWNERS = 30


def _pc4() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lat, lon, area = [], [], []
    with PC4.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["in_province_utrecht"] == "True" and row["area_km2"]:
                lat.append(float(row["lat"]))
                lon.append(float(row["lon"]))
                area.append(float(row["area_km2"]))
    return np.array(lat), np.array(lon), np.array(area)


def _points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    lat, lon, area = _pc4()
    pick = rng.choice(len(lat), size=n, p=area / area.sum())
    half = np.sqrt(area[pick]) / 2.0  # km
    dy = rng.uniform(-1, 1, n) * half
    dx = rng.uniform(-1, 1, n) * half
    out_lat = lat[pick] + dy / 111.2
    out_lon = lon[pick] + dx / (111.2 * np.cos(np.radians(lat[pick])))
    return out_lat, out_lon


def generate(
    parcels: int = 5000, farms: int = 500, seed: int = 20270701
) -> tuple[list[Parcel], list[Farm]]:
    rng = np.random.default_rng(seed)
    plat, plon = _points(rng, parcels)
    flat, flon = _points(rng, farms)
    tonnes = rng.lognormal(math.log(8.0), 0.6, parcels)
    owner = rng.integers(0, OWNERS, parcels)
    cap = rng.uniform(80.0, 240.0, farms)
    return (
        [
            Parcel(
                f"P{i:05d}",
                f"owner-{owner[i]:02d}",
                float(plat[i]),
                float(plon[i]),
                round(float(tonnes[i]), 2),
            )
            for i in range(parcels)
        ],
        [
            Farm(f"F{j:04d}", float(flat[j]), float(flon[j]), round(float(cap[j]), 1))
            for j in range(farms)
        ],
    )
