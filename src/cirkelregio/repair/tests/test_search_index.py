# SPDX-License-Identifier: EUPL-1.2
"""The fast search of the API's list near a point (``cirkelregio.repair.search`` and
``api.search_results``) gives exactly what the selector path gives: the filtered
``selectors.place_list``, ``selectors.places_by_distance``, the page's places read
with ``in_bulk``, ``selectors.place_open_states`` and ``RepairPlaceSerializer``, as
the API computed it before the index.

On 2,500 random places (many at the very same point, so that distances tie) and
random searches (points and postcodes, radii, filters, moments, pages, readers),
the count and the page are compared member by member, in order; then again after
places are moved, recategorised, unpublished, deleted and created through the
services, which must also make the index be built again."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import timezone

import numpy as np
import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from cirkelregio.repair import search, selectors, services
from cirkelregio.repair.api import filters
from cirkelregio.repair.api.serializers import RepairPlaceSerializer
from cirkelregio.repair.models import CATEGORY_CODES, PlaceKind, RepairPlace
from cirkelregio.repair.tests.conftest import Area

pytestmark = pytest.mark.django_db

API = "/api/v1/repair/places/"
HOURS = [
    "",
    "Mo-Fr 09:00-17:00; PH off",
    "Tu-Sa 10:00-18:00; Th 10:00-21:00",
    "Sa[2] 10:00-13:00; PH off",
    "Mo-Fr 09:00-17:00; SH off",
    '24/7 "op afspraak"',
    'Mo-Fr 08:30-12:00,13:00-17:30 || "bel ons"',
    "We[1,3] 19:00-21:30",
]
UNREADABLE = ["ma-vr 9-17", "op afspraak"]
KINDS = [k.value for k in PlaceKind]


def _random_places(rng: random.Random, area: Area, n: int) -> None:
    points = [
        (round(rng.uniform(51.98, 52.12), 5), round(rng.uniform(4.97, 5.23), 5))
        for _ in range(n // 2)
    ]
    places = []
    for i in range(n):
        # Half the places share a point with another one: distances tie.
        lat, lon = rng.choice(points) if i % 2 else points[i // 2]
        unreadable = rng.random() < 0.05
        places.append(
            RepairPlace(
                name=f"Plek {rng.randrange(10_000)}",
                kind=rng.choice(KINDS),
                street=f"Straat {i}",
                postcode="3511",
                city="Teststad",
                municipality=rng.choice([area.a, area.b, None]),
                lat=lat,
                lon=lon,
                coordinates_derived=rng.random() < 0.1,
                opening_hours=rng.choice(UNREADABLE if unreadable else HOURS),
                opening_hours_unparsable=unreadable,
                website=rng.choice(["", f"https://example.org/{i}"]),
                email=rng.choice(["", f"plek{i}@example.org"]),
                owner=rng.choice([None, None, area.org_a, area.org_b]),
                source="test",
                import_key=rng.choice(["", f"test|{i}"]),
                last_verified=rng.choice([None, dt.date(2026, 3, 1 + i % 28)]),
                internal_notes=rng.choice(["", "intern"]),
                is_published=rng.random() < 0.85,
            )
        )
    created = RepairPlace.objects.bulk_create(places)
    through = RepairPlace.categories.through
    category = {c.code: c.pk for c in selectors.category_list()}
    links = [
        through(repairplace_id=p.pk, repaircategory_id=category[code])
        for p in created
        for code in rng.sample(CATEGORY_CODES, rng.choice([0, 1, 1, 2, 3]))
    ]
    through.objects.bulk_create(links)


def _random_query(rng: random.Random) -> dict[str, str]:
    query: dict[str, str] = {}
    if rng.random() < 0.25:
        query["near"] = rng.choice(["3511", "3600", "3511 AB", "3600ab"])
    else:
        query["near"] = f"{rng.uniform(51.96, 52.14):.5f},{rng.uniform(4.95, 5.25):.5f}"
    if rng.random() < 0.9:
        query["radius_km"] = rng.choice(["0.2", "1", "2.5", "5", "8", "12.3", "30"])
    if rng.random() < 0.4:
        query["category"] = rng.choice(CATEGORY_CODES)
    if rng.random() < 0.2:
        query["kind"] = rng.choice(KINDS)
    if rng.random() < 0.15:
        query["municipality"] = rng.choice(["GM9001", "GM9002"])
    if rng.random() < 0.9:
        moment = dt.datetime(2026, 1, 1) + dt.timedelta(  # noqa: DTZ001
            minutes=rng.randrange(0, 2 * 365 * 24 * 60, 15)
        )
        query["open_at"] = moment.isoformat() + rng.choice(["", "+02:00", "Z"])
    if rng.random() < 0.3:
        query["limit"] = str(rng.choice([1, 7, 100, 250]))
    if rng.random() < 0.3:
        query["offset"] = str(rng.choice([0, 3, 50, 120, 3000]))
    return query


def _reference(query: dict[str, str], user: Any) -> tuple[int, list[Any]]:
    """Count and page of the search as the API's list computed them before."""
    request = APIRequestFactory().get(API, query)
    request.user = user
    filterset = filters.PlaceFilter(
        data=QueryDict(request.META["QUERY_STRING"]),
        queryset=selectors.place_list(user=user).order_by("name", "id"),
        request=request,
    )
    assert filterset.is_valid(), filterset.errors
    qs, params, point = (
        filterset.qs,
        filterset.form.cleaned_data,
        filterset.form.near_point,
    )
    assert point is not None
    radius = params.get("radius_km")
    ranked = selectors.places_by_distance(
        qs,
        lat=point[0],
        lon=point[1],
        radius_km=float(radius if radius is not None else filters.DEFAULT_RADIUS_KM),
    )
    offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
    page = ranked[offset : offset + limit]
    found = qs.in_bulk([pk for pk, _distance in page])
    places = []
    for pk, distance in page:
        place = found[pk]
        place.distance_km = distance  # type: ignore[attr-defined]
        places.append(place)
    at = params.get("open_at") or timezone.now()
    states = selectors.place_open_states(places, at=at)
    for place in places:
        place.open_state = states[place.pk]  # type: ignore[attr-defined]
    data = RepairPlaceSerializer(places, many=True, context={"request": request}).data
    return len(ranked), json.loads(JSONRenderer().render(data))


def _without_open(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "open"} for r in results]


def _compare(rng: random.Random, area: Area, searches: int) -> int:
    """Run random searches both ways and assert they agree; return how many
    results were compared."""
    readers = [None, area.member, area.editor_a, area.coordinator]
    compared = 0
    for _ in range(searches):
        query, reader = _random_query(rng), rng.choice(readers)
        client = APIClient()
        if reader is not None:
            client.force_authenticate(reader)
        response = client.get(API, query)
        assert response.status_code == 200, response.content
        body = response.json()
        count, results = _reference(query, reader or AnonymousUser())
        fast = body["results"]
        if "open_at" not in query:  # "now" differs between the two calls
            fast, results = _without_open(fast), _without_open(results)
        assert body["count"] == count, query
        # Member by member, in order, as JSON (the order of the members too).
        assert json.dumps(fast) == json.dumps(results), query
        compared += len(results)
    return compared


@pytest.mark.slow
def test_fast_search_equals_the_selector_path(area: Area) -> None:
    rng = random.Random(20270105)
    _random_places(rng, area, 2500)
    assert _compare(rng, area, 120) > 2000

    index = search.place_index()
    coordinator = area.coordinator
    changed = rng.sample(list(RepairPlace.objects.order_by("pk")), 40)
    for place in changed[:10]:  # moved
        services.place_update(
            actor=coordinator,
            place=place,
            lat=round(rng.uniform(51.98, 52.12), 5),
            lon=round(rng.uniform(4.97, 5.23), 5),
        )
    for place in changed[10:20]:  # other categories only
        services.place_update(
            actor=coordinator, place=place, categories=rng.sample(CATEGORY_CODES, 2)
        )
    for place in changed[20:25]:  # unpublished or published
        services.place_update(
            actor=coordinator, place=place, is_published=not place.is_published
        )
    for place in changed[25:30]:  # another kind and opening hours
        services.place_update(
            actor=coordinator,
            place=place,
            kind=PlaceKind.TAILOR,
            opening_hours="Mo-Sa 10:00-16:00",
        )
    for place in changed[30:]:
        services.place_delete(actor=coordinator, place=place)
    services.place_create(
        actor=coordinator,
        name="Nieuw",
        kind=PlaceKind.SHOEMAKER,
        lat=52.05,
        lon=5.05,
        categories=["shoes"],
        opening_hours="Mo-Fr 09:00-17:00",
    )
    assert search.place_index() is not index
    assert _compare(rng, area, 60) > 1000


def test_each_change_through_the_services_builds_the_index_again(area: Area) -> None:
    place = services.place_create(
        actor=None, name="Een", kind=PlaceKind.TAILOR, lat=52.05, lon=5.05
    )
    services.place_create(
        actor=None, name="Twee", kind=PlaceKind.TAILOR, lat=52.06, lon=5.05
    )

    def changes(action: Any) -> bool:
        before = search.place_index()
        action()
        return search.place_index() is not before

    assert not changes(lambda: None)
    assert changes(
        lambda: services.place_update(actor=None, place=place, categories=["clothing"])
    )
    assert search.place_index().codes_of(place.pk) == ["clothing"]
    assert not changes(
        lambda: services.place_update(actor=None, place=place, categories=["clothing"])
    )
    assert changes(lambda: services.place_update(actor=None, place=place, lat=52.07))
    assert changes(lambda: services.place_delete(actor=None, place=place))


def test_an_import_that_changes_categories_only_builds_the_index_again(
    area: Area, tmp_path: Path
) -> None:
    def csv(categories: str) -> Path:
        path = tmp_path / "places.csv"
        path.write_text(
            "name,kind,street,postcode,city,lat,lon,categories,opening_hours,"
            "website,email,phone\n"
            f"Een,tailor,,3511,,52.05,5.05,{categories},,,,\n",
            encoding="utf-8",
        )
        return path

    services.import_places(csv("clothing"), source="test")
    before = search.place_index()
    assert before.codes_of(int(before.ids[0])) == ["clothing"]
    services.import_places(csv("clothing;shoes"), source="test")
    after = search.place_index()
    assert after is not before
    assert after.codes_of(int(after.ids[0])) == ["clothing", "shoes"]


def test_a_write_marks_its_place_again_after_the_commit(
    area: Area, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        place = services.place_create(
            actor=None, name="Een", kind=PlaceKind.TAILOR, lat=52.05, lon=5.05
        )
        saved = RepairPlace.objects.get(pk=place.pk).updated_at
    assert len(callbacks) == 1
    stored = RepairPlace.objects.get(pk=place.pk).updated_at
    assert stored > saved
    assert place.updated_at == stored  # the object the API returns says the same


def test_ranked_orders_by_distance_then_id_whatever_is_asked() -> None:
    rng = np.random.default_rng(7)
    for n in (0, 1, 5, 200):
        ids = rng.permutation(np.arange(1, n + 1, dtype=np.int64) * 3)
        distance = rng.integers(0, 6, n).astype(np.float64) / 2  # many ties
        order = np.lexsort((ids, distance))
        expected = list(zip(ids[order].tolist(), distance[order].tolist(), strict=True))
        ranked = search.Ranked(ids.copy(), distance.copy())
        assert len(ranked) == n
        for start, stop in [(0, 1), (3, 10), (0, 100), (50, 500), (n, n + 5), (2, 1)]:
            assert ranked[start:stop] == expected[start:stop]
        if n:
            assert ranked[n - 1] == expected[n - 1]
            assert ranked[-1] == expected[-1]
        assert list(search.Ranked(ids.copy(), distance.copy())) == expected
