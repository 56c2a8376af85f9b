# SPDX-License-Identifier: EUPL-1.2
"""The siting MILP against brute force: for every admissible set of open sites
(existing ones included, at most max_sites) solve the exchange LP (engine ``solve``)
with exactly those depots and add the set's site cost; the minimum must equal the MILP
optimum to 1e-6 relative. Also: every alternative equals its brute-force value, the
chosen plan passes check_plan, and results are deterministic."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from cirkelregio.engine.optimize.depots import Candidate, SitingProblem, site_depots
from cirkelregio.engine.optimize.exchange import (
    Demand,
    Material,
    Supply,
    check_plan,
    solve,
)

MONDAY = dt.date(2024, 1, 1)


def _random_problem(seed: int) -> SitingProblem:
    rng = random.Random(seed)
    materials = (
        Material("klinker", "st", 2.0, 30.0, 5.0, 4.0),
        Material("tegel", "m2", 0.5, 12.0, 2.0, -1.0),
    )

    def point() -> tuple[float, float]:
        return 52.0 + rng.uniform(0, 0.5), 5.0 + rng.uniform(0, 0.7)

    def window() -> tuple[dt.date, dt.date]:
        a = rng.randrange(0, 35)
        return (
            MONDAY + dt.timedelta(days=a),
            MONDAY + dt.timedelta(days=a + rng.randrange(0, 10)),
        )

    supplies = tuple(
        Supply(
            f"S{i}",
            rng.choice(materials).name,
            float(rng.randrange(5, 120)),
            *point(),
            *window(),
        )
        for i in range(rng.randrange(3, 7))
    )
    demands = tuple(
        Demand(
            f"D{i}",
            rng.choice(materials).name,
            float(rng.randrange(5, 120)),
            *point(),
            *window(),
        )
        for i in range(rng.randrange(3, 7))
    )
    n_k = rng.randrange(2, 5)
    candidates = tuple(
        Candidate(
            f"K{i}",
            *point(),
            float(rng.choice([20, 80, 400])),
            float(rng.randrange(0, 2500)),
            rng.uniform(0.1, 1.0),
            rng.uniform(0.0, 3.0),
            rng.random() < 0.15,
        )
        for i in range(n_k)
    )
    n_existing = sum(k.existing for k in candidates)
    max_sites = rng.randrange(n_existing, n_k + 1) if rng.random() < 0.4 else None
    return SitingProblem(materials, supplies, demands, candidates, max_sites=max_sites)


def _brute_force(problem: SitingProblem) -> dict[tuple[str, ...], float]:
    existing = set(problem.existing)
    ids = [k.id for k in problem.candidates]
    out: dict[tuple[str, ...], float] = {}
    for r in range(len(ids) + 1):
        for subset in itertools.combinations(ids, r):
            if not existing <= set(subset):
                continue
            if problem.max_sites is not None and len(subset) > problem.max_sites:
                continue
            lp = solve(problem.exchange(subset))
            out[subset] = lp.objective_eur + problem.site_cost(subset)
    return out


@pytest.mark.parametrize("seed", range(15))
def test_milp_equals_brute_force(seed: int) -> None:
    problem = _random_problem(seed)
    brute = _brute_force(problem)
    best = min(brute.values())
    r = site_depots(problem, mip_gap=0.0)
    assert r.gap is None
    tol = 1e-6 * max(1.0, abs(best))
    assert abs(r.milp_objective_eur - best) <= tol
    assert abs(r.total_cost_eur - best) <= tol
    assert abs(brute[r.open_sites] - best) <= tol
    for a in r.alternatives:
        assert a.sites in brute
        assert abs(a.total_cost_eur - brute[a.sites]) <= 1e-6 * max(
            1.0, abs(brute[a.sites])
        )
        assert a.savings_eur == pytest.approx(r.baseline_eur - a.total_cost_eur)
    assert check_plan(problem.exchange(r.open_sites), r.plan) == []


def test_some_instances_open_sites_and_some_do_not() -> None:
    """The random instances are not trivial: the optimum opens a site in some and
    none in others."""
    opened = [bool(site_depots(_random_problem(s)).open_sites) for s in range(15)]
    assert any(opened) and not all(opened)


def test_deterministic() -> None:
    problem = _random_problem(3)
    first = site_depots(problem).to_dict()
    for _ in range(2):
        assert site_depots(problem).to_dict() == first
