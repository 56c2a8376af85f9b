# SPDX-License-Identifier: EUPL-1.2
"""The exchange API: who may do what (a small matrix), listing filters (the near
filter against a count worked out here with its own haversine), match runs and the
proposal workflow, and problem details."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from rest_framework.test import APIClient

from cirkelregio.exchange import services
from cirkelregio.exchange.models import Listing, ListingStatus, MatchRun, MaterialClass
from cirkelregio.exchange.tests.conftest import Exchange
from cirkelregio.jobs.models import Job
from cirkelregio.jobs.tests.respond_async import PREFER, accepted_job, result_of

pytestmark = pytest.mark.django_db

API = "/api/v1/exchange"
PROBLEM = "application/problem+json"


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _users(x: Exchange) -> dict[str, Any]:
    return {
        "anonymous": None,
        "outsider": x.outsider,
        "editor_a": x.editor_a,
        "coordinator": x.coordinator,
    }


MATERIAL = {
    "code": "nieuw",
    "name_nl": "Nieuw",
    "unit": "m",
    "tonnes_per_unit": 0.1,
    "new_cost_eur": 1,
    "new_cost_source": "test",
    "new_mki_eur": 1,
    "new_mki_source": "test",
    "disposal_cost_eur": 1,
    "disposal_cost_source": "test",
}


@pytest.mark.parametrize(
    ("who", "material", "listing_of_a", "run"),
    [
        ("anonymous", 403, 403, 403),
        ("outsider", 403, 403, 403),
        ("editor_a", 403, 201, 403),
        ("coordinator", 201, 201, 201),
    ],
)
def test_permission_matrix(
    exchange: Exchange, who: str, material: int, listing_of_a: int, run: int
) -> None:
    client = _client(_users(exchange)[who])
    r = client.post(f"{API}/materials/", MATERIAL, format="json")
    assert r.status_code == material, r.content
    r = client.post(
        f"{API}/listings/",
        {
            "listing_kind": "supply",
            "owner": "org-a",
            "project_name": "Test",
            "material": "bss",
            "quantity": 5,
            "lat": 52.1,
            "lon": 5.1,
            "window_from": "2026-03-02",
            "window_until": "2026-03-20",
        },
        format="json",
    )
    assert r.status_code == listing_of_a, r.content
    r = client.post(f"{API}/match-runs/", {}, format="json")
    assert r.status_code == run, r.content
    if r.status_code >= 400:
        assert r["Content-Type"] == PROBLEM
    # Everyone reads the catalogue and the open listings.
    assert client.get(f"{API}/materials/").status_code == 200
    assert client.get(f"{API}/listings/").status_code == 200


def test_editor_changes_only_own_listings(exchange: Exchange) -> None:
    client = _client(exchange.editor_b)
    url = f"{API}/listings/{exchange.s1.pk}/"
    assert client.patch(url, {"quantity": 1}, format="json").status_code == 403
    r = _client(exchange.editor_a).patch(url, {"quantity": 90}, format="json")
    assert r.status_code == 200 and r.json()["quantity"] == 90
    r = _client(exchange.editor_a).patch(
        url, {"window_until": "2020-01-01"}, format="json"
    )
    assert r.status_code == 400
    assert r["Content-Type"] == PROBLEM
    assert [p["name"] for p in r.json()["invalid_params"]] == ["window_until"]


def test_unpublished_and_closed_listings_are_hidden(exchange: Exchange) -> None:
    Listing.objects.filter(pk=exchange.d1.pk).update(is_published=False)
    Listing.objects.filter(pk=exchange.d2.pk).update(status=ListingStatus.CLOSED)
    ids = {x["id"] for x in _client().get(f"{API}/listings/").json()["results"]}
    assert ids == {exchange.s1.pk}
    ids = {
        x["id"]
        for x in _client(exchange.editor_b).get(f"{API}/listings/").json()["results"]
    }
    assert ids == {exchange.s1.pk, exchange.d1.pk, exchange.d2.pk}


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_listing_filters(mki_demo: Any, demo_dir: Any) -> None:
    services.exchange_demo_load(directory=demo_dir / "exchange")
    client = _client()

    def ids(query: str) -> set[int]:
        r = client.get(f"{API}/listings/?page_size=1000&{query}")
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["count"] == len(body["results"])
        return {x["id"] for x in body["results"]}

    everything = list(Listing.objects.all())
    assert len(ids("kind=supply")) == 40
    assert ids("kind=demand") == {x.pk for x in everything if x.kind == "demand"}
    assert ids("material=tegel-30x30") == {
        x.pk for x in everything if x.material.code == "tegel-30x30"
    }
    assert ids("municipality=GM0344") == {
        x.pk for x in everything if x.municipality.cbs_code == "GM0344"
    }
    start, until = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    assert ids("available_from=2026-06-01&available_until=2026-06-30") == {
        x.pk for x in everything if x.window_until >= start and x.window_from <= until
    }
    for lat, lon, radius in ((52.09, 5.12, 10.0), (52.17, 5.38, 25.0), (52.0, 5.0, 0)):
        expected = {
            x.pk for x in everything if _haversine(lat, lon, x.lat, x.lon) <= radius
        }
        assert ids(f"near={lat},{lon}&radius_km={radius}") == expected
    assert 0 < len(ids("near=52.09,5.12&radius_km=10")) < 80
    for bad in (
        "near=52,5",
        "radius_km=5",
        "near=x&radius_km=5",
        "near=95,5&radius_km=1",
    ):
        r = client.get(f"{API}/listings/?{bad}")
        assert r.status_code == 400, bad
        assert r["Content-Type"] == PROBLEM


def test_match_run_and_workflow_through_the_api(exchange: Exchange) -> None:
    r = _client(exchange.coordinator).post(
        f"{API}/match-runs/", {"mki_weight": 1.0}, format="json"
    )
    assert r.status_code == 201, r.content
    run = r.json()
    assert run["run_status"] == "succeeded"
    assert len(run["flows"]) == 3
    # An involved editor sees the flows that concern their organisation.
    detail = _client(exchange.editor_a).get(f"{API}/match-runs/{run['id']}/").json()
    assert {f["flow_kind"] for f in detail["flows"]} == {"direct", "to_depot"}
    assert _client().get(f"{API}/match-runs/{run['id']}/").json()["flows"] == []
    assert _client(exchange.outsider).get(f"{API}/proposals/").json()["count"] == 0
    mine = _client(exchange.editor_b).get(f"{API}/proposals/").json()["results"]
    assert {p["flow_kind"] for p in mine} == {"direct", "from_depot"}
    direct = next(p for p in mine if p["flow_kind"] == "direct")
    url = f"{API}/proposals/{direct['id']}"
    assert _client(exchange.outsider).post(f"{url}/accept/").status_code == 404
    r = _client(exchange.editor_b).post(f"{url}/accept/", {}, format="json")
    assert r.json()["proposal_status"] == "accepted"
    r = _client(exchange.editor_a).post(f"{url}/accept/", {}, format="json")
    assert r.json()["proposal_status"] == "reserved"
    r = _client(exchange.editor_a).post(f"{url}/advance/")
    assert r.json()["proposal_status"] == "transported"
    r = _client(exchange.editor_b).post(f"{url}/advance/")
    assert r.json()["proposal_status"] == "placed"
    r = _client(exchange.editor_b).post(f"{url}/advance/")
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    savings = _client().get(f"{API}/match-runs/{run['id']}/savings/").json()
    assert savings["totals"]["savings_eur"] == pytest.approx(run["savings_eur"])
    assert "CO2" in savings["co2_note"]
    stock = _client().get(f"{API}/depots/{exchange.depot.pk}/stock/")
    assert stock.status_code == 200 and stock.json() == []


def test_bad_parameters_are_problem_details(exchange: Exchange) -> None:
    r = _client(exchange.coordinator).post(
        f"{API}/match-runs/", {"detour_factor": 0}, format="json"
    )
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    assert MaterialClass.objects.count() == 1


# Prefer: respond-async: the run as a background job (202), the same checks.

RUNS = f"{API}/match-runs/"


def test_a_match_run_as_a_job(exchange: Exchange) -> None:
    client = _client(exchange.coordinator)
    response = client.post(RUNS, {"mki_weight": 1.0}, format="json", **PREFER)
    job = accepted_job(response, "exchange.match_run")
    assert job.parameters == {"parameters": {"mki_weight": 1.0}}
    assert job.created_by == exchange.coordinator
    run = MatchRun.objects.get()
    record = result_of(client, response, f"{RUNS}{run.pk}/")
    assert record["id"] == run.pk and record["run_status"] == "succeeded"
    assert len(record["flows"]) == 3


def test_without_the_header_the_run_is_made_in_the_request(exchange: Exchange) -> None:
    response = _client(exchange.coordinator).post(RUNS, {}, format="json")
    assert response.status_code == 201
    assert "Preference-Applied" not in response
    assert response.json()["id"] == MatchRun.objects.get().pk
    assert not Job.objects.exists()


def test_bad_input_is_refused_before_a_job(exchange: Exchange) -> None:
    response = _client(exchange.coordinator).post(
        RUNS, {"detour_factor": 0}, format="json", **PREFER
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not Job.objects.exists() and not MatchRun.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "editor_a"])
def test_others_may_not_queue_a_run(exchange: Exchange, who: str) -> None:
    user = None if who == "anonymous" else getattr(exchange, who)
    response = _client(user).post(RUNS, {}, format="json", **PREFER)
    assert response.status_code in (401, 403)
    assert not Job.objects.exists() and not MatchRun.objects.exists()
