# SPDX-License-Identifier: EUPL-1.2
"""Scenarios: the stored networks equal a direct engine call; the comparison and
the municipality figures, pinned by hand on the tiny world of ``conftest``;
validation of the parameters with clear messages; the sites import all or nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.craftcentres import selectors
from cirkelregio.craftcentres.models import CentreSite, NetworkScenario
from cirkelregio.craftcentres.services import (
    DataLoadError,
    engine_input,
    remaining_p,
    scenario_create,
    scenario_run,
    scenario_step,
    site_create,
    sites_import,
)
from cirkelregio.craftcentres.tests.conftest import World, scenario_values
from cirkelregio.engine.craftcentres import plan

# Haversine (R = 6371.0088 km) by hand: 9001-9002 6.84585 km, 9001-9003 23.26435
# km, 9002-9003 22.23902 km; detour factor 1.
D12, D13 = 6.845852, 23.264349


def test_stored_results_equal_a_direct_engine_call(world: World) -> None:
    scenario = scenario_create(actor=None, **scenario_values(model="coverage"))
    assert remaining_p(scenario) == [1, 2]
    assert scenario_step(actor=None, scenario=scenario) == 1
    assert remaining_p(scenario) == [2]
    scenario_run(actor=None, scenario=scenario)
    assert remaining_p(scenario) == []
    assert scenario_step(actor=None, scenario=scenario) is None
    points, sites, params = engine_input(scenario)
    assert [p.id for p in points] == ["9001", "9002", "9003"]
    direct = plan(points, sites, [1, 2], "coverage", params, harvest=True)
    stored = [r.data for r in scenario.results.order_by("p")]
    assert stored == [r.to_dict() for r in direct]
    assert scenario.finished_at is not None


def test_comparison_figures_pinned_by_hand(world: World) -> None:
    scenario = scenario_create(actor=None, **scenario_values())
    scenario_run(actor=None, scenario=scenario)
    one, two = selectors.network_rows([scenario])
    a, b = str(world.a.pk), str(world.b.pk)
    # p = 1: A (person-km 2000 x 6.846 + 1000 x 23.264 = 36,956) beats B.
    assert one["p"] == 1 and [c["site"] for c in one["centres"]] == [a]
    assert one["coverage_pct"] == pytest.approx(75.0)  # 9001 and 9002 within 10 km
    assert one["average_distance_km"] == pytest.approx(
        (2000 * D12 + 1000 * D13) / 4000, abs=1e-5
    )
    assert one["max_distance_km"] == pytest.approx(D13, abs=1e-5)
    # 3,000 x 146 kg (M1, CBS default) + 1,000 x 200 kg (M2, entered) = 638 t.
    assert one["bulky_waste_tonnes"] == pytest.approx(638.0)
    assert one["harvestable_tonnes_per_centre"] == [pytest.approx(63.8)]
    assert one["centres"][0]["municipalities"] == ["Eerstedorp", "Tweestad"]
    assert one["municipalities_per_centre"] == [2]
    # p = 2: A serves M1 (438 t), B serves M2 (200 t).
    assert [c["site"] for c in two["centres"]] == [a, b]
    assert two["coverage_pct"] == pytest.approx(100.0)
    assert two["average_distance_km"] == pytest.approx(2000 * D12 / 4000, abs=1e-5)
    assert two["harvestable_tonnes_per_centre"] == [
        pytest.approx(43.8),
        pytest.approx(20.0),
    ]
    assert two["municipalities_per_centre"] == [1, 1]
    assert [c["population_served"] for c in two["centres"]] == [3000, 1000]


def test_municipality_figures(world: World) -> None:
    scenario = scenario_create(actor=None, **scenario_values(is_published=True))
    scenario_run(actor=None, scenario=scenario)
    m1, m2 = selectors.municipality_networks(municipalities=[world.m1, world.m2])
    assert m1.rate.kg_per_inhabitant == 146.0 and m1.rate.tonnes == 438.0
    assert m1.rate.source_kind == "default"
    assert m2.rate.tonnes == 200.0 and m2.rate.source == "test figure"
    assert m2.harvestable_tonnes == pytest.approx(20.0)
    # Without chosen_p, the network with the most centres (p = 2) is shown.
    assert m1.p == 2 and m1.centre is not None and m1.centre["name"] == "A"
    assert m2.centre is not None and m2.centre["name"] == "B"


def test_a_scenario_that_is_not_published_is_not_current(world: World) -> None:
    scenario_run(actor=None, scenario=scenario_create(actor=None, **scenario_values()))
    (m1,) = selectors.municipality_networks(municipalities=[world.m1])
    assert m1.scenario is None and m1.centre is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"reusable_percent": 150.0},
            "reusable_percent",
            "between 0 and 100 % (got 150)",
        ),
        (
            {"reusable_percent": -1.0},
            "reusable_percent",
            "between 0 and 100 % (got -1)",
        ),
        ({"reusable_source": ""}, "reusable_source", "Give the source"),
        ({"p_values": [3]}, "p_values", "more than the 2 candidate sites"),
        ({"p_values": "0-2"}, "p_values", "from 1 to"),
        ({"model": "median"}, "model", "Choose one of"),
        ({"coverage_km": 0.0}, "coverage_km", "more than 0"),
        ({"detour_factor": 0.5}, "detour_factor", "from 1 to 3"),
        ({"name": ""}, "name", "name"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(
    world: World, overrides: dict, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        scenario_create(actor=None, **scenario_values(**overrides))
    assert message in " ".join(caught.value.message_dict[field])
    assert not NetworkScenario.objects.exists()


def test_without_a_reusable_share_the_harvest_is_unknown(world: World) -> None:
    scenario = scenario_create(
        actor=None, **scenario_values(reusable_percent=None, reusable_source="")
    )
    scenario_run(actor=None, scenario=scenario)
    row = selectors.network_rows([scenario])[0]
    assert row["harvestable_tonnes"] is None
    assert row["bulky_waste_tonnes"] == pytest.approx(638.0)


def test_only_coordinators_plan(world: World) -> None:
    for user in (world.editor_m1, world.editor_other):
        with pytest.raises(PermissionDenied):
            scenario_create(actor=user, **scenario_values())
    assert scenario_create(actor=world.coordinator, **scenario_values()).pk


def test_editors_propose_candidates_in_their_own_municipality(world: World) -> None:
    site = site_create(
        actor=world.editor_m1, name="C", municipality=world.m1, postcode="9002"
    )
    assert (site.lat, site.lon, site.location_from_postcode) == (52.0, 5.1, True)
    with pytest.raises(PermissionDenied):
        site_create(
            actor=world.editor_m1, name="D", municipality=world.m2, postcode="9003"
        )
    with pytest.raises(PermissionDenied):
        site_create(
            actor=world.editor_m1,
            name="E",
            municipality=world.m1,
            postcode="9001",
            kind="existing",
            source="x",
        )
    with pytest.raises(PermissionDenied):
        site_create(
            actor=world.editor_other, name="F", municipality=world.m1, postcode="9001"
        )


def test_an_existing_centre_needs_its_source(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        site_create(
            actor=None,
            name="X",
            municipality=world.m1,
            postcode="9001",
            kind="existing",
        )
    assert "source" in caught.value.message_dict


GOOD = (
    "name,municipality,kind,lat,lon,postcode\n"
    "C,GM9001,candidate,52.01,5.02,\n"
    "A,GM9001,candidate,,,9002\n"
)


def test_sites_import_is_all_or_nothing(world: World) -> None:
    bad = GOOD + "D,GM9999,candidate,52.0,5.0,\nE,GM9002,shop,60.0,5.0,\n"
    with pytest.raises(DataLoadError) as caught:
        sites_import(actor=None, content=bad.encode(), file_name="sites.csv")
    problems = {(p.line, p.field) for p in caught.value.problems}
    assert (4, "municipality") in problems
    assert (5, "kind") in problems and (5, "lat") in problems
    assert str(caught.value.problems[0]).startswith("sites.csv, line 4")
    assert CentreSite.objects.count() == 2
    assert CentreSite.objects.get(name="A").lat == 52.0  # unchanged
    report = sites_import(actor=None, content=GOOD.encode(), file_name="sites.csv")
    assert (report.created, report.updated) == (1, 1)
    assert CentreSite.objects.get(name="A").lon == 5.1  # moved to PC4 9002
    again = sites_import(actor=None, content=GOOD.encode(), file_name="sites.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_an_editor_imports_only_in_their_municipality(world: World) -> None:
    with pytest.raises(DataLoadError) as caught:
        sites_import(
            actor=world.editor_m1,
            content=b"name,municipality,postcode\nZ,GM9002,9003\n",
        )
    assert caught.value.problems[0].field == "municipality"
    assert not CentreSite.objects.filter(name="Z").exists()
