# SPDX-License-Identifier: EUPL-1.2
"""A plain Python MKI: dicts and loops, no numpy, written from docs/mki-method.md only.

The peer the engine is measured against, and a second opinion on its numbers. For
each bill line l with profile p::

    n_l   = 1 if the service life is empty or L_l >= R
            else ceil(R / L_l) (rule ceil) or R / L_l (rule fractional)
    u_p   = 1.3 if the data category of p is "3" else 1.0
    MKI_l = n_l * q_l * u_p * sum over modules m in scope and indicators i
            of v[p,m,i] * w[i]

Indicators a weighting file marks ``weighted`` = no count with 0 (parts of
GWP-total). Modules in scope: those in the profile, without D when D is excluded.

Two ways to run the line loop, both per line:

- ``portfolio_totals(..., memo=False)``: the formula as written, the whole double sum
  for every line;
- ``portfolio_totals(..., memo=True)``: the double sum once per profile, kept in a
  dict, then a product per line (what a careful hand-written implementation does).

As a command line, on the files of ``cirkelregio mki calculate``::

    python benchmarks/mki/plain.py --profiles P.csv --bill B.csv --weights W.csv \
        --output OUT.json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

UPLIFT_CATEGORY_3 = 1.3
KNOWN_MODULES = {
    "A1-A3", "A1", "A2", "A3", "A4", "A5",
    "B1", "B2", "B3", "B4", "B5", "B6", "B7",
    "C1", "C2", "C3", "C4", "D",
}  # fmt: skip


class InputError(ValueError):
    pass


class PlainProfile:
    __slots__ = ("category", "name", "unit", "values")

    def __init__(self, name: str, unit: str, category: str) -> None:
        self.name = name
        self.unit = unit
        self.category = category
        self.values: dict[str, dict[str, float]] = {}
        """values[module][indicator]"""

    @property
    def uplift(self) -> float:
        return UPLIFT_CATEGORY_3 if self.category == "3" else 1.0


# --------------------------------------------------------------------------- arithmetic


def placements(life: float | None, reference_period: float, rule: str) -> float:
    if life is None or life >= reference_period:
        return 1.0
    if rule == "ceil":
        return float(math.ceil(reference_period / life))
    return reference_period / life


def profile_sum(
    profile: PlainProfile, weights: dict[str, float], include_d: bool
) -> float:
    """Euros per functional unit: sum over modules in scope and indicators."""
    total = 0.0
    for module, row in profile.values.items():
        if module == "D" and not include_d:
            continue
        for indicator, value in row.items():
            total += value * weights[indicator]
    return total


def portfolio_totals(
    profiles: dict[str, PlainProfile],
    weights: dict[str, float],
    lines: list[tuple[int, str, float, float | None]],
    n_projects: int,
    reference_period: float = 50.0,
    rule: str = "ceil",
    include_d: bool = True,
    memo: bool = True,
) -> list[float]:
    """Total MKI per project; ``lines`` are (project, profile id, quantity, life)."""
    totals = [0.0] * n_projects
    cache: dict[str, float] = {}
    for project, pid, quantity, life in lines:
        profile = profiles[pid]
        if memo:
            per_unit = cache.get(pid)
            if per_unit is None:
                per_unit = cache[pid] = profile_sum(profile, weights, include_d)
        else:
            per_unit = profile_sum(profile, weights, include_d)
        n = placements(life, reference_period, rule)
        totals[project] += n * quantity * profile.uplift * per_unit
    return totals


def bill_result(
    profiles: dict[str, PlainProfile],
    weights: dict[str, float],
    bill: list[dict[str, Any]],
    reference_period: float = 50.0,
    rule: str = "ceil",
    include_d: bool = True,
) -> dict[str, Any]:
    """The MKI of one bill with breakdowns by line, element, module and indicator."""
    by_line = []
    by_element: dict[str, float] = {}
    by_module: dict[str, float] = {}
    by_indicator: dict[str, float] = dict.fromkeys(weights, 0.0)
    total = 0.0
    for line in bill:
        profile = profiles[line["profile_id"]]
        n = placements(line["life"], reference_period, rule)
        factor = n * line["quantity"] * profile.uplift
        line_sum = 0.0
        for module, row in profile.values.items():
            if module == "D" and not include_d:
                continue
            module_sum = 0.0
            for indicator, value in row.items():
                eur = value * weights[indicator]
                module_sum += eur
                by_indicator[indicator] += factor * eur
            by_module[module] = by_module.get(module, 0.0) + factor * module_sum
            line_sum += module_sum
        mki = factor * line_sum
        total += mki
        by_element[line["element"]] = by_element.get(line["element"], 0.0) + mki
        by_line.append(
            {
                "line_id": line["line_id"],
                "element": line["element"],
                "profile_id": line["profile_id"],
                "quantity": line["quantity"],
                "placements": n,
                "uplift": profile.uplift,
                "mki_eur": mki,
            }
        )
    return {
        "reference_period": reference_period,
        "replacement_rule": rule,
        "include_module_d": include_d,
        "total_eur": total,
        "by_line": by_line,
        "by_element": by_element,
        "by_module": by_module,
        "by_indicator": by_indicator,
    }


# --------------------------------------------------------------------------- files


def _number(raw: str, where: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{where}: not a number: {raw!r}") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: not a finite number: {raw!r}")
    return value


def read_weights(path: Path) -> dict[str, float]:
    """Effective euro per unit per indicator: 0 where ``weighted`` is no."""
    weights: dict[str, float] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name} line {n}"
            raw = (row.get("eur_per_unit") or "").strip()
            flag = (row.get("weighted") or "yes").strip().lower()
            if not raw:
                raise InputError(f"{where}: no factor for {row['indicator']}")
            factor = _number(raw, where)
            weights[row["indicator"].strip()] = factor if flag == "yes" else 0.0
    return weights


def read_profiles(path: Path, weights: dict[str, float]) -> dict[str, PlainProfile]:
    profiles: dict[str, PlainProfile] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name} line {n}"
            pid = row["profile_id"].strip()
            module = row["module"].strip()
            indicator = row["indicator"].strip()
            if module not in KNOWN_MODULES:
                raise InputError(f"{where}: unknown module {module!r}")
            if indicator not in weights:
                raise InputError(f"{where}: indicator {indicator!r} has no weight")
            profile = profiles.get(pid)
            if profile is None:
                profile = profiles[pid] = PlainProfile(
                    row["name"].strip(),
                    row["unit"].strip(),
                    row["data_category"].strip(),
                )
            elif profile.category != row["data_category"].strip():
                raise InputError(f"{where}: data category differs for {pid}")
            per_module = profile.values.setdefault(module, {})
            if indicator in per_module:
                raise InputError(f"{where}: second row for {pid} {module} {indicator}")
            per_module[indicator] = _number(row["value"], where)
    return profiles


def read_bill(path: Path, profiles: dict[str, PlainProfile]) -> list[dict[str, Any]]:
    bill = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name} line {n}"
            pid = row["profile_id"].strip()
            if pid not in profiles:
                raise InputError(f"{where}: unknown profile {pid!r}")
            quantity = _number(row["quantity"].strip(), where)
            if quantity < 0:
                raise InputError(f"{where}: negative quantity")
            raw_life = (row["service_life_years"] or "").strip()
            life = _number(raw_life, where) if raw_life else None
            if life is not None and life <= 0:
                raise InputError(f"{where}: service life must be more than 0")
            bill.append(
                {
                    "line_id": row["line_id"].strip(),
                    "element": row["element"].strip(),
                    "profile_id": pid,
                    "quantity": quantity,
                    "life": life,
                }
            )
    return bill


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plain Python MKI of a bill.")
    parser.add_argument("--profiles", type=Path, required=True)
    parser.add_argument("--bill", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--reference-period", type=float, default=50.0)
    parser.add_argument(
        "--replacement-rule", choices=("ceil", "fractional"), default="ceil"
    )
    parser.add_argument("--exclude-module-d", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    try:
        weights = read_weights(args.weights)
        profiles = read_profiles(args.profiles, weights)
        bill = read_bill(args.bill, profiles)
    except InputError as exc:
        print(f"Nothing was calculated or written.\n{exc}", file=sys.stderr)
        return 2
    result = {
        "method": args.weights.stem,
        **bill_result(
            profiles,
            weights,
            bill,
            args.reference_period,
            args.replacement_rule,
            not args.exclude_module_d,
        ),
    }
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
