# SPDX-License-Identifier: EUPL-1.2
"""The craft-centres API on the tiny world of ``conftest``: who may read and write
every endpoint, the stored networks and their comparison, problem details for bad
input (a reusable share outside 0-100 %, no source, an unknown scenario)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from cirkelregio.craftcentres.models import CentreSite, NetworkScenario
from cirkelregio.craftcentres.services import scenario_create, scenario_run
from cirkelregio.craftcentres.tests.conftest import World, scenario_values
from cirkelregio.jobs.models import Job
from cirkelregio.jobs.tests.respond_async import PREFER, accepted_job, result_of

PROBLEM = "application/problem+json"
BASE = "/api/v1/craftcentres"


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def scenarios(world: World) -> tuple[NetworkScenario, NetworkScenario]:
    public = scenario_create(actor=None, **scenario_values(is_published=True))
    hidden = scenario_create(actor=None, **scenario_values(name="Hidden"))
    scenario_run(actor=None, scenario=public)
    scenario_run(actor=None, scenario=hidden)
    return public, hidden


@pytest.mark.parametrize("who", ["anonymous", "editor_other", "editor_m1"])
def test_the_public_reads_published_scenarios_only(
    world: World, scenarios: Any, who: str
) -> None:
    public, hidden = scenarios
    client = _client(world.users()[who])
    listed = client.get(f"{BASE}/scenarios/").json()
    assert [s["id"] for s in listed] == [public.pk]
    assert listed[0]["solved_p"] == [1, 2]
    assert client.get(f"{BASE}/scenarios/{hidden.pk}/").status_code == 404
    assert client.get(f"{BASE}/scenarios/{hidden.pk}/results/").status_code == 404
    response = client.get(f"{BASE}/comparison/", {"scenario": hidden.pk})
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert client.get(f"{BASE}/sites/").status_code == 200
    assert client.get(f"{BASE}/municipalities/").status_code == 200


def test_coordinators_read_every_scenario(world: World, scenarios: Any) -> None:
    client = _client(world.coordinator)
    assert len(client.get(f"{BASE}/scenarios/").json()) == 2
    rows = client.get(
        f"{BASE}/comparison/", {"scenario": [scenarios[1].pk, scenarios[0].pk]}
    ).json()
    assert [(r["scenario"], r["p"]) for r in rows] == [
        (scenarios[1].pk, 1),
        (scenarios[1].pk, 2),
        (scenarios[0].pk, 1),
        (scenarios[0].pk, 2),
    ]


def test_results_are_the_stored_engine_results(world: World, scenarios: Any) -> None:
    public = scenarios[0]
    body = _client().get(f"{BASE}/scenarios/{public.pk}/results/").json()
    assert [r["p"] for r in body] == [1, 2]
    assert body[1]["result"] == public.results.get(p=2).data
    networks = _client().get(f"{BASE}/scenarios/{public.pk}/networks/").json()
    assert networks[1]["harvestable_tonnes_per_centre"] == [
        pytest.approx(43.8),
        pytest.approx(20.0),
    ]
    assert networks[0]["centres"][0]["municipalities"] == ["Eerstedorp", "Tweestad"]


def test_municipality_figures(world: World, scenarios: Any) -> None:
    rows = {
        r["municipality"]: r for r in _client().get(f"{BASE}/municipalities/").json()
    }
    assert rows["GM9002"]["bulky_waste_tonnes"] == 200.0
    assert rows["GM9002"]["centre"] == "B"
    assert rows["GM9001"]["kg_per_inhabitant"] == 146.0
    assert rows["GM9001"]["centre"] == "A"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("editor_m1", 403), ("editor_other", 403)],
)
def test_only_coordinators_run_scenarios(world: World, who: str, status: int) -> None:
    response = _client(world.users()[who]).post(
        f"{BASE}/scenarios/", scenario_values(), format="json"
    )
    # Anonymous: 401 or 403, as DRF answers without an authentication challenge.
    assert response.status_code == status or (
        status == 401 and response.status_code == 403
    )
    assert response["Content-Type"] == PROBLEM
    assert not NetworkScenario.objects.exists()


def test_a_coordinator_runs_a_scenario(world: World) -> None:
    response = _client(world.coordinator).post(
        f"{BASE}/scenarios/",
        {**scenario_values(), "sites": [world.a.pk, world.b.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["solved_p"] == [1, 2]
    assert response.json()["kg_source"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reusable_percent": 101}, "reusable_percent"),
        ({"reusable_source": ""}, "reusable_source"),
        ({"sites": [999]}, "sites"),
    ],
)
def test_bad_scenarios_are_problem_details(
    world: World, overrides: dict, field: str
) -> None:
    response = _client(world.coordinator).post(
        f"{BASE}/scenarios/", {**scenario_values(), **overrides}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert field in str(response.json())
    assert not NetworkScenario.objects.exists()


def test_sites_are_proposed_by_the_municipality_editors(world: World) -> None:
    site = {"name": "C", "municipality": "GM9001", "postcode": "9002"}
    assert _client().post(f"{BASE}/sites/", site, format="json").status_code in (
        401,
        403,
    )
    assert (
        _client(world.editor_other)
        .post(f"{BASE}/sites/", site, format="json")
        .status_code
        == 403
    )
    other = {**site, "municipality": "GM9002"}
    response = _client(world.editor_m1).post(f"{BASE}/sites/", other, format="json")
    assert response.status_code == 403
    response = _client(world.editor_m1).post(f"{BASE}/sites/", site, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["lat"], created["lon"], created["kind"]) == (52.0, 5.1, "candidate")
    # The editor changes their own proposal, not the coordinators' sites.
    editor = _client(world.editor_m1)
    assert (
        editor.patch(
            f"{BASE}/sites/{created['id']}/", {"notes": "x"}, format="json"
        ).status_code
        == 200
    )
    assert (
        editor.patch(
            f"{BASE}/sites/{world.a.pk}/", {"notes": "x"}, format="json"
        ).status_code
        == 403
    )
    assert editor.delete(f"{BASE}/sites/{created['id']}/").status_code == 204
    assert not CentreSite.objects.filter(name="C").exists()


# Prefer: respond-async: the run as a background job (202), the same checks.

SCENARIOS = f"{BASE}/scenarios/"


def test_a_scenario_solved_by_a_job(world: World) -> None:
    client = _client(world.coordinator)
    response = client.post(
        SCENARIOS,
        {**scenario_values(), "sites": [world.a.pk, world.b.pk]},
        format="json",
        **PREFER,
    )
    job = accepted_job(response, "craftcentres.scenario")
    scenario = NetworkScenario.objects.get()
    assert job.parameters == {"scenario": scenario.pk}
    record = result_of(client, response, f"{SCENARIOS}{scenario.pk}/")
    assert record["id"] == scenario.pk and record["solved_p"] == [1, 2]


def test_without_the_header_the_scenario_is_solved_in_the_request(
    world: World,
) -> None:
    response = _client(world.coordinator).post(
        SCENARIOS, scenario_values(), format="json"
    )
    assert response.status_code == 201
    assert response.json()["solved_p"] == [1, 2]
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"reusable_percent": 101}, "reusable_percent"), ({"sites": [999]}, "sites")],
)
def test_bad_input_is_refused_before_a_job(
    world: World, overrides: dict, field: str
) -> None:
    response = _client(world.coordinator).post(
        SCENARIOS, {**scenario_values(), **overrides}, format="json", **PREFER
    )
    assert response.status_code == 400
    assert field in str(response.json())
    assert not Job.objects.exists() and not NetworkScenario.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "editor_m1", "editor_other"])
def test_others_may_not_queue_a_scenario(world: World, who: str) -> None:
    response = _client(world.users()[who]).post(
        SCENARIOS, scenario_values(), format="json", **PREFER
    )
    assert response.status_code in (401, 403)
    assert not Job.objects.exists() and not NetworkScenario.objects.exists()
