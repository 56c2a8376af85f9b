# SPDX-License-Identifier: EUPL-1.2
"""The API of mixture harmonisation runs, substitutions and the asphalt MKI of the
plan, on the plan of ``plan.py`` (figures worked out in test_harmonisation.py and
test_asphalt_mki.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from cirkelregio.jobs.models import Job
from cirkelregio.jobs.tests.respond_async import PREFER, accepted_job, result_of
from cirkelregio.roads.models import HarmonisationRun
from cirkelregio.roads.tests import plan as plan_module
from cirkelregio.roads.tests.conftest import Roads
from cirkelregio.roads.tests.plan import Plan

API = "/api/v1/roads/"
PROBLEM = "application/problem+json"


@pytest.fixture
def plan(roads: Roads) -> Plan:
    return plan_module.build(roads.town, roads.province)


def _client(user: Any = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def test_road_managers_and_coordinators_start_runs(roads: Roads, plan: Plan) -> None:
    for user in (roads.town_editor, roads.coordinator):
        response = _client(user).post(
            API + "harmonisation-runs/", {"year_from": 2027}, format="json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["chosen"] == ["AC 11 surf", "AC 22 bin"]
        assert body["minimum_mixtures"] == 2 and body["status"] == "optimal"
        assert body["mki_after_eur"] == pytest.approx(3944.0)
        assert body["mki_difference_eur"] == pytest.approx(3944.0 - 2146.0)
        assert body["spread_before"]["mixtures"] == 3
    # Everyone reads them.
    listing = _client().get(API + "harmonisation-runs/").json()
    assert listing["count"] == 2
    detail = _client().get(f"{API}harmonisation-runs/{listing['results'][0]['id']}/")
    assert detail.status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "member", "company_editor"])
def test_others_may_not_start_runs(roads: Roads, plan: Plan, who: str) -> None:
    user = None if who == "anonymous" else getattr(roads, who)
    response = _client(user).post(
        API + "harmonisation-runs/", {"year_from": 2027}, format="json"
    )
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith(PROBLEM)


@pytest.mark.parametrize(
    "body, field, text",
    [
        ({"year_from": 2027, "k": 1}, "k", "at least 2 are needed"),
        ({"year_from": 2028, "year_to": 2027}, "year_to", "cannot end before"),
        ({"year_from": 2027, "authorities": ["nowhere"]}, "authority", "nowhere"),
        ({"year_from": 2027, "families": ["brick"]}, "families", "brick"),
        ({}, "year_from", ""),
    ],
)
def test_bad_input_is_problem_details(
    roads: Roads, plan: Plan, body: dict[str, Any], field: str, text: str
) -> None:
    response = _client(roads.coordinator).post(
        API + "harmonisation-runs/", body, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    assert field in response.content.decode()
    assert text in response.content.decode()


def test_a_layer_nothing_may_serve_names_work_and_layer(
    roads: Roads, plan: Plan
) -> None:
    from cirkelregio.roads.models import MixtureSubstitution

    MixtureSubstitution.objects.filter(required__code="AC 22 base").delete()
    response = _client(roads.coordinator).post(
        API + "harmonisation-runs/", {"year_from": 2027}, format="json"
    )
    assert response.status_code == 400
    assert "Work W2 of provincie-x, layer 1 (AC 22 base)" in response.content.decode()


def test_substitutions_listed(plan: Plan) -> None:
    body = _client().get(API + "substitutions/").json()
    pairs = {(s["required"], s["serving"]): s["over_spec_eur_per_tonne"] for s in body}
    assert pairs == {
        ("AC 16 bin", "AC 11 surf"): 6.0,
        ("AC 16 bin", "AC 22 bin"): 2.0,
        ("AC 22 base", "AC 22 bin"): 3.0,
    }


def test_mki_of_the_plan(plan: Plan) -> None:
    body = _client().get(API + "mki/", {"authority": "gemeente-a", "year": 2027}).json()
    (row,) = body["rows"]
    assert (row["authority"], row["year"], row["works"]) == ("gemeente-a", 2027, 1)
    assert row["mki_eur"] == pytest.approx(
        {"planned": 2146.0, "pr": 1798.0, "low_temperature": 2030.0}
    )
    one = _client().get(API + "mki/", {"variant": "pr", "pr_percent": 30}).json()
    assert one["variants"] == ["pr"] and one["pr_percent"] == 30.0
    rows = {(r["authority"], r["year"]): r for r in one["rows"]}
    assert rows[("gemeente-a", 2027)]["mki_eur"] == {"pr": pytest.approx(1914.0)}
    assert rows[("provincie-x", 2027)]["unknown_layers"] == {"pr": 1}


@pytest.mark.parametrize(
    "query", [{"variant": "cold"}, {"pr_percent": 150}, {"authority": "nowhere"}]
)
def test_mki_bad_input(plan: Plan, query: dict[str, Any]) -> None:
    response = _client().get(API + "mki/", query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)


# Prefer: respond-async: the run as a background job (202), the same checks.

RUNS = API + "harmonisation-runs/"


def test_a_harmonisation_run_as_a_job(roads: Roads, plan: Plan) -> None:
    client = _client(roads.town_editor)
    response = client.post(RUNS, {"year_from": 2027}, format="json", **PREFER)
    job = accepted_job(response, "roads.harmonisation")
    assert job.parameters["year_from"] == job.parameters["year_to"] == 2027
    assert job.parameters["k"] is None and job.parameters["authorities"] == []
    assert job.created_by == roads.town_editor
    run = HarmonisationRun.objects.get()
    record = result_of(client, response, f"{RUNS}{run.pk}/")
    assert record["chosen"] == ["AC 11 surf", "AC 22 bin"]
    assert record["status"] == "optimal"


def test_without_the_header_the_run_is_made_in_the_request(
    roads: Roads, plan: Plan
) -> None:
    response = _client(roads.coordinator).post(RUNS, {"year_from": 2027}, format="json")
    assert response.status_code == 201
    assert response.json()["id"] == HarmonisationRun.objects.get().pk
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year_from": 2028, "year_to": 2027}, "year_to"),
        ({"year_from": 2027, "authorities": ["nowhere"]}, "authority"),
        ({}, "year_from"),
    ],
)
def test_bad_input_is_refused_before_a_job(
    roads: Roads, plan: Plan, body: dict[str, Any], field: str
) -> None:
    response = _client(roads.coordinator).post(RUNS, body, format="json", **PREFER)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "company_editor"])
def test_others_may_not_queue_a_run(roads: Roads, plan: Plan, who: str) -> None:
    user = None if who == "anonymous" else getattr(roads, who)
    response = _client(user).post(RUNS, {"year_from": 2027}, format="json", **PREFER)
    assert response.status_code in (401, 403)
    assert not Job.objects.exists() and not HarmonisationRun.objects.exists()
