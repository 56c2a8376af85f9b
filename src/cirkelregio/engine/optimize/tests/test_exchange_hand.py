# SPDX-License-Identifier: EUPL-1.2
"""Hand-computed instances of docs/exchange-model.md, pinned to the cent.

Common to all: material "klinker" with tonnes_per_unit tpu = 2.0, new cost 30, new
MKI 5, disposal 4 EUR per unit; default parameters, so c = 0.20 + 0.02 = 0.22 EUR/tkm,
detour 1.3, max 50 km, lambda 1. Places lie on one meridian (lon 5.0), so the
haversine distance is exactly the latitude difference times R: 10 km haversine ->
dist 13 km.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cirkelregio.engine.optimize.exchange import (
    Demand,
    Depot,
    ExchangeProblem,
    ExchangeResult,
    Flow,
    Material,
    Parameters,
    Supply,
    build_model,
    check_plan,
    solve,
)
from cirkelregio.engine.optimize.tests.helpers import LAT0, LON0, north, week

KLINKER = Material("klinker", "st", 2.0, 30.0, 5.0, 4.0)
CENT = 0.005


def _solve(problem: ExchangeProblem) -> ExchangeResult:
    result = solve(problem)
    assert check_plan(problem, result) == []
    return result


def test_direct_reuse_same_week() -> None:
    """One supply and one demand of 100 units, 10 km apart, both in week 0.

    direct: 100 x tpu 2 x 13 km x 0.22 = 572.00
    baseline: 100 x disposal 4 + 100 x (30 + 1.0 x 5) = 400 + 3500 = 3900.00
    savings 3328.00; tonne-km 100 x 2 x 13 = 2600; transport MKI 2600 x 0.02 = 52.00;
    new MKI avoided 100 x 5 = 500.00.
    """
    problem = ExchangeProblem(
        (KLINKER,),
        (Supply("S1", "klinker", 100, LAT0, LON0, *week(0)),),
        (Demand("D1", "klinker", 100, north(10), LON0, *week(0)),),
    )
    r = _solve(problem)
    assert r.objective_eur == pytest.approx(572.00, abs=CENT)
    assert r.baseline_eur == pytest.approx(3900.00, abs=CENT)
    assert r.savings_eur == pytest.approx(3328.00, abs=CENT)
    assert r.tonne_km == pytest.approx(2600.0, abs=1e-6)
    assert r.transport_mki_eur == pytest.approx(52.00, abs=CENT)
    assert r.new_mki_avoided_eur == pytest.approx(500.00, abs=CENT)
    assert r.reused["klinker"].direct == pytest.approx(100.0)
    assert r.reused["klinker"].via_depot == 0.0
    assert r.flows == (Flow("S1", "D1", None, 0, 0, pytest.approx(100.0)),)


def _bridge(capacity: float) -> ExchangeProblem:
    """Supply in week 0 only, demand in week 2 only: no direct flow is possible.
    Depot 10 km north of the supply, demand 10 km further north (13 km each leg);
    handling 1.5 EUR/t, storage 0.5 EUR/t/week."""
    return ExchangeProblem(
        (KLINKER,),
        (Supply("S1", "klinker", 50, LAT0, LON0, *week(0)),),
        (Demand("D1", "klinker", 50, north(20), LON0, *week(2)),),
        (Depot("K1", north(10), LON0, capacity, 0.5, 1.5),),
    )


def test_depot_bridges_a_time_gap() -> None:
    """Per unit: into the depot in week 0: 2 x (13 x 0.22 + 1.5) = 8.72; held at the
    end of weeks 0 and 1: 2 weeks x 2 t x 0.5 = 2.00; out in week 2: 2 x 13 x 0.22 =
    5.72; together 16.44 < 4 + 35 = 39 for disposal plus new.
    objective 50 x 16.44 = 822.00; baseline 50 x 39 = 1950.00; savings 1128.00;
    tonne-km 2 legs x 50 x 2 x 13 = 2600."""
    problem = _bridge(capacity=1000.0)
    r = _solve(problem)
    assert r.objective_eur == pytest.approx(822.00, abs=CENT)
    assert r.baseline_eur == pytest.approx(1950.00, abs=CENT)
    assert r.savings_eur == pytest.approx(1128.00, abs=CENT)
    assert r.tonne_km == pytest.approx(2600.0, abs=1e-6)
    assert r.reused["klinker"].direct == 0.0
    assert r.reused["klinker"].via_depot == pytest.approx(50.0)
    assert r.flows == (
        Flow("S1", None, "K1", 0, 0, pytest.approx(50.0)),
        Flow(None, "D1", "K1", 2, 2, pytest.approx(50.0)),
    )


def _weeks(first: int, last: int) -> tuple[dt.date, dt.date]:
    return week(first)[0], week(last)[1]


def test_depot_entered_late_and_left_early() -> None:
    """Supply free in weeks 0-2, demand in weeks 5-7, depot between them (13 km each
    leg). The cheapest plan enters the depot in the supply's last week (2) and leaves
    it in the demand's first week (5): stock at the end of weeks 2, 3 and 4 only.
    Per unit: in 8.72, out 5.72, storage 3 weeks x 2 t x 0.5 = 3.00; 100 units:
    objective 1744.00; baseline 100 x 39 = 3900.00."""
    problem = ExchangeProblem(
        (KLINKER,),
        (Supply("S1", "klinker", 100, LAT0, LON0, *_weeks(0, 2)),),
        (Demand("D1", "klinker", 100, north(20), LON0, *_weeks(5, 7)),),
        (Depot("K1", north(10), LON0, 1000.0, 0.5, 1.5),),
    )
    r = _solve(problem)
    assert r.objective_eur == pytest.approx(1744.00, abs=CENT)
    assert r.flows == (
        Flow("S1", None, "K1", 2, 2, pytest.approx(100.0)),
        Flow(None, "D1", "K1", 5, 5, pytest.approx(100.0)),
    )


def test_cross_dock_joins_a_pair_too_far_apart() -> None:
    """Supply and demand 60 km apart (78 km > 50 km), both in weeks 0-1: no direct
    flow. Through a depot within reach of both, in and out in the same week, the
    material holds no stock at the end of a week, so storage is not paid and even a
    depot of capacity 0 can pass it on. K1 at 30 km (39 + 39 km, handling 0.5), K2 at
    25 km (32.5 + 45.5 km, handling 0.2, capacity 0), K3 at 55 km (71.5 km from the
    supply: out of reach, handling 0). Through K2, per unit: 2 x (78 x 0.22 + 0.2) =
    34.72 < 39; 100 units: objective 3472.00, baseline 3900.00, tonne-km
    100 x 2 x 78 = 15600."""
    problem = ExchangeProblem(
        (KLINKER,),
        (Supply("S1", "klinker", 100, LAT0, LON0, *_weeks(0, 1)),),
        (Demand("D1", "klinker", 100, north(60), LON0, *_weeks(0, 1)),),
        (
            Depot("K1", north(30), LON0, 1000.0, 0.5, 0.5),
            Depot("K2", north(25), LON0, 0.0, 0.5, 0.2),
            Depot("K3", north(55), LON0, 1000.0, 0.5, 0.0),
        ),
    )
    r = _solve(problem)
    assert r.objective_eur == pytest.approx(3472.00, abs=CENT)
    assert r.baseline_eur == pytest.approx(3900.00, abs=CENT)
    assert r.tonne_km == pytest.approx(15600.0, abs=1e-6)
    assert r.reused["klinker"].via_depot == pytest.approx(100.0)
    assert r.flows == (
        Flow(None, "D1", "K2", 0, 0, pytest.approx(100.0)),
        Flow("S1", None, "K2", 0, 0, pytest.approx(100.0)),
    )


def test_capacity_binds() -> None:
    """As above with a depot of 60 t: at most 30 units (2 t each) can be held over
    weeks 0 and 1. The other 20 units are disposed and 20 bought new.
    objective 30 x 16.44 + 20 x 4 + 20 x 35 = 493.20 + 80 + 700 = 1273.20."""
    problem = _bridge(capacity=60.0)
    r = _solve(problem)
    assert r.objective_eur == pytest.approx(1273.20, abs=CENT)
    assert r.savings_eur == pytest.approx(1950.00 - 1273.20, abs=CENT)
    assert r.reused["klinker"].via_depot == pytest.approx(30.0)


def test_end_stock_pays_storage_every_week_and_disposal() -> None:
    """A negative disposal (scrap value -10) makes parking material in the depot to the
    end attractive only if storage and transport cost less than disposing of it at
    once. Supply 10 units in week 0, a demand of 0 units in week 3 sets T = 4.
    Parking: 2 x (13 x 0.22 + 1.5) = 8.72 in, 4 weeks x 2 t x 0.5 = 4.00 storage,
    -10 end disposal: -10 + 12.72 = 2.72 per unit, worse than disposing at once (-10).
    objective = 10 x -10 = -100.00 = baseline; nothing moves.

    The reduced LP (module docstring) never leaves stock at the end: its stock columns
    run from the week the supply can enter (0) to the week before the demand's first
    week (3), at 2 t x 0.5 = 1.0 a week, with no end-disposal term."""
    scrap = Material("klinker", "st", 2.0, 30.0, 5.0, -10.0)
    problem = ExchangeProblem(
        (scrap,),
        (Supply("S1", "klinker", 10, LAT0, LON0, *week(0)),),
        (Demand("D1", "klinker", 0, north(20), LON0, *week(3)),),
        (Depot("K1", north(10), LON0, 1000.0, 0.5, 1.5),),
    )
    r = _solve(problem)
    assert r.objective_eur == pytest.approx(-100.00, abs=CENT)
    assert r.flows == ()
    model = build_model(problem)
    i0, u0 = model.offsets["I"], model.offsets["u"]
    assert list(model.stock_week) == [0, 1, 2]
    assert list(model.cost[i0:u0]) == pytest.approx([1.0, 1.0, 1.0])


def test_distance_over_the_maximum_forbids_reuse() -> None:
    """40 km haversine x 1.3 = 52 km > 50 km: no variable, objective = baseline 3900.
    With --max-distance-km 60 it is allowed: 100 x 2 x 52 x 0.22 = 2288.00."""
    supply = (Supply("S1", "klinker", 100, LAT0, LON0, *week(0)),)
    demand = (Demand("D1", "klinker", 100, north(40), LON0, *week(0)),)
    problem = ExchangeProblem((KLINKER,), supply, demand)
    r = _solve(problem)
    assert build_model(problem).num_columns == 2  # u and v only
    assert r.objective_eur == pytest.approx(3900.00, abs=CENT)
    assert r.savings_eur == pytest.approx(0.0, abs=CENT)
    assert r.flows == ()
    wide = ExchangeProblem(
        (KLINKER,), supply, demand, parameters=Parameters(max_distance_km=60)
    )
    assert _solve(wide).objective_eur == pytest.approx(2288.00, abs=CENT)


def test_reuse_worse_than_new_moves_nothing() -> None:
    """new cost 4 + MKI 1 = 5 per unit, disposal 0; transport 2 x 13 x 0.22 = 5.72 > 5.
    objective = baseline = 100 x 5 = 500.00. With lambda = 0 new costs 4: still no."""
    cheap = Material("klinker", "st", 2.0, 4.0, 1.0, 0.0)
    supply = (Supply("S1", "klinker", 100, LAT0, LON0, *week(0)),)
    demand = (Demand("D1", "klinker", 100, north(10), LON0, *week(0)),)
    r = _solve(ExchangeProblem((cheap,), supply, demand))
    assert r.objective_eur == pytest.approx(500.00, abs=CENT)
    assert r.savings_eur == pytest.approx(0.0, abs=CENT)
    assert r.flows == ()
    assert r.reused["klinker"].direct == 0.0
    lam0 = ExchangeProblem(
        (cheap,), supply, demand, parameters=Parameters(mki_weight=0)
    )
    assert _solve(lam0).objective_eur == pytest.approx(400.00, abs=CENT)


def test_other_material_is_never_matched() -> None:
    """Tiles cannot serve a brick demand: objective = 100 x 4 (tile disposal) +
    100 x 35 (new bricks) = 3900.00."""
    tile = Material("tegel", "st", 1.0, 10.0, 1.0, 4.0)
    r = _solve(
        ExchangeProblem(
            (KLINKER, tile),
            (Supply("S1", "tegel", 100, LAT0, LON0, *week(0)),),
            (Demand("D1", "klinker", 100, north(1), LON0, *week(0)),),
        )
    )
    assert r.objective_eur == pytest.approx(3900.00, abs=CENT)
    assert r.flows == ()


def test_weeks_start_on_the_monday_of_the_earliest_date() -> None:
    """Earliest date Wednesday 2024-01-03 -> start Monday 2024-01-01; 2024-01-08 is in
    week 1, Sunday 2024-01-14 too; T = 2. The supply (week 0..1) and demand (week 1)
    overlap only in week 1."""
    problem = ExchangeProblem(
        (KLINKER,),
        (
            Supply(
                "S1", "klinker", 5, LAT0, LON0, dt.date(2024, 1, 3), dt.date(2024, 1, 8)
            ),
        ),
        (
            Demand(
                "D1",
                "klinker",
                5,
                north(10),
                LON0,
                dt.date(2024, 1, 8),
                dt.date(2024, 1, 14),
            ),
        ),
    )
    assert problem.start == dt.date(2024, 1, 1)
    assert problem.weeks == 2
    r = _solve(problem)
    assert r.flows == (Flow("S1", "D1", None, 1, 1, pytest.approx(5.0)),)
    # 5 x 2 x 13 x 0.22 = 28.60
    assert r.objective_eur == pytest.approx(28.60, abs=CENT)


def test_empty_problem() -> None:
    r = _solve(ExchangeProblem((KLINKER,), (), ()))
    assert (r.objective_eur, r.baseline_eur, r.flows) == (0.0, 0.0, ())


def test_check_plan_catches_violations() -> None:
    problem = _bridge(capacity=60.0)
    r = solve(problem)
    too_much = ExchangeResult(
        **{
            **vars(r),
            "flows": (
                Flow("S1", None, "K1", 0, 0, 50.0),
                Flow(None, "D1", "K1", 1, 1, 50.0),
            ),
        }
    )
    errors = check_plan(problem, too_much)
    assert any("outside the demand window" in e for e in errors)
    assert any("capacity 60" in e for e in errors)
    assert any(e.startswith("objective") for e in errors)
    early = ExchangeResult(**{**vars(r), "flows": (Flow(None, "D1", "K1", 2, 2, 1.0),)})
    assert any("stock of klinker is -1.0" in e for e in check_plan(problem, early))
