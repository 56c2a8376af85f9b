# SPDX-License-Identifier: EUPL-1.2
"""Agricycling allocation (docs/planning-models.md section 1): hand-computed instances
pinned to the cent, random instances against scipy's linprog on the split model and
against a brute-force enumeration of every whole-parcel assignment (both written here
independently of the engine), and input errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from cirkelregio.engine.agricycling.allocation import (
    Allocation,
    AllocationInputError,
    Farm,
    Parameters,
    Parcel,
    allocate,
    greedy,
)

# Points on the meridian 5.0 E: x km north of 52.0 N. Along a meridian the haversine
# distance is R * (difference in latitude, radians), so |x1 - x2| km.
KM_PER_DEGREE = 6371.0088 * math.pi / 180


def at(x_km: float) -> tuple[float, float]:
    return 52.0 + x_km / KM_PER_DEGREE, 5.0


def parcel(pid: str, x: float, t: float, owner: str = "o", a: float = 45.0) -> Parcel:
    return Parcel(pid, owner, *at(x), tonnes=t, alternative_eur_per_t=a)


def farm(fid: str, x: float, cap: float) -> Farm:
    return Farm(fid, *at(x), capacity_t=cap)


STRAIGHT = Parameters(transport_eur_per_tkm=1.0, max_distance_km=5.0, detour_factor=1.0)


def cents(x: float) -> float:
    return round(x, 2)


def consistent(r: Allocation, parcels: list[Parcel], farms: list[Farm]) -> None:
    """Every parcel's tonnes are placed or unplaced; capacities and D hold."""
    placed = {p.id: 0.0 for p in parcels}
    load = {f.id: 0.0 for f in farms}
    for pl in r.placements:
        placed[pl.parcel] += pl.tonnes
        load[pl.farm] += pl.tonnes
        assert pl.distance_km <= r.parameters.max_distance_km + 1e-9
    for u in r.unplaced:
        placed[u.parcel] += u.tonnes
    for p in parcels:
        assert placed[p.id] == pytest.approx(p.tonnes, abs=1e-6)
    for f in farms:
        assert load[f.id] <= f.capacity_t + 1e-6
    if r.mode == "whole":
        assert len({pl.parcel for pl in r.placements}) == len(r.placements)


# Hand-computed ------------------------------------------------------------------------

# Two parcels of 6 t, 1 km from F1 (10 t) and 3 km from F2 (10 t); 1 EUR per tkm.
# Split: 10 t to F1 at 1 km (10.00) + 2 t to F2 at 3 km (6.00) = 16.00.
# Whole: one parcel to F1 (6 x 1 = 6.00), the other to F2 (6 x 3 = 18.00) = 24.00.
TWO = [parcel("P1", 1, 6), parcel("P2", 1, 6)]
TWO_FARMS = [farm("F1", 0, 10), farm("F2", 4, 10)]


def test_split_and_whole_differ_by_hand() -> None:
    split = allocate(TWO, TWO_FARMS, STRAIGHT, mode="split")
    whole = allocate(TWO, TWO_FARMS, STRAIGHT, mode="whole", mip_gap=0)
    assert (split.status, whole.status) == ("optimal", "optimal")
    assert cents(split.total_eur) == 16.00
    assert cents(split.transport_eur) == 16.00
    assert cents(whole.total_eur) == 24.00
    assert whole.gap == pytest.approx(0.0, abs=1e-9)
    assert split.gap is None
    assert not split.unplaced and not whole.unplaced
    f1 = {f.farm: f.tonnes for f in split.farms}
    assert f1 == pytest.approx({"F1": 10.0, "F2": 2.0})
    assert sorted((p.farm, p.tonnes) for p in whole.placements) == [
        ("F1", 6.0),
        ("F2", 6.0),
    ]
    for r in (split, whole):
        consistent(r, TWO, TWO_FARMS)


def test_detour_factor_scales_the_distance_by_hand() -> None:
    # 3 km straight x 1.3 = 3.9 km <= 5: placed at 0.5 EUR/tkm: 10 t x 3.9 x 0.5.
    params = Parameters(transport_eur_per_tkm=0.5)
    r = allocate([parcel("P", 3, 10)], [farm("F", 0, 20)], params)
    assert r.placements[0].distance_km == pytest.approx(3.9, abs=1e-9)
    assert cents(r.total_eur) == 19.50
    # 4 km straight x 1.3 = 5.2 km > 5: no farm within D.
    r = allocate([parcel("P", 4, 10)], [farm("F", 0, 20)], params)
    assert not r.placements
    assert r.unplaced[0].reason == "no_farm_within_distance"
    assert cents(r.total_eur) == 450.00  # 10 t x 45 EUR/t


def test_unplaced_reasons_by_hand() -> None:
    # F1 (5 t) at 0: P1 (8 t) at 1 km fills it; P2 lies 20 km away; P3 lies 3 km from
    # F2 (10 t, otherwise empty) but its owner's alternative is 2 EUR/t < 3 EUR/t.
    parcels = [
        parcel("P1", 1, 8),
        parcel("P2", 20, 2),
        parcel("P3", 103, 2, a=2.0),
    ]
    farms = [farm("F1", 0, 5), farm("F2", 100, 10)]
    split = allocate(parcels, farms, STRAIGHT, mode="split")
    reasons = {u.parcel: (u.reason, cents(u.tonnes)) for u in split.unplaced}
    assert reasons == {
        "P1": ("farms_full", 3.00),
        "P2": ("no_farm_within_distance", 2.00),
        "P3": ("alternative_cheaper", 2.00),
    }
    # 5 t x 1 km x 1 + (3 + 2) t x 45 + 2 t x 2 = 5 + 225 + 4
    assert cents(split.transport_eur) == 5.00
    assert cents(split.alternative_eur) == 229.00
    whole = allocate(parcels, farms, STRAIGHT, mode="whole", mip_gap=0)
    reasons = {u.parcel: (u.reason, cents(u.tonnes)) for u in whole.unplaced}
    assert reasons == {
        "P1": ("farms_full", 8.00),  # F1 has 5 t, not room for the whole 8 t
        "P2": ("no_farm_within_distance", 2.00),
        "P3": ("alternative_cheaper", 2.00),
    }
    assert cents(whole.total_eur) == 8 * 45 + 2 * 45 + 2 * 2.0
    assert "5 km" in whole.unplaced[0].message


def test_zero_tonnes_parcel_is_neither_placed_nor_unplaced() -> None:
    r = allocate([parcel("P", 1, 0)], [farm("F", 0, 5)], STRAIGHT, mode="whole")
    assert not r.placements and not r.unplaced and r.total_eur == 0


def test_greedy_by_hand() -> None:
    # Largest first: P1 (7 t) takes F1 (nearest, 8 t); P2 (6 t) no longer fits F1
    # whole and goes to F2 at 3 km. Whole: 7 x 1 + 6 x 3 = 25. The optimum is the same
    # here; split greedy fills F1 with 1 t of P2: 7 + 1 + 5 x 3 = 23.
    parcels = [parcel("P2", 1, 6), parcel("P1", 1, 7)]
    farms = [farm("F1", 0, 8), farm("F2", 4, 10)]
    assert cents(greedy(parcels, farms, STRAIGHT, "whole").total_eur) == 25.00
    assert cents(greedy(parcels, farms, STRAIGHT, "split").total_eur) == 23.00
    assert greedy(parcels, farms, STRAIGHT).status == "heuristic"


# Random instances against independent solvers ----------------------------------------


def independent_km(p: Parcel, f: Farm, detour: float) -> float:
    """Haversine written out here (R = 6371.0088 km), times the detour factor."""
    r = 6371.0088
    p1, p2 = math.radians(p.lat), math.radians(f.lat)
    dp, dl = p2 - p1, math.radians(f.lon - p.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h)) * detour


def random_instance(
    rng: np.random.Generator, n_p: int, n_f: int
) -> tuple[list[Parcel], list[Farm], Parameters]:
    box = 0.08  # degrees, about 9 x 5.5 km: some pairs within 5 km, some not
    parcels = [
        Parcel(
            f"p{i}",
            f"o{i % 3}",
            52.0 + rng.uniform(0, box),
            5.0 + rng.uniform(0, box),
            float(rng.integers(0, 41)) / 4,  # 0 to 10 t in quarters
            float(rng.choice([45.0, 30.0, 1.0])),
        )
        for i in range(n_p)
    ]
    farms = [
        Farm(
            f"f{j}",
            52.0 + rng.uniform(0, box),
            5.0 + rng.uniform(0, box),
            float(rng.integers(1, 61)) / 4,
        )
        for j in range(n_f)
    ]
    params = Parameters(
        transport_eur_per_tkm=float(rng.choice([0.3, 2.0, 9.0])),
        max_distance_km=float(rng.choice([3.0, 5.0])),
        detour_factor=float(rng.choice([1.0, 1.3])),
    )
    return parcels, farms, params


def linprog_split(parcels: list[Parcel], farms: list[Farm], prm: Parameters) -> float:
    """The split model with scipy's linprog: x_pf for every pair within D, u_p."""
    pairs = [
        (i, j, d)
        for i, p in enumerate(parcels)
        for j, f in enumerate(farms)
        if (d := independent_km(p, f, prm.detour_factor)) <= prm.max_distance_km
    ]
    n_x, n_p = len(pairs), len(parcels)
    cost = [d * prm.transport_eur_per_tkm for _, _, d in pairs] + [
        p.alternative_eur_per_t for p in parcels
    ]
    a_eq = np.zeros((n_p, n_x + n_p))
    a_ub = np.zeros((len(farms), n_x + n_p))
    for k, (i, j, _) in enumerate(pairs):
        a_eq[i, k] = 1
        a_ub[j, k] = 1
    for i in range(n_p):
        a_eq[i, n_x + i] = 1
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=[f.capacity_t for f in farms],
        A_eq=a_eq,
        b_eq=[p.tonnes for p in parcels],
        bounds=(0, None),
        method="highs",
    )
    assert res.status == 0
    return float(res.fun)


def brute_whole(parcels: list[Parcel], farms: list[Farm], prm: Parameters) -> float:
    """Every assignment of each parcel to a farm within D or to nobody."""
    n_f = len(farms)
    best = math.inf
    for choice in itertools.product(range(n_f + 1), repeat=len(parcels)):
        load = [0.0] * n_f
        cost = 0.0
        for p, j in zip(parcels, choice, strict=True):
            if j == n_f:
                cost += p.tonnes * p.alternative_eur_per_t
                continue
            d = independent_km(p, farms[j], prm.detour_factor)
            if d > prm.max_distance_km:
                break
            load[j] += p.tonnes
            cost += p.tonnes * d * prm.transport_eur_per_tkm
        else:
            if all(load[j] <= farms[j].capacity_t + 1e-9 for j in range(n_f)):
                best = min(best, cost)
    return best


@pytest.mark.parametrize("seed", range(60))
def test_split_equals_linprog(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    parcels, farms, prm = random_instance(
        rng, int(rng.integers(1, 13)), int(rng.integers(1, 6))
    )
    r = allocate(parcels, farms, prm, mode="split")
    assert r.status == "optimal"
    assert r.total_eur == pytest.approx(
        linprog_split(parcels, farms, prm), rel=1e-7, abs=1e-6
    )
    consistent(r, parcels, farms)
    # The greedy heuristic is feasible and never better than the optimum.
    g = greedy(parcels, farms, prm, mode="split")
    consistent(g, parcels, farms)
    assert g.total_eur >= r.total_eur - 1e-6


@pytest.mark.parametrize("seed", range(60))
def test_whole_equals_brute_force(seed: int) -> None:
    rng = np.random.default_rng(2000 + seed)
    parcels, farms, prm = random_instance(
        rng, int(rng.integers(1, 8)), int(rng.integers(1, 4))
    )
    r = allocate(parcels, farms, prm, mode="whole", mip_gap=0)
    assert r.status == "optimal"
    assert r.total_eur == pytest.approx(
        brute_whole(parcels, farms, prm), rel=1e-7, abs=1e-6
    )
    consistent(r, parcels, farms)
    g = greedy(parcels, farms, prm, mode="whole")
    consistent(g, parcels, farms)
    assert g.total_eur >= r.total_eur - 1e-6
    # The split optimum is the bound of the LP relaxation.
    assert allocate(parcels, farms, prm).total_eur <= r.total_eur + 1e-6


def test_components_solved_apart_agree_with_one_model() -> None:
    # Two far-apart clusters, one with room (solved without a solver) and one tight:
    # the total is the sum of each cluster on its own.
    a = (
        [parcel("A1", 1, 6), parcel("A2", 1, 6)],
        [farm("FA1", 0, 10), farm("FA2", 4, 10)],
    )
    b = [parcel("B1", 201, 3)], [farm("FB", 200, 50)]
    both = allocate(a[0] + b[0], a[1] + b[1], STRAIGHT, mode="whole", mip_gap=0)
    assert both.stats["components"] == 2
    assert both.stats["solver_parcels"] == 2
    assert cents(both.total_eur) == 24.00 + 3.00


# Input errors ------------------------------------------------------------------------


def test_bad_input_names_every_field() -> None:
    parcels = [
        Parcel("P1", "o", math.nan, 5.0, 3),
        Parcel("P1", "", 52.0, 5.0, -1),
    ]
    farms = [Farm("F", 52.0, 5.0, 0)]
    with pytest.raises(AllocationInputError) as err:
        allocate(parcels, farms, Parameters(-1, 0, 0.5), mode="whole")
    paths = {i.path for i in err.value.issues}
    assert paths == {
        "parameters.transport_eur_per_tkm",
        "parameters.max_distance_km",
        "parameters.detour_factor",
        "parcels[0].lat",
        "parcels[1].id",
        "parcels[1].owner",
        "parcels[1].tonnes",
        "farms[0].capacity_t",
    }
    with pytest.raises(AllocationInputError, match="mode"):
        allocate([], [], STRAIGHT, mode="halves")  # type: ignore[arg-type]


def test_empty_input() -> None:
    r = allocate([], [], STRAIGHT, mode="whole")
    assert r.total_eur == 0 and r.status == "optimal"
