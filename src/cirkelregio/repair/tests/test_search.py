# SPDX-License-Identifier: EUPL-1.2
"""The search of the public map (``selectors.place_search``): nearest first within
the radius (capped), filtered by category and kind, each place open, closed or
unknown at a moment, and only the open ones when asked; what the reader may see;
and a place's opening hours for its page (``selectors.place_hours``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cirkelregio.engine.geo.distance import haversine_km
from cirkelregio.repair import hours, selectors, services
from cirkelregio.repair.hours import AMSTERDAM

pytestmark = pytest.mark.django_db

SATURDAY = dt.datetime(2026, 7, 11, 11, 0, tzinfo=AMSTERDAM)  # the 2nd of July
CENTRE = (52.05, 5.05)  # postcode area 3511 in the test region


@pytest.fixture
def places(area: Any) -> dict[str, Any]:
    def create(name: str, dlat: float, **fields: Any) -> Any:
        return services.place_create(
            actor=None, name=name, lat=CENTRE[0] + dlat, lon=CENTRE[1], **fields
        )

    return {
        "cafe": create(
            "Café",
            0.03,
            kind="repair_cafe",
            categories=["electronics"],
            opening_hours="Sa[2] 10:00-13:00; PH off",
        ),
        "bikes": create(
            "Bikes",
            0.01,
            kind="bicycle_repair",
            categories=["bicycle"],
            opening_hours="Mo-Fr 09:00-17:00",
        ),
        "shop": create(
            "Shop",
            -0.02,
            kind="repair_business",
            categories=["electronics"],
            opening_hours="op afspraak",
        ),
        "far": create(
            "Far",
            0.6,
            kind="repair_cafe",
            categories=["electronics"],
            opening_hours="Sa 10:00-16:00",
        ),
        "hidden": create(
            "Hidden",
            0.0,
            kind="repair_cafe",
            categories=["electronics"],
            opening_hours="Sa 10:00-16:00",
            is_published=False,
            owner=area.org_a,
        ),
    }


def test_nearest_first_within_the_radius_with_the_distance(places: Any) -> None:
    hits = selectors.place_search(at=SATURDAY, near=CENTRE, radius_km=10)
    assert [h.name for h in hits] == ["Bikes", "Shop", "Café"]
    for hit in hits:
        place = places[{"Bikes": "bikes", "Shop": "shop", "Café": "cafe"}[hit.name]]
        expected = float(haversine_km(*CENTRE, place.lat, place.lon))
        assert hit.distance_km == pytest.approx(expected, abs=1e-9)
    assert hits[0].distance_km == pytest.approx(1.112, abs=0.001)
    # Without a point: all the visible places, by name, without a distance.
    hits = selectors.place_search(at=SATURDAY)
    assert [h.name for h in hits] == ["Bikes", "Café", "Far", "Shop"]
    assert {h.distance_km for h in hits} == {None}


def test_the_radius_is_capped(places: Any) -> None:
    # "Far" is 66.7 km away: beyond the cap even when a larger radius is asked.
    assert selectors.SEARCH_MAX_RADIUS_KM == 50
    hits = selectors.place_search(at=SATURDAY, near=CENTRE, radius_km=100)
    assert "Far" not in [h.name for h in hits]


def test_category_kind_and_open_state(places: Any) -> None:
    hits = selectors.place_search(at=SATURDAY, near=CENTRE, category="electronics")
    assert [(h.name, h.open) for h in hits] == [("Shop", None), ("Café", True)]
    hits = selectors.place_search(at=SATURDAY, kind="bicycle_repair")
    assert [(h.name, h.open, h.kind) for h in hits] == [
        ("Bikes", False, "bicycle_repair")
    ]
    hits = selectors.place_search(at=SATURDAY, open_only=True)
    assert [h.name for h in hits] == ["Café", "Far"]
    monday = SATURDAY + dt.timedelta(days=2)
    hits = selectors.place_search(at=monday, open_only=True, near=CENTRE)
    assert [h.name for h in hits] == ["Bikes"]


def test_each_expression_is_evaluated_once(
    places: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        services.place_create(
            actor=None,
            name=f"Same {i}",
            kind="tailor",
            lat=CENTRE[0],
            lon=CENTRE[1],
            opening_hours="Sa 10:00-16:00",
        )
    calls: list[str] = []
    real = hours.is_open

    def counting(expression: str, at: dt.datetime) -> bool | None:
        calls.append(expression)
        return real(expression, at)

    monkeypatch.setattr(hours, "is_open", counting)
    hits = selectors.place_search(at=SATURDAY, open_only=True)
    assert len(hits) == 7  # the five, Far and Café
    # One call per distinct readable expression; none for the unreadable one.
    assert sorted(calls) == sorted(set(calls))
    assert "op afspraak" not in calls


def test_the_reader_sees_what_they_may(places: Any, area: Any) -> None:
    def names(user: Any) -> list[str]:
        return [h.name for h in selectors.place_search(at=SATURDAY, user=user)]

    assert "Hidden" not in names(None)
    assert "Hidden" not in names(area.editor_b)
    assert "Hidden" in names(area.editor_a)
    assert "Hidden" in names(area.coordinator)
    hidden = places["hidden"]
    assert selectors.place_get(pk=hidden.pk) is None
    assert selectors.place_get(pk=hidden.pk, user=area.coordinator) == hidden
    cafe, bikes = places["cafe"], places["bikes"]
    assert selectors.places_in_order(ids=[bikes.pk, hidden.pk, cafe.pk]) == [
        bikes,
        cafe,
    ]


def test_place_hours(places: Any) -> None:
    later = SATURDAY.replace(hour=14)
    cafe = selectors.place_hours(places["cafe"], at=SATURDAY, language="en")
    assert (cafe.open, cafe.closes, cafe.opens) == (
        True,
        SATURDAY.replace(hour=13),
        None,
    )
    assert cafe.words == [
        "Every 2nd Saturday of the month: 10:00–13:00",
        "Closed on public holidays",
    ]
    closed = selectors.place_hours(places["cafe"], at=later, language="nl")
    assert (closed.open, closed.closes) == (False, None)
    assert closed.opens == dt.datetime(2026, 8, 8, 10, 0, tzinfo=AMSTERDAM)
    assert closed.words is not None and closed.words[0].startswith("Elke 2e zaterdag")
    shop = selectors.place_hours(places["shop"], at=SATURDAY, language="en")
    assert (shop.unparsable, shop.words, shop.open, shop.expression) == (
        True,
        None,
        None,
        "op afspraak",
    )
