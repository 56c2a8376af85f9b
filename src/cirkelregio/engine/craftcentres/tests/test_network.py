# SPDX-License-Identifier: EUPL-1.2
"""Craft-centre network models: hand-computed instances, brute-force cross-checks
over every p-subset (no HiGHS), the majority rule, tonnes and validation."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from cirkelregio.engine.craftcentres import (
    DemandPoint,
    NetworkInputError,
    Parameters,
    Site,
    compare,
    evaluate,
    greedy,
    max_coverage,
    p_median,
    plan,
)

R = 6371.0088
# Towns on one meridian 0.09 degrees apart: the great-circle distance between towns
# k steps apart is exactly k * R * 0.09 degrees in radians (about 10.0075 km).
U = R * math.radians(0.09)
LINE_POP = [10.0, 25.0, 30.0, 40.0, 60.0]
FLAT = Parameters(detour_factor=1.0)


def line_points() -> list[DemandPoint]:
    return [
        DemandPoint(f"T{k}", 51.90 + 0.09 * k, 5.0, LINE_POP[k], "GM0344")
        for k in range(5)
    ]


def line_sites(existing: tuple[int, ...] = ()) -> list[Site]:
    return [
        Site(f"S{k}", f"site {k}", 51.90 + 0.09 * k, 5.0, k in existing)
        for k in range(5)
    ]


# Hand-computed instances --------------------------------------------------------------


def test_line_p_median_p1_is_the_weighted_median() -> None:
    # Cost at T3: 10*3 + 25*2 + 30*1 + 60*1 = 170 steps (T2: 205, T4: 215).
    r = p_median(line_points(), line_sites(), 1, FLAT)
    assert r.status == "optimal"
    assert r.open_sites == ("S3",)
    assert r.objective == pytest.approx(170 * U, rel=1e-12)
    assert r.average_distance_km == pytest.approx(170 * U / 165, rel=1e-12)
    assert r.max_distance_km == pytest.approx(3 * U, rel=1e-12)


def test_line_p_median_p2() -> None:
    # {S1, S4}: T0 10*1 + T2 30*1 + T3 40*1 = 80 steps; next best {S2, S4} 85.
    r = p_median(line_points(), line_sites(), 2, FLAT)
    assert r.open_sites == ("S1", "S4")
    assert r.objective == pytest.approx(80 * U, rel=1e-12)
    assert r.assignment == ("S1", "S1", "S1", "S4", "S4")


def test_forced_existing_site_stays_open() -> None:
    # With S0 forced: {S0, S3} costs 25 + 30 + 60 = 115 steps ({S0, S4}: 125).
    r = p_median(line_points(), line_sites(existing=(0,)), 2, FLAT)
    assert r.open_sites == ("S0", "S3")
    assert r.objective == pytest.approx(115 * U, rel=1e-12)
    assert r.sites[0].existing and not r.sites[1].existing


def test_detour_factor_scales_distances() -> None:
    r = p_median(line_points(), line_sites(), 1, Parameters(detour_factor=1.3))
    assert r.objective == pytest.approx(1.3 * 170 * U, rel=1e-12)


def test_coverage_line_p1_and_ties_at_p2() -> None:
    # S = 10.01 km covers a town and its neighbours (U = 10.0075 km).
    params = Parameters(detour_factor=1.0, coverage_km=10.01)
    r1 = max_coverage(line_points(), line_sites(), 1, params)
    assert r1.open_sites == ("S3",)  # 30 + 40 + 60 = 130 (S4: 100, S2: 95)
    assert r1.objective == 130
    r2 = max_coverage(line_points(), line_sites(), 2, params)
    # Three sets cover all 165: {S0, S3}, {S1, S3}, {S1, S4}; any of them is right.
    assert r2.objective == 165 and r2.covered_population == 165
    assert r2.coverage_share == 1.0
    assert set(r2.open_sites) in ({"S0", "S3"}, {"S1", "S3"}, {"S1", "S4"})
    # Below the step nothing but the own town is covered: the best is T4 + T3.
    r3 = max_coverage(line_points(), line_sites(), 2, Parameters(detour_factor=1.0))
    assert r3.open_sites == ("S3", "S4") and r3.objective == 100


def test_coverage_counts_a_point_exactly_at_s() -> None:
    params = Parameters(detour_factor=1.0, coverage_km=U)
    r = max_coverage(line_points(), line_sites(), 1, params)
    assert r.objective == 130


def test_greedy_is_worse_on_the_line_and_the_swap_repairs_it() -> None:
    # Greedy: S3 first (170), then S1 (100 steps); the swap S3 -> S4 gives 80.
    g = greedy(line_points(), line_sites(), 2, "p-median", FLAT)
    assert g.open_sites == ("S1", "S3")
    assert g.objective == pytest.approx(100 * U, rel=1e-12)
    assert g.status == "heuristic" and g.method == "greedy"
    s = greedy(line_points(), line_sites(), 2, "p-median", FLAT, swap=True)
    assert s.open_sites == ("S1", "S4")
    assert s.objective == pytest.approx(80 * U, rel=1e-12)


def test_swap_never_drops_an_existing_site() -> None:
    s = greedy(line_points(), line_sites(existing=(0,)), 2, "p-median", FLAT, swap=True)
    assert "S0" in s.open_sites
    assert s.objective == pytest.approx(115 * U, rel=1e-12)


def test_plan_over_several_p_equals_single_solves() -> None:
    pts, sts = line_points(), line_sites()
    for model in ("p-median", "coverage"):
        many = plan(pts, sts, [1, 2, 3, 4, 5], model, FLAT)
        for r in many:
            one = plan(pts, sts, [r.p], model, FLAT)[0]
            assert r.objective == pytest.approx(one.objective, rel=1e-12)
            assert r.p == len(r.open_sites)


# Brute force over every p-subset (independent of HiGHS) -----------------------------


def _hav(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine written out again with math, not numpy."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(math.sqrt(a))


def _random_instance(
    rng: random.Random,
) -> tuple[list[DemandPoint], list[Site], int, Parameters]:
    n_points = rng.randint(4, 12)
    n_sites = rng.randint(2, 7)
    points = [
        DemandPoint(
            f"p{i}",
            rng.uniform(51.9, 52.25),
            rng.uniform(4.85, 5.55),
            float(rng.choice([0, rng.randint(1, 20000)])),
            rng.choice(["GM0344", "GM0307", "GM0356"]),
        )
        for i in range(n_points)
    ]
    n_existing = rng.choice([0, 0, 1, 2]) if n_sites > 2 else 0
    sites = [
        Site(
            f"s{j}",
            f"site {j}",
            rng.uniform(51.9, 52.25),
            rng.uniform(4.85, 5.55),
            j < n_existing,
        )
        for j in range(n_sites)
    ]
    rng.shuffle(sites)
    p = rng.randint(max(1, n_existing), n_sites)
    params = Parameters(
        detour_factor=rng.choice([1.0, 1.3, 1.5]),
        coverage_km=rng.choice([5.0, 10.0, 15.0]),
    )
    return points, sites, p, params


def _brute(
    points: list[DemandPoint],
    sites: list[Site],
    p: int,
    params: Parameters,
    model: str,
) -> tuple[float, list[frozenset[str]]]:
    """Best objective and every optimal set, enumerating all p-subsets."""
    d = [
        [params.detour_factor * _hav(pt.lat, pt.lon, s.lat, s.lon) for s in sites]
        for pt in points
    ]
    forced = {j for j, s in enumerate(sites) if s.existing}
    values: list[tuple[float, frozenset[str]]] = []
    for combo in itertools.combinations(range(len(sites)), p):
        if not forced <= set(combo):
            continue
        if model == "p-median":
            v = math.fsum(
                pt.population * min(d[i][j] for j in combo)
                for i, pt in enumerate(points)
            )
        else:
            v = -math.fsum(
                pt.population
                for i, pt in enumerate(points)
                if min(d[i][j] for j in combo) <= params.coverage_km + 1e-9
            )
        values.append((v, frozenset(sites[j].id for j in combo)))
    best = min(v for v, _ in values)
    tol = 1e-9 * max(1.0, abs(best))
    return best, [s for v, s in values if v <= best + tol]


@pytest.mark.parametrize("seed", range(70))
def test_p_median_matches_brute_force(seed: int) -> None:
    points, sites, p, params = _random_instance(random.Random(1000 + seed))
    best, optimal_sets = _brute(points, sites, p, params, "p-median")
    r = p_median(points, sites, p, params)
    assert r.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert frozenset(r.open_sites) in optimal_sets
    for heuristic in (False, True):
        g = greedy(points, sites, p, "p-median", params, swap=heuristic)
        assert g.objective >= best - 1e-9 * max(1.0, best)
        assert {s.id for s in sites if s.existing} <= set(g.open_sites)


@pytest.mark.parametrize("seed", range(70))
def test_max_coverage_matches_brute_force(seed: int) -> None:
    points, sites, p, params = _random_instance(random.Random(5000 + seed))
    best, optimal_sets = _brute(points, sites, p, params, "coverage")
    r = max_coverage(points, sites, p, params)
    assert r.objective == pytest.approx(-best, abs=1e-6)
    assert frozenset(r.open_sites) in optimal_sets
    g = greedy(points, sites, p, "coverage", params)
    s = greedy(points, sites, p, "coverage", params, swap=True)
    assert g.objective <= -best + 1e-6
    assert g.objective <= s.objective <= -best + 1e-6


# Report: majority rule, tonnes, figures ---------------------------------------------


def _two_site_case() -> tuple[list[DemandPoint], list[Site]]:
    sites = [Site("A", "A", 52.00, 5.00), Site("B", "B", 52.20, 5.00)]
    points = [
        # M1: 10 + 10 near A, 30 near B -> served by B.
        DemandPoint("a1", 52.01, 5.00, 10, "M1"),
        DemandPoint("a2", 52.02, 5.00, 10, "M1"),
        DemandPoint("b1", 52.19, 5.00, 30, "M1"),
        # M2: 20 near A, 10 + 10 near B -> a tie on population; B has more points.
        DemandPoint("a3", 52.01, 5.01, 20, "M2"),
        DemandPoint("b2", 52.19, 5.01, 10, "M2"),
        DemandPoint("b3", 52.18, 5.01, 10, "M2"),
        # M3: 5 near A, 5 near B: tie on population and points -> the first site, A.
        DemandPoint("a4", 52.02, 5.01, 5, "M3"),
        DemandPoint("b4", 52.18, 5.00, 5, "M3"),
    ]
    return points, sites


def test_majority_rule_for_municipalities() -> None:
    points, sites = _two_site_case()
    r = evaluate(points, sites, ["A", "B"])
    assert r.assignment == ("A", "A", "B", "A", "B", "B", "A", "B")
    assert r.municipality_site == {"M1": "B", "M2": "B", "M3": "A"}
    assert r.sites[0].municipalities == ("M3",)
    assert r.sites[1].municipalities == ("M1", "M2")
    assert r.sites[0].population_served == 45
    assert r.sites[1].population_served == 55


def test_evaluate_names_unknown_sites() -> None:
    points, sites = _two_site_case()
    with pytest.raises(NetworkInputError) as exc:
        evaluate(points, sites, ["A", "Z"])
    assert "unknown sites: 'Z'" in _issues(exc)["open_sites"]
    with pytest.raises(NetworkInputError):
        evaluate(points, sites, [])


def test_tonnes_per_municipality_rate_and_fraction() -> None:
    site = [Site("A", "A", 52.00, 5.00)]
    points = [
        DemandPoint("x", 52.01, 5.00, 1000, "GM0001"),
        DemandPoint("y", 52.02, 5.00, 2500, "GM0002"),
    ]
    params = Parameters(
        kg_per_inhabitant={"GM0001": 133.0, "GM0002": 146.0},
        kg_source="test",
        reusable_fraction=0.04,
        reusable_fraction_source="test assumption",
        region_box=None,
    )
    r = p_median(points, site, 1, params, harvest=True)
    # 1000 * 133 kg + 2500 * 146 kg = 133 t + 365 t = 498 t; 4 % of it 19.92 t.
    assert r.sites[0].bulky_waste_tonnes == pytest.approx(498.0, rel=1e-12)
    assert r.sites[0].harvestable_tonnes == pytest.approx(19.92, rel=1e-12)
    assert r.bulky_waste_tonnes == pytest.approx(498.0, rel=1e-12)
    # The default: one rate, CBS 2021 146 kg; no fraction -> no harvestable tonnes.
    d = p_median(points, site, 1)
    assert d.sites[0].bulky_waste_tonnes == pytest.approx(3.5 * 146.0, rel=1e-12)
    assert d.sites[0].harvestable_tonnes is None and d.harvestable_tonnes is None


def test_compare_rows() -> None:
    pts, sts = line_points(), line_sites()
    rows = compare(
        [p_median(pts, sts, 2, FLAT), greedy(pts, sts, 2, "p-median", FLAT)]
    ).to_list()
    assert [r["method"] for r in rows] == ["highs", "greedy"]
    assert rows[0]["average_distance_km"] == pytest.approx(80 * U / 165, rel=1e-12)
    assert rows[0]["municipalities_per_centre"] == [0, 1]  # all of GM0344 is at S4
    assert rows[0]["harvestable_tonnes_per_centre"] == [None, None]
    text = compare([p_median(pts, sts, 2, FLAT)]).to_text()
    assert "S1, S4" in text and "covered %" in text


def test_geojson_map() -> None:
    pts, sts = line_points(), line_sites()
    g = p_median(pts, sts, 2, FLAT).to_geojson(pts, sts)
    kinds = [f["properties"]["kind"] for f in g["features"]]
    assert kinds.count("site") == 5 and kinds.count("assignment") == 5
    assert g["features"][0]["geometry"]["coordinates"] == [5.0, 51.90]
    assert [f["properties"]["open"] for f in g["features"][:5]] == [
        False,
        True,
        False,
        False,
        True,
    ]


# Validation ---------------------------------------------------------------------------


def _issues(exc: pytest.ExceptionInfo[NetworkInputError]) -> dict[str, str]:
    return {i.path: i.message for i in exc.value.issues}


def test_p_below_existing_and_above_sites() -> None:
    with pytest.raises(NetworkInputError) as exc:
        p_median(line_points(), line_sites(existing=(0, 1)), 1, FLAT)
    assert "less than the 2 existing sites" in _issues(exc)["p"]
    with pytest.raises(NetworkInputError) as exc:
        max_coverage(line_points(), line_sites(), 6, FLAT)
    assert "more than the 5 candidate sites" in _issues(exc)["p"]
    with pytest.raises(NetworkInputError) as exc:
        p_median(line_points(), line_sites(), 0, FLAT)
    assert "at least 1" in _issues(exc)["p"]


def test_bad_points_and_sites() -> None:
    pts = line_points()
    pts[1] = DemandPoint("T1", 51.99, 5.0, -5.0, "GM0344")
    pts[2] = DemandPoint("T2", 5.0, 52.08, 1.0, "GM0344")  # lat and lon swapped
    sts = line_sites()
    sts[3] = Site("S3", "site 3", 52.17, 5.0, municipality="GM9999")
    with pytest.raises(NetworkInputError) as exc:
        p_median(pts, sts, 1)
    issues = _issues(exc)
    assert "at least 0" in issues["points[1].population"]
    assert "outside the region box" in issues["points[2]"]
    assert "unknown municipality 'GM9999'" in issues["sites[3].municipality"]


def test_unknown_municipality_against_rates_and_known_list() -> None:
    params = Parameters(kg_per_inhabitant={"GM0307": 140.0}, kg_source="test")
    with pytest.raises(NetworkInputError) as exc:
        p_median(line_points(), line_sites(), 1, params)
    assert (
        "not in parameters.kg_per_inhabitant" in _issues(exc)["points[0].municipality"]
    )
    params = Parameters(municipalities={"GM0307": "Amersfoort"})
    with pytest.raises(NetworkInputError) as exc:
        p_median(line_points(), line_sites(), 1, params)
    assert "unknown municipality 'GM0344'" in _issues(exc)["points[4].municipality"]


def test_missing_reusable_fraction_when_tonnes_are_asked() -> None:
    with pytest.raises(NetworkInputError) as exc:
        p_median(line_points(), line_sites(), 1, FLAT, harvest=True)
    assert "no reusable fraction" in _issues(exc)["parameters.reusable_fraction"]
    with pytest.raises(NetworkInputError) as exc:
        greedy(line_points(), line_sites(), 1, "coverage", FLAT, harvest=True)
    assert "parameters.reusable_fraction" in _issues(exc)


def test_bad_parameters_and_duplicates() -> None:
    params = Parameters(detour_factor=0.9, coverage_km=0.0, reusable_fraction=1.5)
    sts = line_sites()
    sts.append(Site("S0", "again", 52.0, 5.0))
    with pytest.raises(NetworkInputError) as exc:
        p_median(line_points(), sts, 1, params)
    issues = _issues(exc)
    assert set(issues) >= {
        "parameters.detour_factor",
        "parameters.coverage_km",
        "parameters.reusable_fraction",
        "sites[5].id",
    }
