# SPDX-License-Identifier: EUPL-1.2
"""The repair API: search near a point or postcode (order and distances against
hand-computed great-circle distances), filters and their problem details, the open
state at a moment, and who may read and change what."""

from __future__ import annotations

import math
from typing import Any

import pytest
from rest_framework.test import APIClient

from cirkelregio.repair.models import RepairCategory, RepairPlace
from cirkelregio.repair.tests.conftest import Area
from cirkelregio.repair.tests.factories import RepairPlaceFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/repair"
PROBLEM = "application/problem+json"

# Great-circle distances from (52.0 N, 5.0 E), R = 6371.0088 km:
# - 0.1 degree due north: R * 0.1 * pi / 180 = 11.119508 km;
# - 0.1 degree due east: 2R * asin(cos 52 deg * sin 0.05 deg) = 6.845852 km.
NORTH_KM = 6371.0088 * 0.1 * math.pi / 180
EAST_KM = (
    2 * 6371.0088 * math.asin(math.cos(math.radians(52)) * math.sin(math.radians(0.05)))
)


def _client(user: Any = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def _category(*codes: str) -> list[RepairCategory]:
    return list(RepairCategory.objects.filter(code__in=codes))


@pytest.fixture
def places(area: Area) -> dict[str, RepairPlace]:
    north = RepairPlaceFactory(name="Noord", lat=52.1, lon=5.0)
    east = RepairPlaceFactory(
        name="Oost",
        lat=52.0,
        lon=5.1,
        kind="bicycle_repair",
        opening_hours="Mo-Fr 09:00-17:00; PH off",
        municipality=area.b,
    )
    here = RepairPlaceFactory(
        name="Hier", lat=52.0, lon=5.0, opening_hours="op afspraak"
    )
    here.opening_hours_unparsable = True
    here.save()
    far = RepairPlaceFactory(name="Ver", lat=52.5, lon=5.0, opening_hours="")
    north.categories.set(_category("bicycle", "clothing"))
    east.categories.set(_category("bicycle"))
    return {"north": north, "east": east, "here": here, "far": far}


def test_hand_computed_distances() -> None:
    assert round(NORTH_KM, 6) == 11.119508
    assert round(EAST_KM, 6) == 6.845852


def test_search_near_a_point_orders_by_distance(
    places: dict[str, RepairPlace],
) -> None:
    r = _client().get(f"{API}/places/", {"near": "52.0,5.0", "radius_km": 20})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 3  # "Ver" lies 55.6 km away
    results = body["results"]
    assert [x["name"] for x in results] == ["Hier", "Oost", "Noord"]
    assert [x["distance_km"] for x in results] == [
        0.0,
        pytest.approx(EAST_KM, abs=5e-4),
        pytest.approx(NORTH_KM, abs=5e-4),
    ]
    assert results[1]["distance_km"] == 6.846
    assert results[2]["distance_km"] == 11.12
    # A radius just under the northern place leaves it out.
    r = _client().get(f"{API}/places/", {"near": "52.0,5.0", "radius_km": 11.1})
    assert [x["name"] for x in r.json()["results"]] == ["Hier", "Oost"]


def test_search_pages_through_the_distance_order(
    places: dict[str, RepairPlace],
) -> None:
    r = _client().get(
        f"{API}/places/",
        {"near": "52.0,5.0", "radius_km": 100, "limit": 2, "offset": 2},
    )
    body = r.json()
    assert body["count"] == 4
    assert [x["name"] for x in body["results"]] == ["Noord", "Ver"]
    assert body["previous"] is not None and body["next"] is None


def test_search_near_a_postcode_uses_its_area_centroid(
    places: dict[str, RepairPlace],
) -> None:
    # Postcode area 3600 has its centroid at 52.05 N, 5.15 E.
    r = _client().get(f"{API}/places/", {"near": "3600 AB", "radius_km": 300})
    results = r.json()["results"]
    assert results[0]["name"] == "Oost"
    expected = (
        2
        * 6371.0088
        * math.asin(
            math.sqrt(
                math.sin(math.radians(0.05) / 2) ** 2
                + math.cos(math.radians(52.05))
                * math.cos(math.radians(52.0))
                * math.sin(math.radians(0.05) / 2) ** 2
            )
        )
    )
    assert results[0]["distance_km"] == pytest.approx(expected, abs=5e-4)
    # The default radius is 25 km: "Ver" (about 51 km away) is left out.
    r = _client().get(f"{API}/places/", {"near": "3600"})
    assert r.json()["count"] == 3


def test_without_near_places_come_by_name_without_distance(
    places: dict[str, RepairPlace],
) -> None:
    results = _client().get(f"{API}/places/").json()["results"]
    assert [x["name"] for x in results] == ["Hier", "Noord", "Oost", "Ver"]
    assert {x["distance_km"] for x in results} == {None}


def test_filters(places: dict[str, RepairPlace], area: Area) -> None:
    def names(**query: Any) -> list[str]:
        r = _client().get(f"{API}/places/", query)
        assert r.status_code == 200, r.content
        return [x["name"] for x in r.json()["results"]]

    assert names(category="bicycle") == ["Noord", "Oost"]
    assert names(category="clothing") == ["Noord"]
    assert names(kind="bicycle_repair") == ["Oost"]
    assert names(municipality="GM9002") == ["Oost"]
    assert names(category="bicycle", near="52.0,5.0", radius_km=50) == [
        "Oost",
        "Noord",
    ]


def test_open_at_a_moment(places: dict[str, RepairPlace]) -> None:
    def states(when: str) -> dict[str, Any]:
        r = _client().get(f"{API}/places/", {"open_at": when})
        assert r.status_code == 200, r.content
        return {x["name"]: x["open"] for x in r.json()["results"]}

    # 13 March 2027 is the second Saturday of the month; Noord: Sa[2] 10:00-13:00.
    assert states("2027-03-13T11:00:00") == {
        "Hier": None,  # unreadable hours
        "Noord": True,
        "Oost": False,
        "Ver": None,  # no hours
    }
    assert states("2027-03-06T11:00:00")["Noord"] is False
    # King's Day 2027 (a Tuesday): Oost's "PH off".
    assert states("2027-04-27T11:00:00+02:00")["Oost"] is False
    assert states("2027-04-28T09:00:00Z")["Oost"] is True  # 11:00 in Amsterdam
    r = _client().get(
        f"{API}/places/{places['north'].pk}/", {"open_at": "2027-03-13T11:00"}
    )
    assert r.json()["open"] is True


RADIUS_RANGE = "Give a radius in km greater than 0 and at most 300, e.g. 10 or 0.5."


def test_any_radius_above_zero_up_to_the_maximum_is_accepted(area: Area) -> None:
    # Postcode area 3511 has its centroid at 52.05 N, 5.05 E. Due north of it,
    # 0.0008 degree is R * 0.0008 * pi / 180 = 0.088956 km and 0.001 degree
    # 0.111195 km (R = 6371.0088 km).
    assert round(6371.0088 * 0.0008 * math.pi / 180, 6) == 0.088956
    assert round(6371.0088 * 0.001 * math.pi / 180, 6) == 0.111195
    RepairPlaceFactory(name="Centrum", lat=52.05, lon=5.05)
    RepairPlaceFactory(name="Om de hoek", lat=52.0508, lon=5.05)
    RepairPlaceFactory(name="Verderop", lat=52.051, lon=5.05)

    def names(radius: str) -> list[str]:
        r = _client().get(f"{API}/places/", {"near": "3511", "radius_km": radius})
        assert r.status_code == 200, r.content
        return [x["name"] for x in r.json()["results"]]

    # 0.1 was refused: a Decimal 0.1 compared with the float 0.1 is smaller.
    assert names("0.1") == ["Centrum", "Om de hoek"]
    assert names("0.05") == ["Centrum"]
    assert names("0.000001") == ["Centrum"]
    assert names("0.112") == ["Centrum", "Om de hoek", "Verderop"]
    assert names("300") == ["Centrum", "Om de hoek", "Verderop"]
    assert names("300.000") == ["Centrum", "Om de hoek", "Verderop"]


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ({"near": "0123"}, "near", "Give a postcode"),
        ({"near": "1000"}, "near", "Unknown postcode area 1000."),
        ({"near": "52.0;5.0"}, "near", "Give a postcode"),
        ({"near": "91,5"}, "near", "The point lies outside"),
        ({"radius_km": "5"}, "near", "Give a postcode or a point with radius_km."),
        ({"near": "3511", "radius_km": "0"}, "radius_km", RADIUS_RANGE),
        ({"near": "3511", "radius_km": "0.0"}, "radius_km", RADIUS_RANGE),
        ({"near": "3511", "radius_km": "-0.1"}, "radius_km", RADIUS_RANGE),
        ({"near": "3511", "radius_km": "-5"}, "radius_km", RADIUS_RANGE),
        ({"near": "3511", "radius_km": "300.001"}, "radius_km", RADIUS_RANGE),
        ({"near": "3511", "radius_km": "301"}, "radius_km", RADIUS_RANGE),
        ({"near": "3511", "radius_km": "ver"}, "radius_km", "Enter a number."),
        ({"near": "3511", "radius_km": "NaN"}, "radius_km", "Enter a number."),
        ({"near": "3511", "radius_km": "Infinity"}, "radius_km", "Enter a number."),
        ({"near": "3511", "radius_km": "0,1"}, "radius_km", "Enter a number."),
        ({"open_at": "morgen"}, "open_at", "Enter a valid date/time."),
        ({"open_at": "2027-13-01T10:00"}, "open_at", "Enter a valid date/time."),
        ({"category": "boats"}, "category", "Select a valid choice."),
        ({"kind": "bakery"}, "kind", "Select a valid choice."),
        ({"municipality": "GM0000"}, "municipality", "Select a valid choice."),
    ],
)
def test_invalid_filters_are_problem_details(
    area: Area, query: dict[str, str], field: str, reason: str
) -> None:
    r = _client().get(f"{API}/places/", query)
    assert r.status_code == 400
    assert r["Content-Type"] == PROBLEM
    body = r.json()
    assert body["type"].endswith("/invalid-params")
    assert [p["name"] for p in body["invalid_params"]] == [field]
    assert reason in body["invalid_params"][0]["reason"]


def test_categories(area: Area) -> None:
    r = _client().get(f"{API}/categories/")
    assert r.status_code == 200
    assert r.json()[:2] == [
        {"code": "bicycle", "name_nl": "Fietsen", "name_en": "Bicycles"},
        {"code": "electronics", "name_nl": "Elektronica", "name_en": "Electronics"},
    ]
    assert len(r.json()) == 12
    assert _client().post(f"{API}/categories/", {}).status_code in (403, 405)


# Permissions ------------------------------------------------------------------------


NEW = {"name": "Nieuwe plek", "place_kind": "repair_cafe", "postcode": "3511"}


def test_anonymous_reads_only_public_fields(area: Area) -> None:
    place = RepairPlaceFactory(
        owner=area.org_a, internal_notes="Sleutel bij de buren", import_key="x|y|z"
    )
    for user in (None, area.member, area.editor_b):
        body = _client(user).get(f"{API}/places/{place.pk}/").json()
        assert body["internal_notes"] == "" and body["import_key"] == ""
        listed = _client(user).get(f"{API}/places/").json()["results"][0]
        assert listed["internal_notes"] == ""
    for user in (area.editor_a, area.coordinator):
        body = _client(user).get(f"{API}/places/{place.pk}/").json()
        assert body["internal_notes"] == "Sleutel bij de buren"
        assert body["import_key"] == "x|y|z"


def test_unpublished_places_are_seen_by_their_owner_only(area: Area) -> None:
    place = RepairPlaceFactory(owner=area.org_a, is_published=False)
    url = f"{API}/places/{place.pk}/"
    assert _client().get(url).status_code == 404
    assert _client(area.editor_b).get(url).status_code == 404
    assert _client(area.editor_a).get(url).status_code == 200
    assert _client(area.coordinator).get(url).status_code == 200
    assert _client().get(f"{API}/places/").json()["count"] == 0


@pytest.mark.parametrize(
    ("who", "for_org_a", "for_nobody"),
    [
        ("anonymous", 403, 403),
        ("member", 403, 403),
        ("editor_b", 403, 403),
        ("editor_a", 201, 403),
        ("coordinator", 201, 201),
    ],
)
def test_who_may_create(area: Area, who: str, for_org_a: int, for_nobody: int) -> None:
    user = None if who == "anonymous" else getattr(area, who)
    r = _client(user).post(f"{API}/places/", {**NEW, "owner": "org-a"}, format="json")
    assert r.status_code == for_org_a, r.content
    if r.status_code == 201:
        body = r.json()
        assert body["owner"] == "org-a"
        assert body["coordinates_derived"] is True
        assert (body["lat"], body["lon"], body["municipality"]) == (
            52.05,
            5.05,
            "GM9001",
        )
    else:
        assert r["Content-Type"] == PROBLEM
    r = _client(user).post(f"{API}/places/", NEW, format="json")
    assert r.status_code == for_nobody, r.content


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 403),
        ("member", 403),
        ("editor_b", 403),
        ("editor_a", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_change_and_remove(area: Area, who: str, status: int) -> None:
    place = RepairPlaceFactory(owner=area.org_a)
    user = None if who == "anonymous" else getattr(area, who)
    url = f"{API}/places/{place.pk}/"
    r = _client(user).patch(url, {"name": "Anders"}, format="json")
    assert r.status_code == status, r.content
    place.refresh_from_db()
    assert (place.name == "Anders") is (status == 200)
    r = _client(user).delete(url)
    assert r.status_code == (204 if status == 200 else status)
    assert RepairPlace.objects.filter(pk=place.pk).exists() is (status != 200)


def test_editors_cannot_give_their_place_away(area: Area) -> None:
    place = RepairPlaceFactory(owner=area.org_a)
    url = f"{API}/places/{place.pk}/"
    r = _client(area.editor_a).patch(url, {"owner": "org-b"}, format="json")
    assert r.status_code == 403
    r = _client(area.coordinator).patch(url, {"owner": "org-b"}, format="json")
    assert r.status_code == 200 and r.json()["owner"] == "org-b"


def test_write_errors_are_problem_details(area: Area) -> None:
    client = _client(area.coordinator)
    r = client.post(
        f"{API}/places/",
        {**NEW, "postcode": "35111", "categories": ["boats"], "lat": 52.0},
        format="json",
    )
    assert r.status_code == 400
    assert r["Content-Type"] == PROBLEM
    assert [p["name"] for p in r.json()["invalid_params"]] == ["categories.0"]
    r = client.post(f"{API}/places/", {**NEW, "postcode": "35111"}, format="json")
    assert [p["name"] for p in r.json()["invalid_params"]] == ["postcode"]
    r = client.post(f"{API}/places/", {**NEW, "lat": 48.85, "lon": 2.35}, format="json")
    assert r.json()["invalid_params"] == [
        {"name": "lat", "reason": "The place must lie in the Netherlands."}
    ]
    r = client.post(
        f"{API}/places/", {**NEW, "opening_hours": "op afspraak"}, format="json"
    )
    assert r.status_code == 201
    assert r.json()["opening_hours_unparsable"] is True
    assert r.json()["open"] is None
