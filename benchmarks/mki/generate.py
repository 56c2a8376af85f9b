# SPDX-License-Identifier: EUPL-1.2
"""Deterministic synthetic MKI portfolios for the benchmarks.

Everything here is invented test data (not NMD data), with magnitudes of the right
order for Dutch GWW work:

- a profile library of EN 15804+A2 profiles, 19 indicators x 17 modules each (every
  module of the engine but the aggregate ``A1-A3``), module D negative (benefits),
  about 10 % data category 3 (which gets the 30 % uplift);
- projects of bill lines with quantities from 1 to 5,000 (log-uniform), service
  lives of 10 to 100 years or empty (about 30 %), popular profiles used more often;
- a weighting file that gives a factor for all 19 indicators: the 13 factors of the
  shipped nmd-a2 set, and for the 6 indicators it leaves without a verified factor
  (PM, IRP, ETP-fw, HTP-c, HTP-nc, SQP) invented values of a plausible order, marked
  as such in their source column. They are for timing only, not real factors.

Pure Python (``random.Random(seed)``), so that the plain peer can use the same data
without numpy; ``as_arrays`` turns a portfolio into numpy arrays for the engine.

Run as a script to write the CSV files::

    python benchmarks/mki/generate.py --out OUT_DIR --projects 1 --lines 500
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The indicator codes of docs/mki-method.md (nmd-a2), in that order.
A2_INDICATORS: tuple[str, ...] = (
    "GWP-total", "GWP-fossil", "GWP-biogenic", "GWP-luluc", "ODP", "AP",
    "EP-freshwater", "EP-marine", "EP-terrestrial", "POCP", "PM", "IRP",
    "ADP-minerals-metals", "ADP-fossil", "WDP", "ETP-fw", "HTP-c", "HTP-nc", "SQP",
)  # fmt: skip

# All modules of docs/mki-method.md but the aggregate A1-A3: 17 modules.
MODULES_17: tuple[str, ...] = (
    "A1", "A2", "A3", "A4", "A5",
    "B1", "B2", "B3", "B4", "B5", "B6", "B7",
    "C1", "C2", "C3", "C4",
    "D",
)  # fmt: skip

# indicator: (unit, euro per unit, weighted, source)
WEIGHTS: dict[str, tuple[str, float, bool, str]] = {
    "GWP-total": ("kg CO2 eq", 0.116, True, "nmd-a2"),
    "GWP-fossil": ("kg CO2 eq", 0.116, False, "nmd-a2 (part of GWP-total)"),
    "GWP-biogenic": ("kg CO2 eq", 0.116, False, "nmd-a2 (part of GWP-total)"),
    "GWP-luluc": ("kg CO2 eq", 0.116, False, "nmd-a2 (part of GWP-total)"),
    "ODP": ("kg CFC-11 eq", 32.0, True, "nmd-a2"),
    "AP": ("mol H+ eq", 0.39, True, "nmd-a2"),
    "EP-freshwater": ("kg P eq", 1.96, True, "nmd-a2"),
    "EP-marine": ("kg N eq", 3.28, True, "nmd-a2"),
    "EP-terrestrial": ("mol N eq", 0.36, True, "nmd-a2"),
    "POCP": ("kg NMVOC eq", 1.22, True, "nmd-a2"),
    "PM": ("disease incidence", 6.0e4, True, "SYNTHETIC benchmark value, not real"),
    "IRP": ("kBq U235 eq", 0.05, True, "SYNTHETIC benchmark value, not real"),
    "ADP-minerals-metals": ("kg Sb eq", 0.30, True, "nmd-a2"),
    "ADP-fossil": ("MJ (net calorific value)", 0.00033, True, "nmd-a2"),
    "WDP": ("m3 world eq deprived", 0.00506, True, "nmd-a2"),
    "ETP-fw": ("CTUe", 1.0e-4, True, "SYNTHETIC benchmark value, not real"),
    "HTP-c": ("CTUh", 1.0e6, True, "SYNTHETIC benchmark value, not real"),
    "HTP-nc": ("CTUh", 1.0e5, True, "SYNTHETIC benchmark value, not real"),
    "SQP": ("Pt (dimensionless)", 1.0e-4, True, "SYNTHETIC benchmark value, not real"),
}

# Cradle-to-gate impact of a typical tonne of road-building material, per indicator.
_BASE: dict[str, float] = {
    "GWP-fossil": 95.0,
    "GWP-biogenic": 3.0,
    "GWP-luluc": 2.0,
    "ODP": 5e-6,
    "AP": 0.4,
    "EP-freshwater": 4e-3,
    "EP-marine": 0.08,
    "EP-terrestrial": 0.9,
    "POCP": 0.3,
    "PM": 5e-6,
    "IRP": 3.0,
    "ADP-minerals-metals": 2e-4,
    "ADP-fossil": 1200.0,
    "WDP": 8.0,
    "ETP-fw": 600.0,
    "HTP-c": 2e-8,
    "HTP-nc": 5e-7,
    "SQP": 300.0,
}
# Share of the cradle-to-gate impact that each module carries (D: a benefit).
_SHARE: dict[str, float] = {
    "A1": 0.60, "A2": 0.05, "A3": 0.25, "A4": 0.06, "A5": 0.03,
    "B1": 0.002, "B2": 0.01, "B3": 0.004, "B4": 0.003, "B5": 0.003,
    "B6": 0.002, "B7": 0.001,
    "C1": 0.01, "C2": 0.02, "C3": 0.04, "C4": 0.02,
    "D": -0.20,
}  # fmt: skip
# Functional unit and its size relative to a tonne.
_UNITS: tuple[tuple[str, float], ...] = (
    ("t", 1.0),
    ("m2", 0.12),
    ("m3", 2.4),
    ("m", 0.25),
    ("piece", 0.05),
)
_MATERIALS = (
    "Asfalt AC surf", "Asfalt AC bin", "ZOAB", "Betonband", "Betonklinker",
    "Betontegel", "Granulaat menggranulaat", "Zand ophoogzand", "Kolk beton",
    "Riool PVC", "Riool beton", "Vangrail staal", "Lichtmast staal",
    "Bermpaal kunststof", "Damwand staal", "Geotextiel", "Betonmortel C30/37",
    "Wapeningsstaal", "Hout FSC", "Natuursteen",
)  # fmt: skip
_ELEMENTS = (
    "Deklaag", "Tussenlaag", "Onderlaag", "Fundering", "Zandbed", "Opsluiting",
    "Verharding voetpad", "Riolering", "Kolken", "Verlichting", "Bebording",
    "Geleiderail", "Kunstwerk", "Groen",
)  # fmt: skip
_CATEGORIES = (("1", 0.45), ("2", 0.35), ("3", 0.10), ("3a", 0.10))


@dataclass(frozen=True)
class Profile:
    profile_id: str
    name: str
    unit: str
    data_category: str
    values: list[list[float]]
    """values[module][indicator] on the axes MODULES_17 x A2_INDICATORS."""


@dataclass(frozen=True)
class Portfolio:
    seed: int
    projects: int
    indicators: tuple[str, ...]
    modules: tuple[str, ...]
    profiles: list[Profile]
    line_project: list[int]
    line_id: list[str]
    element: list[str]
    line_profile: list[int]
    """Index into ``profiles``."""
    quantity: list[float]
    service_life: list[float | None]
    """None: the product lasts the whole reference period."""

    @property
    def lines(self) -> int:
        return len(self.line_id)


def _profile(rng: random.Random, k: int) -> Profile:
    unit, size = rng.choice(_UNITS)
    r = rng.random()
    category = _CATEGORIES[-1][0]
    for code, share in _CATEGORIES:
        if r < share:
            category = code
            break
        r -= share
    scale = size * rng.lognormvariate(0.0, 0.8)
    # A product's character: some indicators matter more for it than for others.
    character = {ind: rng.lognormvariate(0.0, 0.6) for ind in _BASE}
    values: list[list[float]] = []
    for module in MODULES_17:
        share = _SHARE[module]
        row: dict[str, float] = {}
        for ind in _BASE:
            v = share * _BASE[ind] * scale * character[ind] * rng.lognormvariate(0, 0.3)
            if module == "D" and rng.random() < 0.1:
                v = -0.1 * v  # now and then a small burden in D instead of a benefit
            row[ind] = v
        row["GWP-total"] = row["GWP-fossil"] + row["GWP-biogenic"] + row["GWP-luluc"]
        values.append([row[ind] for ind in A2_INDICATORS])
    material = _MATERIALS[k % len(_MATERIALS)]
    return Profile(
        profile_id=f"P{k + 1:05d}",
        name=f"{material} variant {k // len(_MATERIALS) + 1} (synthetic)",
        unit=unit,
        data_category=category,
        values=values,
    )


def generate(
    seed: int = 20260101, projects: int = 1000, lines: int = 200, profiles: int = 1000
) -> Portfolio:
    """A portfolio of ``projects`` projects of ``lines`` bill lines each, on a library
    of ``profiles`` profiles. The same arguments give the same portfolio."""
    rng = random.Random(seed)
    library = [_profile(rng, k) for k in range(profiles)]
    # Popular profiles (asphalt, kerbs, sand) are used far more often than others.
    popularity = [1.0 / (rank + 1) ** 0.7 for rank in range(profiles)]
    cumulative = []
    total = 0.0
    for p in popularity:
        total += p
        cumulative.append(total)
    line_project: list[int] = []
    line_id: list[str] = []
    element: list[str] = []
    line_profile: list[int] = []
    quantity: list[float] = []
    service_life: list[float | None] = []
    log_max = math.log(5000.0)
    for project in range(projects):
        chosen = rng.choices(range(profiles), cum_weights=cumulative, k=lines)
        for k in range(lines):
            line_project.append(project)
            line_id.append(f"L{k + 1:04d}")
            element.append(rng.choice(_ELEMENTS))
            line_profile.append(chosen[k])
            quantity.append(round(math.exp(rng.uniform(0.0, log_max)), 2))
            service_life.append(None if rng.random() < 0.3 else rng.randint(10, 100))
    return Portfolio(
        seed=seed,
        projects=projects,
        indicators=A2_INDICATORS,
        modules=MODULES_17,
        profiles=library,
        line_project=line_project,
        line_id=line_id,
        element=element,
        line_profile=line_profile,
        quantity=quantity,
        service_life=[None if v is None else float(v) for v in service_life],
    )


def as_arrays(portfolio: Portfolio) -> dict[str, Any]:
    """numpy arrays of a portfolio: ``values`` (profiles, 17 modules, 19 indicators),
    ``uplift`` per profile, the ``effective`` weight per indicator (0 where not
    weighted), and per line ``project``, ``profile``, ``quantity``,
    ``service_life`` (NaN where empty)."""
    import numpy as np

    return {
        "values": np.asarray([p.values for p in portfolio.profiles], dtype=np.float64),
        "uplift": np.asarray(
            [1.3 if p.data_category == "3" else 1.0 for p in portfolio.profiles]
        ),
        "effective": np.asarray(
            [WEIGHTS[i][1] if WEIGHTS[i][2] else 0.0 for i in portfolio.indicators]
        ),
        "project": np.asarray(portfolio.line_project, dtype=np.intp),
        "profile": np.asarray(portfolio.line_profile, dtype=np.intp),
        "quantity": np.asarray(portfolio.quantity, dtype=np.float64),
        "service_life": np.asarray(
            [math.nan if v is None else v for v in portfolio.service_life],
            dtype=np.float64,
        ),
    }


def _num(value: float) -> str:
    """Shortest text that reads back as exactly the same float."""
    return repr(float(value))


def write_weights(path: Path, indicators: tuple[str, ...] = A2_INDICATORS) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["indicator", "unit", "eur_per_unit", "weighted", "source"])
        for ind in indicators:
            unit, factor, weighted, source = WEIGHTS[ind]
            w.writerow([ind, unit, _num(factor), "yes" if weighted else "no", source])


def write_profiles(path: Path, portfolio: Portfolio, used_only: bool = False) -> int:
    """Write the library, or with ``used_only`` only the profiles that the bill lines
    use; returns the number of profiles written."""
    used = set(portfolio.line_profile) if used_only else None
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(
            [
                "profile_id",
                "name",
                "unit",
                "data_category",
                "module",
                "indicator",
                "value",
            ]
        )
        for k, p in enumerate(portfolio.profiles):
            if used is not None and k not in used:
                continue
            count += 1
            head = [p.profile_id, p.name, p.unit, p.data_category]
            for m, module in enumerate(portfolio.modules):
                for i, ind in enumerate(portfolio.indicators):
                    w.writerow([*head, module, ind, _num(p.values[m][i])])
    return count


def write_bill(path: Path, portfolio: Portfolio, project: int = 0) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(
            ["line_id", "element", "profile_id", "quantity", "service_life_years"]
        )
        for k in range(portfolio.lines):
            if portfolio.line_project[k] != project:
                continue
            life = portfolio.service_life[k]
            w.writerow(
                [
                    portfolio.line_id[k],
                    portfolio.element[k],
                    portfolio.profiles[portfolio.line_profile[k]].profile_id,
                    _num(portfolio.quantity[k]),
                    "" if life is None else _num(life),
                ]
            )


def write_csv(portfolio: Portfolio, directory: Path) -> dict[str, Path]:
    """weights.csv, profiles.csv, and one bill per project (bill.csv for a single
    project, bill-0001.csv ... otherwise)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "weights": directory / "weights.csv",
        "profiles": directory / "profiles.csv",
    }
    write_weights(paths["weights"], portfolio.indicators)
    write_profiles(paths["profiles"], portfolio)
    for project in range(portfolio.projects):
        name = "bill" if portfolio.projects == 1 else f"bill-{project + 1:04d}"
        paths[name] = directory / f"{name}.csv"
        write_bill(paths[name], portfolio, project)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--projects", type=int, default=1)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--profiles", type=int, default=1000)
    args = parser.parse_args()
    portfolio = generate(args.seed, args.projects, args.lines, args.profiles)
    for name, path in write_csv(portfolio, args.out).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
