# SPDX-License-Identifier: EUPL-1.2
"""The demo: a stored run equals a direct engine call, the settlement balances to
the cent, and loading again changes nothing."""

from __future__ import annotations

from typing import Any

from cirkelregio.agricycling import selectors, services
from cirkelregio.agricycling.models import AllocationRun, MowingParcel
from cirkelregio.engine.agricycling import allocation as engine
from cirkelregio.engine.agricycling.settlement import settle


def test_the_demo_loads_and_its_run_equals_a_direct_engine_call(demo: Any) -> None:
    run = AllocationRun.objects.get(pk=demo.run)
    assert run.is_demo and run.mode == "split"
    parcels, farms = services.runs.engine_input(run.season)
    assert len(parcels) == MowingParcel.objects.count() == 12
    direct = engine.allocate(
        parcels,
        farms,
        engine.Parameters(
            transport_eur_per_tkm=0.35, max_distance_km=5.0, detour_factor=1.3
        ),
        mode="split",
    ).to_dict()
    stored = dict(run.result)
    for d in (direct, stored):
        d.pop("stats", None)
    assert stored == direct
    # The N229 verge near Wijk bij Duurstede has no farm within 5 km.
    unplaced = {u["parcel"]: u["reason"] for u in run.result["unplaced"]}
    assert unplaced["provincie-utrecht:P-03"] == "no_farm_within_distance"


def test_the_demo_settlement_balances_to_the_cent(demo: Any) -> None:
    run = AllocationRun.objects.get(pk=demo.run)
    s = services.run_settlement(run)
    assert sum(o.cents for o in s.owners) == s.fees_cents
    assert sum(f.cents for f in s.farms) == s.composting_cents
    assert sum(t.cents for t in s.transport) == s.transport_cents
    assert sum(x.cents for x in s.shares) == s.result_cents
    # Owners pay = transport + composting + the members' shares (value to the farm).
    assert s.fees_cents == s.transport_cents + s.composting_cents + s.result_cents
    # Hand check: 32.50 EUR/t fee on the placed tonnes, rounded half up once.
    placed = sum(p["tonnes"] for p in run.result["placements"])
    assert s.fees_cents == round(placed * 3250)
    # The non-member farm gets no share.
    shares = {x.party: x.cents for x in s.shares}
    assert shares["Zorgboerderij Proefakker (demo)"] == 0
    # Without the member key the engine would have shared with it too.
    assert settle(run.result, services.runs.engine_tariffs(run.season.tariffs)).shares
    table = selectors.settlement_table(run=run, user=None)
    assert table.balanced


def test_loading_the_demo_again_changes_nothing(demo: Any) -> None:
    before = MowingParcel.objects.count(), AllocationRun.objects.count()
    again = services.agricycling_demo_load(directory=services_demo_dir())
    assert again.run is None
    assert (MowingParcel.objects.count(), AllocationRun.objects.count()) == before


def services_demo_dir() -> Any:
    from cirkelregio.agricycling.tests.conftest import DEMO

    return DEMO
