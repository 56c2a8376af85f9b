# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling API: permissions on every endpoint, problem details, the file
allocation and the public view without personal data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

import pytest
from rest_framework.test import APIClient

from cirkelregio.agricycling import services
from cirkelregio.agricycling.models import AllocationRun, Farm, MowingParcel, Tariffs
from cirkelregio.agricycling.tests.conftest import set_tariffs
from cirkelregio.agricycling.tests.test_runs import _setup
from cirkelregio.engine.agricycling.allocation import (
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_MAX_DISTANCE_KM,
    allocate,
)
from cirkelregio.engine.agricycling.cli import read_input
from cirkelregio.jobs.models import Job
from cirkelregio.jobs.tests.respond_async import PREFER, accepted_job, result_of

BASE = "/api/v1/agricycling/"
EXAMPLE = (
    Path(settings.REPO_DIR)
    / "data"
    / "examples"
    / "agricycling"
    / "mowings-example.json"
)


def _client(user: Any = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def ready(agri: Any, tmp_path: Path) -> Any:
    _setup(agri, tmp_path)
    set_tariffs(agri.season)
    agri.run = services.allocation_run(actor=None, season=agri.season)
    return agri


@pytest.mark.parametrize(
    "path", ["seasons/", "parcels/", "farms/", "batches/", "tariffs/", "runs/"]
)
def test_everyone_reads_the_lists(ready: Any, path: str) -> None:
    assert _client().get(BASE + path).status_code == 200


def test_the_public_sees_farms_without_name_or_exact_location(ready: Any) -> None:
    farm = Farm.objects.get(name="F1")
    body = _client().get(f"{BASE}farms/{farm.pk}/").json()
    assert body["name"] == "Farm in Gemeente A"
    assert (body["lat"], body["lon"]) == (52.01, 5.02)
    assert body["capacities"] == {"2026": 12.0}
    full = _client(ready.coordinator).get(f"{BASE}farms/{farm.pk}/").json()
    assert (full["name"], full["lat"]) == ("F1", 52.012)
    run = _client().get(f"{BASE}runs/{ready.run.pk}/").json()
    assert run["result"] is None
    assert run["composted_by_municipality"] == {"Gemeente A": ready.run.placed_tonnes}
    full_run = _client(ready.coordinator).get(f"{BASE}runs/{ready.run.pk}/").json()
    assert full_run["result"]["mode"] == "split"


def test_only_coordinators_start_runs(ready: Any) -> None:
    body = {"season": "2026", "mode": "whole", "time_limit": 5}
    assert _client().post(f"{BASE}runs/", body, format="json").status_code in (401, 403)
    for who in (ready.town_editor, ready.member):
        assert _client(who).post(f"{BASE}runs/", body, format="json").status_code == 403
    answer = _client(ready.coordinator).post(f"{BASE}runs/", body, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["mode"] == "whole"
    assert AllocationRun.objects.count() == 2


def test_a_run_with_bad_fields_is_problem_details(ready: Any) -> None:
    answer = _client(ready.coordinator).post(
        f"{BASE}runs/", {"season": "1999", "max_distance_km": -1}, format="json"
    )
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in answer.json()["invalid_params"]}
    assert names == {"season", "max_distance_km"}


def test_settlement_and_statements_per_party(ready: Any) -> None:
    url = f"{BASE}runs/{ready.run.pk}/"
    full = _client(ready.coordinator).get(url + "settlement/").json()
    assert full["full"] and full["balanced"]
    assert [o["party"] for o in full["owners"]] == ["gemeente-a"]
    public = _client().get(url + "settlement/").json()
    assert public["owners"] == [] and public["farms"] == []
    assert public["fees"] == full["fees"]
    own = _client(ready.town_editor).get(url + "statements/owner/gemeente-a/")
    assert own.status_code == 200
    assert own.json()["total_eur"] == full["owners"][0]["eur"]
    assert (
        _client(ready.board_editor)
        .get(url + "statements/owner/gemeente-a/")
        .status_code
        == 404
    )
    assert _client().get(url + "statements/cooperative/cooperative/").status_code == 404
    coop = _client(ready.coordinator).get(url + "statements/cooperative/cooperative/")
    assert coop.json()["total_eur"] == "0.00"


def test_tariffs_post_for_coordinators(ready: Any) -> None:
    body = {
        "season": "2026",
        "fee_eur_per_t": "30",
        "transport_eur_per_tkm": "0.4",
        "composting_eur_per_t": "20",
        "compost_value_eur_per_t": "5",
        "source": "Members' meeting (test).",
    }
    assert (
        _client(ready.town_editor)
        .post(f"{BASE}tariffs/", body, format="json")
        .status_code
        == 403
    )
    answer = _client(ready.coordinator).post(f"{BASE}tariffs/", body, format="json")
    assert answer.status_code == 201
    missing = dict(body)
    del missing["fee_eur_per_t"]
    bad = _client(ready.coordinator).post(f"{BASE}tariffs/", missing, format="json")
    assert bad.status_code == 400
    assert [p["name"] for p in bad.json()["invalid_params"]] == ["fee_eur_per_t"]


def test_parcel_import_is_all_or_nothing_with_problem_details(ready: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = (
        "external_id,name,geometry,tonnes_per_season\n"
        'N1,n,"LINESTRING (5.01 52.02, 5.02 52.02)",4\nN2,m,,4\n'
    )
    upload = SimpleUploadedFile("p.csv", text.encode())
    answer = _client(ready.town_editor).post(
        f"{BASE}import/parcels/",
        {"file": upload, "owner": "gemeente-a"},
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["line"] == 3
    assert MowingParcel.objects.filter(external_id="N1").count() == 0
    upload = SimpleUploadedFile("p.csv", text.replace("N2,m,,4\n", "").encode())
    ok = _client(ready.town_editor).post(
        f"{BASE}import/parcels/",
        {"file": upload, "owner": "gemeente-a"},
        format="multipart",
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1
    upload = SimpleUploadedFile("p.csv", text.encode())
    other = _client(ready.board_editor).post(
        f"{BASE}import/parcels/",
        {"file": upload, "owner": "gemeente-a"},
        format="multipart",
    )
    assert other.status_code == 403


def test_farm_import_for_coordinators(ready: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload() -> Any:
        return SimpleUploadedFile(
            "f.csv", b"name,lat,lon,capacity_t\nF9,52.03,5.03,0\n"
        )

    assert (
        _client(ready.town_editor)
        .post(
            f"{BASE}import/farms/",
            {"file": upload(), "season": "2026"},
            format="multipart",
        )
        .status_code
        == 403
    )
    answer = _client(ready.coordinator).post(
        f"{BASE}import/farms/", {"file": upload(), "season": "2026"}, format="multipart"
    )
    assert answer.status_code == 400
    assert "must be more than 0 t" in answer.json()["problems"][0]["message"]


def test_allocate_a_file_equals_the_engine_and_stores_nothing(ready: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = AllocationRun.objects.count()
    content = EXAMPLE.read_bytes()
    upload = SimpleUploadedFile("mowings.json", content)
    answer = _client(ready.town_editor).post(
        f"{BASE}allocate/", {"file": upload, "mode": "whole"}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    parcels, farms, params = read_input(EXAMPLE, {})
    direct = allocate(parcels, farms, params, mode="whole", time_limit=20).to_dict()
    body = answer.json()
    for d in (body, direct):
        d.pop("stats")
    assert body == json.loads(json.dumps(direct))
    assert AllocationRun.objects.count() == before
    bad = json.loads(content)
    bad["farms"]["features"][0]["properties"]["capacity_t"] = 0
    answer = _client(ready.town_editor).post(
        f"{BASE}allocate/",
        {"file": SimpleUploadedFile("bad.json", json.dumps(bad).encode())},
        format="multipart",
    )
    assert answer.status_code == 400
    problem = answer.json()["problems"][0]
    assert problem["file"] == "bad.json" and problem["field"] == "capacity_t"
    anonymous = _client().post(
        f"{BASE}allocate/",
        {"file": SimpleUploadedFile("m.json", content)},
        format="multipart",
    )
    assert anonymous.status_code in (401, 403)


# Prefer: respond-async: the run as a background job (202), the same checks.

RUNS = f"{BASE}runs/"
RUN = {"season": "2026", "mode": "whole", "time_limit": 5}


def test_an_allocation_run_as_a_job(ready: Any) -> None:
    client = _client(ready.coordinator)
    response = client.post(RUNS, RUN, format="json", **PREFER)
    job = accepted_job(response, "agricycling.allocation")
    assert job.parameters == {
        "season": "2026",
        "mode": "whole",
        "max_distance_km": DEFAULT_MAX_DISTANCE_KM,
        "detour_factor": DEFAULT_DETOUR_FACTOR,
        "time_limit": 5.0,
    }
    run = AllocationRun.objects.exclude(pk=ready.run.pk).get()
    record = result_of(client, response, f"{RUNS}{run.pk}/")
    assert record["mode"] == "whole" and record["season"] == "2026"
    assert record["placed_tonnes"] == run.placed_tonnes > 0


def test_without_the_header_the_run_is_made_in_the_request(ready: Any) -> None:
    response = _client(ready.coordinator).post(RUNS, RUN, format="json")
    assert response.status_code == 201
    run = AllocationRun.objects.exclude(pk=ready.run.pk).get()
    assert response.json()["id"] == run.pk
    assert not Job.objects.exists()


def test_bad_input_is_refused_before_a_job(ready: Any) -> None:
    response = _client(ready.coordinator).post(
        RUNS, {"season": "1999", "max_distance_km": -1}, format="json", **PREFER
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {"season", "max_distance_km"}
    Tariffs.objects.all().delete()
    response = _client(ready.coordinator).post(RUNS, RUN, format="json", **PREFER)
    assert response.status_code == 400
    assert "has no tariffs" in response.content.decode()
    assert not Job.objects.exists() and AllocationRun.objects.count() == 1


def test_others_may_not_queue_a_run(ready: Any) -> None:
    for who in (None, ready.town_editor, ready.member):
        response = _client(who).post(RUNS, RUN, format="json", **PREFER)
        assert response.status_code in (401, 403)
    assert not Job.objects.exists() and AllocationRun.objects.count() == 1
