# SPDX-License-Identifier: EUPL-1.2
"""Allocation runs and settlements on a small instance: the stored whole-parcel run
is cross-checked against an independent solver (brute force over every
assignment), the settlement against the tariffs by hand."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.agricycling import selectors, services
from cirkelregio.agricycling.tests.conftest import set_tariffs, write
from cirkelregio.engine.geo.distance import haversine_km


def _setup(agri: Any, tmp_path: Path) -> None:
    # Three parcels and two farms inside municipality A (5.0-5.1 E, 52.0-52.1 N).
    services.import_parcels(
        write(
            tmp_path,
            "p.csv",
            "external_id,name,geometry,tonnes_per_season\n"
            'P1,a,"LINESTRING (5.010 52.010, 5.012 52.010)",10\n'
            'P2,b,"LINESTRING (5.030 52.010, 5.032 52.010)",8\n'
            'P3,c,"LINESTRING (5.050 52.050, 5.052 52.050)",6\n',
        ),
        owner=agri.town,
        actor=None,
    )
    services.import_farms(
        write(
            tmp_path,
            "f.csv",
            "name,lat,lon,capacity_t,is_member\n"
            "F1,52.012,5.020,12,true\nF2,52.045,5.050,20,false\n",
        ),
        season=agri.season,
        actor=None,
    )


def test_a_season_without_tariffs_is_refused(agri: Any, tmp_path: Path) -> None:
    _setup(agri, tmp_path)
    with pytest.raises(ValidationError, match="has no tariffs"):
        services.allocation_run(actor=agri.coordinator, season=agri.season)


def test_only_coordinators_run(agri: Any, tmp_path: Path) -> None:
    _setup(agri, tmp_path)
    set_tariffs(agri.season)
    for who in (agri.town_editor, agri.member, agri.company_editor):
        with pytest.raises(PermissionDenied):
            services.allocation_run(actor=who, season=agri.season)


def test_tariffs_missing_are_named(agri: Any) -> None:
    with pytest.raises(ValidationError) as err:
        set_tariffs(agri.season, composting_eur_per_t=None)
    assert list(err.value.message_dict) == ["composting_eur_per_t"]
    with pytest.raises(PermissionDenied):
        services.tariffs_set(
            actor=agri.town_editor,
            season=agri.season,
            fee_eur_per_t=Decimal(1),
            transport_eur_per_tkm=Decimal(1),
            composting_eur_per_t=Decimal(1),
            compost_value_eur_per_t=Decimal(1),
            source="x",
        )


def _cost(assign: dict[str, str | None], parcels: Any, farms: Any) -> float | None:
    load: dict[str, float] = {}
    total = 0.0
    for p in parcels:
        f = assign[p.id]
        if f is None:
            total += p.tonnes * p.alternative_eur_per_t
            continue
        farm = farms[f]
        d = haversine_km(p.lat, p.lon, farm.lat, farm.lon) * 1.3
        if d > 5.0:
            return None
        load[f] = load.get(f, 0.0) + p.tonnes
        if load[f] > farm.capacity_t + 1e-9:
            return None
        total += p.tonnes * d * 0.35
    return total


def test_whole_run_equals_brute_force_and_settles_to_the_cent(
    agri: Any, tmp_path: Path
) -> None:
    _setup(agri, tmp_path)
    set_tariffs(agri.season)
    run = services.allocation_run(
        actor=agri.coordinator, season=agri.season, mode="whole", time_limit=10
    )
    parcels, farm_list = services.runs.engine_input(agri.season)
    farms = {f.id: f for f in farm_list}
    ids = [p.id for p in parcels]
    costs = [
        _cost(dict(zip(ids, choice, strict=True)), parcels, farms)
        for choice in itertools.product([None, *farms], repeat=len(parcels))
    ]
    best = min(c for c in costs if c is not None)
    assert run.result["total_eur"] == pytest.approx(best, abs=1e-6)
    # P1 and P2 (18 t) do not both fit F1 (12 t): one goes to F2 or stays.
    placed = {p["parcel"]: p["farm"] for p in run.result["placements"]}
    assert placed["gemeente-a:P3"] == "F2"
    table = selectors.settlement_table(run=run, user=agri.coordinator)
    assert table.balanced
    fees = sum(Decimal(repr(p["tonnes"])) for p in run.result["placements"]) * Decimal(
        "32.50"
    )
    assert table.fees == fees.quantize(Decimal("0.01"))
    # F2 is no member: the whole result goes to F1.
    shares = {r.party: r.share for r in table.farms}
    assert shares["F2"] == 0 and shares["F1"] == table.result


def test_split_run_fills_f1_to_capacity(agri: Any, tmp_path: Path) -> None:
    _setup(agri, tmp_path)
    set_tariffs(agri.season)
    run = services.allocation_run(actor=None, season=agri.season, mode="split")
    loads = {f["farm"]: f["tonnes"] for f in run.result["farms"]}
    assert loads["F1"] == pytest.approx(12.0)
    assert run.placed_tonnes + run.unplaced_tonnes == pytest.approx(24.0)


def test_statements_follow_the_rules(agri: Any, tmp_path: Path) -> None:
    _setup(agri, tmp_path)
    set_tariffs(agri.season)
    run = services.allocation_run(actor=None, season=agri.season, mode="split")
    kw = {"run": run, "role": "owner", "party": "gemeente-a"}
    assert selectors.statement_of(user=agri.town_editor, **kw) is not None
    assert selectors.statement_of(user=agri.board_editor, **kw) is None
    assert selectors.statement_of(user=agri.member, **kw) is None
    assert selectors.statement_of(user=agri.coordinator, **kw) is not None
    _s, st, name = selectors.statement_of(user=agri.town_editor, **kw)
    csv = services.statement_csv(_s, st, name)
    assert csv.splitlines()[0] == "season,party,role,description,quantity,unit,eur"
    assert csv.splitlines()[-1].startswith("2026,Gemeente A,owner,total,,,")
    coop = {"run": run, "role": "cooperative", "party": "cooperative"}
    assert selectors.statement_of(user=agri.town_editor, **coop) is None
    table = selectors.settlement_table(run=run, user=agri.town_editor)
    assert [r.party for r in table.owners] == ["gemeente-a"] and table.farms == []
    assert not table.full


def test_split_run_equals_pulp_cbc_on_the_same_lp(agri: Any, tmp_path: Path) -> None:
    """The stored split run's cost equals the transportation LP solved by an
    independent solver (PuLP with CBC)."""
    pulp = pytest.importorskip("pulp")
    _setup(agri, tmp_path)
    set_tariffs(agri.season)
    run = services.allocation_run(actor=None, season=agri.season, mode="split")
    parcels, farm_list = services.runs.engine_input(agri.season)
    model = pulp.LpProblem("split", pulp.LpMinimize)
    x, cost = {}, []
    for p in parcels:
        for f in farm_list:
            d = float(haversine_km(p.lat, p.lon, f.lat, f.lon)) * 1.3
            if d <= 5.0:
                x[p.id, f.id] = pulp.LpVariable(f"x_{len(x)}", lowBound=0)
                cost.append(x[p.id, f.id] * d * 0.35)
    u = {p.id: pulp.LpVariable(f"u_{i}", lowBound=0) for i, p in enumerate(parcels)}
    model += pulp.lpSum(cost) + pulp.lpSum(
        u[p.id] * p.alternative_eur_per_t for p in parcels
    )
    for p in parcels:
        model += (
            pulp.lpSum(v for (pid, _f), v in x.items() if pid == p.id) + u[p.id]
            == p.tonnes
        )
    for f in farm_list:
        model += (
            pulp.lpSum(v for (_p, fid), v in x.items() if fid == f.id) <= f.capacity_t
        )
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    assert pulp.LpStatus[model.status] == "Optimal"
    assert run.result["total_eur"] == pytest.approx(
        pulp.value(model.objective), abs=1e-6
    )
