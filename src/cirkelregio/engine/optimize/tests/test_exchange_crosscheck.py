# SPDX-License-Identifier: EUPL-1.2
"""The engine against an independent formulation of docs/exchange-model.md, built here
with plain loops and dense matrices (no code shared with the engine's builder: its own
haversine, its own week arithmetic, stock for every depot and material) and solved with
scipy.optimize.linprog(method="highs"). Optimal objectives agree to 1e-6 relative, and
every plan passes check_plan."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from cirkelregio.engine.optimize.exchange import (
    Demand,
    Depot,
    ExchangeProblem,
    Material,
    Parameters,
    Supply,
    check_plan,
    solve,
)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def reference_objective(problem: ExchangeProblem) -> float:
    par = problem.parameters
    c = par.transport_eur_per_tkm + par.transport_mki_eur_per_tkm
    mat = {m.name: m for m in problem.materials}
    dates = [
        d for s in problem.supplies for d in (s.available_from, s.available_until)
    ] + [d for x in problem.demands for d in (x.needed_from, x.needed_until)]
    first = min(dates)
    monday = first - dt.timedelta(days=first.isoweekday() - 1)

    def wk(day: dt.date) -> int:
        return math.floor((day - monday).days / 7)

    n_t = max(wk(d) for d in dates) + 1

    def dist(a: Supply | Demand | Depot, b: Supply | Demand | Depot) -> float:
        return _km(a.lat, a.lon, b.lat, b.lon) * par.detour_factor

    names: list[tuple[object, ...]] = []
    cost: list[float] = []

    def var(key: tuple[object, ...], cst: float) -> None:
        names.append(key)
        cost.append(cst)

    for s in problem.supplies:
        for d in problem.demands:
            if s.material != d.material or dist(s, d) > par.max_distance_km:
                continue
            for t in range(n_t):
                if wk(s.available_from) <= t <= wk(s.available_until) and wk(
                    d.needed_from
                ) <= t <= wk(d.needed_until):
                    tpu = mat[s.material].tonnes_per_unit
                    var(("x", s.id, d.id, t), tpu * dist(s, d) * c)
    for s in problem.supplies:
        for k in problem.depots:
            if dist(s, k) > par.max_distance_km:
                continue
            for t in range(wk(s.available_from), wk(s.available_until) + 1):
                tpu = mat[s.material].tonnes_per_unit
                var(
                    ("y", s.id, k.id, t),
                    tpu * (dist(s, k) * c + k.handling_eur_per_tonne),
                )
    for k in problem.depots:
        for d in problem.demands:
            if dist(k, d) > par.max_distance_km:
                continue
            for t in range(wk(d.needed_from), wk(d.needed_until) + 1):
                tpu = mat[d.material].tonnes_per_unit
                var(("z", k.id, d.id, t), tpu * dist(k, d) * c)
    for k in problem.depots:
        for m in problem.materials:
            for t in range(n_t):
                cst = m.tonnes_per_unit * k.storage_eur_per_tonne_week
                if t == n_t - 1:
                    cst += m.disposal_cost_eur
                var(("I", k.id, m.name, t), cst)
    for s in problem.supplies:
        var(("u", s.id), mat[s.material].disposal_cost_eur)
    for d in problem.demands:
        m = mat[d.material]
        var(("v", d.id), m.new_cost_eur + par.mki_weight * m.new_mki_eur)

    col = {key: j for j, key in enumerate(names)}
    a_eq: list[list[float]] = []
    b_eq: list[float] = []
    for s in problem.supplies:
        row = [0.0] * len(names)
        for key, j in col.items():
            if key[0] in ("x", "y", "u") and key[1] == s.id:
                row[j] = 1.0
        a_eq.append(row)
        b_eq.append(s.quantity)
    for d in problem.demands:
        row = [0.0] * len(names)
        for key, j in col.items():
            if (key[0] in ("x", "z") and key[2] == d.id) or key == ("v", d.id):
                row[j] = 1.0
        a_eq.append(row)
        b_eq.append(d.quantity)
    supply_mat = {s.id: s.material for s in problem.supplies}
    demand_mat = {d.id: d.material for d in problem.demands}
    for k in problem.depots:
        for m in problem.materials:
            for t in range(n_t):
                row = [0.0] * len(names)
                row[col[("I", k.id, m.name, t)]] = 1.0
                if t > 0:
                    row[col[("I", k.id, m.name, t - 1)]] = -1.0
                for key, j in col.items():
                    into = key[0] == "y" and key[2:] == (k.id, t)
                    if into and supply_mat[str(key[1])] == m.name:
                        row[j] = -1.0
                    out = key[0] == "z" and key[1] == k.id and key[3] == t
                    if out and demand_mat[str(key[2])] == m.name:
                        row[j] = 1.0
                a_eq.append(row)
                b_eq.append(0.0)
    a_ub: list[list[float]] = []
    b_ub: list[float] = []
    for k in problem.depots:
        for t in range(n_t):
            row = [0.0] * len(names)
            for m in problem.materials:
                row[col[("I", k.id, m.name, t)]] = m.tonnes_per_unit
            a_ub.append(row)
            b_ub.append(k.capacity_tonnes)
    res = linprog(
        np.array(cost),
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.array(a_eq),
        b_eq=np.array(b_eq),
        bounds=(0, None),
        method="highs",
    )
    assert res.status == 0, res.message
    return float(res.fun)


def random_problem(seed: int) -> ExchangeProblem:
    rng = np.random.default_rng(seed)
    n_m = int(rng.integers(1, 4))
    materials = tuple(
        Material(
            f"m{i}",
            "st",
            round(float(rng.uniform(0.2, 3.0)), 3),
            round(float(rng.uniform(2, 60)), 2),
            round(float(rng.uniform(0, 10)), 2),
            round(float(rng.uniform(-5, 10)), 2),
        )
        for i in range(n_m)
    )
    start = dt.date(2024, 3, 1) + dt.timedelta(days=int(rng.integers(0, 7)))

    def window() -> tuple[dt.date, dt.date]:
        a = start + dt.timedelta(days=int(rng.integers(0, 35)))
        return a, a + dt.timedelta(days=int(rng.integers(0, 21)))

    def place() -> tuple[float, float]:
        return float(rng.uniform(52.0, 52.45)), float(rng.uniform(4.8, 5.6))

    supplies = tuple(
        Supply(
            f"S{i}",
            f"m{int(rng.integers(n_m))}",
            round(float(rng.uniform(0, 100)), 1),
            *place(),
            *window(),
        )
        for i in range(int(rng.integers(1, 8)))
    )
    demands = tuple(
        Demand(
            f"D{i}",
            f"m{int(rng.integers(n_m))}",
            round(float(rng.uniform(0, 100)), 1),
            *place(),
            *window(),
        )
        for i in range(int(rng.integers(1, 8)))
    )
    depots = tuple(
        Depot(
            f"K{i}",
            *place(),
            round(float(rng.uniform(0, 150)), 1),
            round(float(rng.uniform(0, 2)), 2),
            round(float(rng.uniform(0, 5)), 2),
        )
        for i in range(int(rng.integers(0, 3)))
    )
    parameters = Parameters(
        detour_factor=float(rng.choice([1.0, 1.3])),
        max_distance_km=float(rng.choice([30.0, 50.0, 80.0])),
        mki_weight=float(rng.choice([0.0, 1.0])),
    )
    return ExchangeProblem(materials, supplies, demands, depots, parameters)


SEEDS = range(60)


@pytest.mark.parametrize("seed", SEEDS)
def test_matches_independent_linprog(seed: int) -> None:
    problem = random_problem(seed)
    result = solve(problem)
    expected = reference_objective(problem)
    assert result.objective_eur == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert check_plan(problem, result) == []
    assert result.savings_eur == pytest.approx(result.baseline_eur - expected, abs=1e-5)


@pytest.mark.parametrize("seed", range(0, 60, 3))
def test_cold_start_reaches_the_same_optimum(seed: int) -> None:
    """The per-material starting basis only speeds HiGHS up: from scratch it finds the
    same optimum, and both plans pass check_plan."""
    problem = random_problem(seed)
    warm, cold = solve(problem), solve(problem, warm_start=False)
    assert warm.objective_eur == pytest.approx(cold.objective_eur, rel=1e-9, abs=1e-9)
    assert check_plan(problem, cold) == []


def test_random_instances_exercise_every_kind_of_flow() -> None:
    """Guard against a cross-check that only ever compares trivial plans: every kind
    of flow occurs, and so do a cross-dock (into and out of one depot in one week)
    and material held in a depot over weeks."""
    kinds = set()
    crossdocks = held = 0
    for seed in SEEDS:
        flows = solve(random_problem(seed)).flows
        into = {(f.depot, f.week_in) for f in flows if f.supply and f.depot}
        out = {(f.depot, f.week_out) for f in flows if f.demand and f.depot}
        crossdocks += len(into & out)
        held += len(out - into)
        for f in flows:
            kinds.add((f.supply is None, f.depot is None, f.demand is None))
    assert kinds == {(False, True, False), (False, False, True), (True, False, False)}
    assert crossdocks > 0
    assert held > 0


def test_deterministic() -> None:
    problem = random_problem(7)
    first = json.dumps(solve(problem).to_dict(), sort_keys=False)
    assert first == json.dumps(solve(problem).to_dict(), sort_keys=False)
