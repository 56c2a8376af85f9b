# SPDX-License-Identifier: EUPL-1.2
"""/api/v1/biobased/: everyone reads materials, projects and progress; only
coordinators and a municipality's own editors write; errors are problem details with
a clear message per field."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from cirkelregio.biobased.models import InsulationProject
from cirkelregio.biobased.services import project_create
from cirkelregio.biobased.tests.conftest import World

PROBLEM = "application/problem+json"
BASE = "/api/v1/biobased/"


def _client(user: Any = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def _body(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "municipality": world.m1.cbs_code,
        "year": 2025,
        "homes": 6,
        "area_m2": 300,
        "material": "test_bio",
        "source_channel": "company",
        **changes,
    }


@pytest.fixture
def two(world: World) -> World:
    for municipality, material, year in (
        (world.m1, "test_bio", 2024),
        (world.m2, "test_mineral", 2025),
    ):
        project_create(
            actor=None,
            municipality=municipality,
            year=year,
            homes=4,
            area_m2=200,
            material=material,
            source_channel="mco_programme",
        )
    return world


@pytest.mark.parametrize(
    "who", ["anonymous", "editor_other", "editor_m1", "coordinator"]
)
def test_everyone_reads(two: World, who: str) -> None:
    client = _client(two.users()[who])
    materials = client.get(BASE + "materials/")
    assert materials.status_code == 200
    straw = next(m for m in materials.json() if m["code"] == "straw_blown")
    assert straw["biogenic_co2_per_kg"] == 1.73 and straw["biogenic_co2_source"]
    assert client.get(BASE + "materials/hemp/").json()["biobased_share"] is None
    projects = client.get(BASE + "projects/").json()
    assert projects["count"] == 2
    assert client.get(BASE + "progress/").status_code == 200


def test_the_project_filters(two: World) -> None:
    client = _client()
    by_m = client.get(BASE + "projects/", {"municipality": "GM9002"}).json()
    assert [p["material"] for p in by_m["results"]] == ["test_mineral"]
    assert client.get(BASE + "projects/", {"year": 2024}).json()["count"] == 1
    assert client.get(BASE + "projects/", {"source": "company"}).json()["count"] == 0
    bad = client.get(BASE + "projects/", {"source": "postduif"})
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM


def test_progress_for_a_municipality_and_a_year(two: World) -> None:
    client = _client()
    body = client.get(BASE + "progress/", {"municipality": "GM9001"}).json()
    assert body["municipality"] == "GM9001"
    assert body["total"]["projects"] == 1
    assert body["total"]["meeting_share"] == 100.0  # test_bio: 60 % >= 30 %
    assert body["target"]["share_percent"] == 30.0
    assert "Nationale Aanpak Biobased Bouwen" in body["target"]["source"]
    province = client.get(BASE + "progress/", {"year": 2025}).json()
    assert province["total"]["meeting_share"] == 50.0  # 1 of 2
    assert len(province["municipalities"]) == 2
    assert (
        client.get(BASE + "progress/", {"year": 2024}).json()["total"]["projects"] == 1
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"municipality": "GM0000"}, "municipality"),
        ({"municipality": "Utrecht"}, "municipality"),
        ({"year": 1900}, "year"),
        ({"basis": "kilos"}, "basis"),
    ],
)
def test_progress_refuses_bad_parameters_with_problem_details(
    two: World, query: dict[str, Any], field: str
) -> None:
    response = _client().get(BASE + "progress/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [p["name"] for p in response.json()["invalid_params"]] == [field]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 403),
        ("editor_other", 403),
        ("editor_m1", 201),
        ("coordinator", 201),
    ],
)
def test_who_may_report(world: World, who: str, status: int) -> None:
    response = _client(world.users()[who]).post(
        BASE + "projects/", _body(world), format="json"
    )
    assert response.status_code == status
    assert InsulationProject.objects.count() == (1 if status == 201 else 0)


def test_an_editor_reports_only_for_their_own_municipality(world: World) -> None:
    response = _client(world.editor_m1).post(
        BASE + "projects/", _body(world, municipality="GM9002"), format="json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_bad_values_are_named_per_field(world: World) -> None:
    response = _client(world.coordinator).post(
        BASE + "projects/",
        _body(world, homes=-2, biobased_share=120, material="kurk"),
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    reasons = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert reasons["homes"] == "The number of homes cannot be negative."
    assert reasons["biobased_share"] == (
        "The biobased share must be between 0 and 100 % (got 120)."
    )
    assert reasons["material"].startswith("Unknown material “kurk”.")
    assert not InsulationProject.objects.exists()


def test_change_and_remove(two: World) -> None:
    project = InsulationProject.objects.get(municipality=two.m1)
    url = f"{BASE}projects/{project.pk}/"
    assert _client(two.editor_other).patch(url, {"homes": 9}).status_code == 403
    changed = _client(two.editor_m1).patch(url, {"homes": 9}, format="json")
    assert changed.status_code == 200 and changed.json()["homes"] == 9
    other = InsulationProject.objects.get(municipality=two.m2)
    assert (
        _client(two.editor_m1).delete(f"{BASE}projects/{other.pk}/").status_code == 403
    )
    assert _client(two.editor_m1).delete(url).status_code == 204
    assert InsulationProject.objects.count() == 1
