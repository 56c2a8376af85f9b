# SPDX-License-Identifier: EUPL-1.2
"""Whole-number parameters of the roads API out of range: a query parameter is a
400 problem detail naming it, a path id a 404; never a 500 (SQLite raised
OverflowError on ``works/?section=<2**64>``, found by schemathesis)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cirkelregio.core.api.filters import MAX_ID
from cirkelregio.roads.tests.conftest import Roads
from cirkelregio.roads.tests.plan import Plan, build

API = "/api/v1/roads/"
HUGE = str(2**64)


@pytest.fixture
def plan(roads: Roads) -> Plan:
    return build(roads.town, roads.province)


@pytest.mark.parametrize(
    "path, name, value",
    [
        ("works/", "section", HUGE),
        ("works/", "section", str(MAX_ID + 1)),
        ("works/", "section", "-" + HUGE),
        ("works/", "section", "0"),
        ("works/", "section", "1e40"),
        ("works/", "section", "1.5"),
        ("works/", "year", HUGE),
        ("bundles/", "year", HUGE),
        ("mki/", "year", HUGE),
    ],
)
def test_query_ids_out_of_range_are_a_problem(
    plan: Plan, path: str, name: str, value: str
) -> None:
    response = APIClient().get(API + path, {name: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalid_params"]] == [name]


def test_the_largest_id_is_allowed_and_a_real_one_filters(plan: Plan) -> None:
    client = APIClient()
    assert client.get(API + "works/", {"section": str(MAX_ID)}).json()["count"] == 0
    found = client.get(API + "works/", {"section": str(plan.s1.pk)}).json()
    assert [w["external_id"] for w in found["results"]] == ["W1"]


@pytest.mark.parametrize(
    "path",
    [
        "works/{}/",
        "works/{}/released-materials/",
        "sections/{}/",
        "sections/{}/passports/",
        "harmonisation-runs/{}/",
    ],
)
def test_path_ids_out_of_range_are_not_found(plan: Plan, path: str) -> None:
    response = APIClient().get(API + path.format(HUGE))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
