# SPDX-License-Identifier: EUPL-1.2
"""Hand-computed depot-siting instances (cirkelregio.engine.optimize.depots), pinned to
the cent.

Common to all: material "klinker" with tonnes_per_unit 2.0, new cost 30, new MKI 5,
disposal 4 EUR per unit, so nothing reused costs 4 + 35 = 39 per unit of supply that
meets a demand. Default parameters unless said: c = 0.22 EUR/tkm, detour 1.3, max
50 km. Places lie on one meridian: 10 km haversine -> 13 km driven.

The "bridge" (test_exchange_hand): supply 50 units in week 0, demand 50 units 20 km
north in week 2, a site 10 km north with storage 0.5, handling 1.5: per unit 8.72 in +
2.00 for two weeks held + 5.72 out = 16.44, so the site saves 50 x (39 - 16.44) =
1128.00 against baseline 1950.00. The listings span 2024-01-01 .. 2024-01-21: 1 year.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cirkelregio.engine.optimize.depots import (
    Candidate,
    SitingProblem,
    SitingResult,
    build_siting_model,
    default_years,
    evaluate_sites,
    site_depots,
)
from cirkelregio.engine.optimize.exchange import (
    Demand,
    Material,
    Parameters,
    Supply,
    check_plan,
)
from cirkelregio.engine.optimize.tests.helpers import LAT0, LON0, north, week

KLINKER = Material("klinker", "st", 2.0, 30.0, 5.0, 4.0)
CENT = 0.005


def _site(id_: str, km: float, yearly: float, **kw: object) -> Candidate:
    return Candidate(id_, north(km), LON0, 1000.0, yearly, 0.5, 1.5, **kw)  # type: ignore[arg-type]


def _bridge(*candidates: Candidate, **kw: object) -> SitingProblem:
    return SitingProblem(
        (KLINKER,),
        (Supply("S1", "klinker", 50, LAT0, LON0, *week(0)),),
        (Demand("D1", "klinker", 50, north(20), LON0, *week(2)),),
        candidates,
        **kw,  # type: ignore[arg-type]
    )


def _solve(problem: SitingProblem) -> SitingResult:
    r = site_depots(problem)
    assert r.gap is None
    # The MILP optimum and the exchange LP on the chosen sites agree.
    assert r.milp_objective_eur == pytest.approx(r.total_cost_eur, abs=CENT)
    assert check_plan(problem.exchange(r.open_sites), r.plan) == []
    return r


def _table(r: SitingResult) -> list[tuple[tuple[str, ...], float, float, float]]:
    return [
        (a.sites, round(a.total_cost_eur, 2), round(a.site_cost_eur, 2), a.savings_eur)
        for a in r.alternatives
    ]


def test_a_site_worth_its_cost_and_one_that_is_not() -> None:
    """K1 costs 1000 a year (< 1128 saved), K2 at the same place 1200 (> 1128).
    K1 alone: 822.00 + 1000 = 1822.00, savings 128.00; K2 alone: 822.00 + 1200 =
    2022.00, savings -72.00; none: 1950.00. Optimum {K1}. Reuse: 50 units x 2 t =
    100 t via the depot, none direct."""
    r = _solve(_bridge(_site("K1", 10, 1000.0), _site("K2", 10, 1200.0)))
    assert r.open_sites == ("K1",)
    assert r.total_cost_eur == pytest.approx(1822.00, abs=CENT)
    assert r.site_cost_eur == pytest.approx(1000.00, abs=CENT)
    assert r.baseline_eur == pytest.approx(1950.00, abs=CENT)
    assert r.savings_eur == pytest.approx(128.00, abs=CENT)
    assert r.years == 1.0
    assert _table(r) == [
        ((), 1950.00, 0.0, pytest.approx(0.0, abs=CENT)),
        (("K1",), 1822.00, 1000.00, pytest.approx(128.00, abs=CENT)),
        (("K2",), 2022.00, 1200.00, pytest.approx(-72.00, abs=CENT)),
    ]
    k1 = r.alternatives[1]
    assert k1.reused_direct == 0.0
    assert k1.reused_via_depot == pytest.approx(100.0)
    assert r.alternatives[0].reused_via_depot == 0.0


def test_existing_site_is_forced_open() -> None:
    """K2 (1200 a year) exists: it stays open although it costs more than it saves;
    opening K1 as well adds 1000 and saves nothing more (K2 already bridges at the
    same cost). Optimum {K2}: 822.00 + 1200 = 2022.00; the alternatives are the
    existing site alone and existing plus K1: 822.00 + 2200 = 3022.00."""
    r = _solve(_bridge(_site("K1", 10, 1000.0), _site("K2", 10, 1200.0, existing=True)))
    assert r.open_sites == ("K2",)
    assert r.total_cost_eur == pytest.approx(2022.00, abs=CENT)
    assert r.savings_eur == pytest.approx(-72.00, abs=CENT)
    assert _table(r) == [
        (("K2",), 2022.00, 1200.00, pytest.approx(-72.00, abs=CENT)),
        (("K1", "K2"), 3022.00, 2200.00, pytest.approx(-1072.00, abs=CENT)),
    ]


def _two_regions(max_sites: int | None) -> SitingProblem:
    """Region A: the bridge (50 units, site KA 1000 a year saves 1128). Region B 200 km
    further north: the bridge with 100 units (site KB 1000 a year saves 2256). The
    regions are too far apart for any movement between them."""
    return SitingProblem(
        (KLINKER,),
        (
            Supply("SA", "klinker", 50, LAT0, LON0, *week(0)),
            Supply("SB", "klinker", 100, north(200), LON0, *week(0)),
        ),
        (
            Demand("DA", "klinker", 50, north(20), LON0, *week(2)),
            Demand("DB", "klinker", 100, north(220), LON0, *week(2)),
        ),
        (_site("KA", 10, 1000.0), _site("KB", 210, 1000.0)),
        max_sites=max_sites,
    )


def test_both_regions_open_without_a_limit() -> None:
    """822.00 + 1644.00 + 2000 = 4466.00; baseline 150 x 39 = 5850.00; savings 1384.00.
    KA alone: 822.00 + 1000 + 100 x 39 = 5722.00; KB alone: 1950 + 1644 + 1000 =
    4594.00."""
    r = _solve(_two_regions(None))
    assert r.open_sites == ("KA", "KB")
    assert r.total_cost_eur == pytest.approx(4466.00, abs=CENT)
    assert r.baseline_eur == pytest.approx(5850.00, abs=CENT)
    assert r.savings_eur == pytest.approx(1384.00, abs=CENT)
    assert [(a.sites, round(a.total_cost_eur, 2)) for a in r.alternatives] == [
        ((), 5850.00),
        (("KA",), 5722.00),
        (("KB",), 4594.00),
        (("KA", "KB"), 4466.00),
    ]
    assert r.alternatives[3].reused_via_depot == pytest.approx(300.0)


def test_max_sites_binds() -> None:
    """At most one site: KB (saves 1256 net) beats KA (saves 128 net): 4594.00."""
    r = _solve(_two_regions(1))
    assert r.open_sites == ("KB",)
    assert r.total_cost_eur == pytest.approx(4594.00, abs=CENT)
    assert r.savings_eur == pytest.approx(1256.00, abs=CENT)
    assert [a.sites for a in r.alternatives] == [(), ("KA",), ("KB",)]


def test_max_sites_zero_is_direct_reuse_only() -> None:
    r = _solve(_two_regions(0))
    assert r.open_sites == ()
    assert r.total_cost_eur == pytest.approx(5850.00, abs=CENT)
    assert [a.sites for a in r.alternatives] == [()]


def test_a_closed_site_passes_nothing_through_within_a_week() -> None:
    """Supply and demand 70 km apart in week 0 (91 km driven: no direct flow); a site
    of capacity 0 halfway (45.5 km each leg) can still cross-dock within the week.
    With c = 0.10 + 0.02 = 0.12 and no handling: 2 x 45.5 x 0.12 = 10.92 per leg,
    21.84 per unit, 100 units 2184.00 against baseline 3900.00: saves 1716.00.
    Yearly cost 2000: stays closed, and nothing may pass a closed site: 3900.00.
    Yearly cost 1500: open, 2184.00 + 1500 = 3684.00."""

    def case(yearly: float) -> SitingProblem:
        return SitingProblem(
            (KLINKER,),
            (Supply("S1", "klinker", 100, LAT0, LON0, *week(0)),),
            (Demand("D1", "klinker", 100, north(70), LON0, *week(0)),),
            (Candidate("X", north(35), LON0, 0.0, yearly, 0.5, 0.0),),
            Parameters(transport_eur_per_tkm=0.10),
        )

    closed = _solve(case(2000.0))
    assert closed.open_sites == ()
    assert closed.total_cost_eur == pytest.approx(3900.00, abs=CENT)
    assert closed.milp_objective_eur == pytest.approx(3900.00, abs=CENT)
    opened = _solve(case(1500.0))
    assert opened.open_sites == ("X",)
    assert opened.total_cost_eur == pytest.approx(3684.00, abs=CENT)
    assert evaluate_sites(case(2000.0), ["X"]).total_cost_eur == pytest.approx(
        4184.00, abs=CENT
    )


def test_years_scale_the_site_cost() -> None:
    """A supply of 0 units listed on 2025-01-01 stretches the listings over 2 years:
    K1 then costs 2000 > 1128 and stays closed (1950.00). ``years=1`` given
    explicitly opens it again (1822.00)."""
    late = Supply(
        "S0", "klinker", 0, LAT0, LON0, dt.date(2025, 1, 1), dt.date(2025, 1, 1)
    )
    base = _bridge(_site("K1", 10, 1000.0))
    two = SitingProblem(
        base.materials, (*base.supplies, late), base.demands, base.candidates
    )
    assert two.site_years == 2.0
    r = _solve(two)
    assert r.open_sites == ()
    assert r.total_cost_eur == pytest.approx(1950.00, abs=CENT)
    assert [round(a.site_cost_eur, 2) for a in r.alternatives] == [0.0, 2000.00]
    one = SitingProblem(
        base.materials, two.supplies, base.demands, base.candidates, years=1
    )
    assert _solve(one).total_cost_eur == pytest.approx(1822.00, abs=CENT)
    half = _bridge(_site("K1", 10, 1000.0), years=0.5)
    assert _solve(half).total_cost_eur == pytest.approx(1322.00, abs=CENT)


@pytest.mark.parametrize(
    ("first", "last", "years"),
    [
        ("2024-01-01", "2024-01-01", 1),
        ("2024-01-01", "2024-12-31", 1),
        ("2024-01-01", "2025-01-01", 2),
        ("2023-06-15", "2026-06-14", 3),
        ("2023-06-15", "2026-06-15", 4),
        ("2024-02-29", "2025-02-27", 1),
        ("2024-02-29", "2025-02-28", 2),
    ],
)
def test_default_years(first: str, last: str, years: int) -> None:
    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    s = Supply("S", "klinker", 1, LAT0, LON0, a, a)
    d = Demand("D", "klinker", 1, LAT0, LON0, b, b)
    assert default_years([s], [d]) == years
    assert default_years([], []) == 1


def test_model_shape() -> None:
    """Bridge with two sites: the exchange LP with both as depots plus two binaries;
    rows added: one y link and one z link per site (one supply, one demand)."""
    problem = _bridge(_site("K1", 10, 1000.0), _site("K2", 10, 1200.0, existing=True))
    m = build_siting_model(problem)
    assert m.num_columns == m.base.num_columns + 2
    assert m.num_rows == m.base.num_rows + 4
    assert list(m.cost[m.open_offset :]) == [1000.0, 1200.0]
    assert list(m.col_lower[m.open_offset :]) == [0.0, 1.0]


def test_invalid_problems_are_refused() -> None:
    with pytest.raises(ValueError, match="max_sites"):
        _bridge(_site("K1", 10, 1.0, existing=True), max_sites=0)
    with pytest.raises(ValueError, match="unique"):
        _bridge(_site("K1", 10, 1.0), _site("K1", 12, 1.0))
    with pytest.raises(ValueError, match="years"):
        _bridge(_site("K1", 10, 1.0), years=0)
