# SPDX-License-Identifier: EUPL-1.2
"""The Reparatiekaart page and the repair API give the same places in the same
order, with the same open state, for the same search: near a postcode (the page's
list through all its pages against the API's results), with a category or a kind,
open at a chosen moment and open now (the page's "open only" against the API's
results that are open), without a postcode (by name), for the public and for an
editor who also sees an unpublished place of their own. Among the places are the
province's demo places and three at the very same point (ties go by id)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

import pytest

from cirkelregio.accounts.tests.factories import EditorFactory
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.repair import services
from cirkelregio.repair.hours import AMSTERDAM

pytestmark = pytest.mark.django_db

SATURDAY = "2026-07-11T11:00"  # the second Saturday of July 2026, in Amsterdam
WEDNESDAY_MORNING = dt.datetime(2026, 7, 15, 10, 30, tzinfo=AMSTERDAM)
STATES = {"open": True, "closed": False, "unknown": None}
RESULT = re.compile(
    r'<li class="cr-result">.*?href="/reparatiekaart/(\d+)/[^"]*">.*?'
    r'<p class="cr-state cr-state--(\w+)">',
    re.S,
)


@pytest.fixture
def places(demo_data: Any) -> Any:
    from cirkelregio.repair.services import repair_demo_load

    repair_demo_load(directory=Path(settings.DATA_DIR) / "demo/nl-utrecht/repair")
    centre = region_selectors.postcode_get(code="3511")
    assert centre is not None
    editor = EditorFactory()
    # Three places at the very same point, 0.004 degree north of the centre of
    # postcode area 3511 (0.44 km), created so that their ids run against their
    # names; and an unpublished place of the editor's organisation.
    for name, hours in (
        ("Zelfde plek C", "Sa 10:00-16:00"),
        ("Zelfde plek B", "Mo-Fr 09:00-17:00"),
        ("Zelfde plek A", "op afspraak"),
    ):
        services.place_create(
            actor=None,
            name=name,
            lat=centre.lat + 0.004,
            lon=centre.lon,
            kind="repair_cafe",
            categories=["electronics"],
            opening_hours=hours,
        )
    services.place_create(
        actor=None,
        name="Eigen plek",
        lat=centre.lat - 0.003,
        lon=centre.lon,
        kind="repair_cafe",
        categories=["electronics"],
        opening_hours="We 19:00-21:00",
        owner=editor.organisation,
        is_published=False,
    )
    return editor


def _page(client: Client, query: dict[str, str]) -> list[tuple[int, bool | None]]:
    """(id, open) of every place on the page's list, through all its pages."""
    found: list[tuple[int, bool | None]] = []
    number = 1
    while True:
        response = client.get("/reparatiekaart/", {**query, "page": str(number)})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="cr-error"' not in html, query
        found += [(int(pk), STATES[state]) for pk, state in RESULT.findall(html)]
        if 'rel="next"' not in html:
            return found
        number += 1


def _api(client: Client, query: dict[str, str]) -> list[tuple[int, bool | None]]:
    response = client.get("/api/v1/repair/places/", {**query, "limit": "1000"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    return [(place["id"], place["open"]) for place in body["results"]]


# (the page's query, the API's query, whether only the open places are compared)
QUERIES = [
    ({"postcode": "3511", "radius": "10"}, {"near": "3511", "radius_km": "10"}, False),
    (
        {"postcode": "3811 AB", "radius": "25", "category": "electronics"},
        {"near": "3811 AB", "radius_km": "25", "category": "electronics"},
        False,
    ),
    (
        {"postcode": "3511", "radius": "50", "kind": "repair_cafe", "at": SATURDAY},
        {"near": "3511", "radius_km": "50", "kind": "repair_cafe", "open_at": SATURDAY},
        False,
    ),
    (
        {"postcode": "3431", "radius": "50", "at": SATURDAY, "open": "1"},
        {"near": "3431", "radius_km": "50", "open_at": SATURDAY},
        True,
    ),
    # Open now (the clock is set to a Wednesday morning).
    (
        {"postcode": "3511", "radius": "30", "open": "1"},
        {"near": "3511", "radius_km": "30"},
        True,
    ),
    ({"category": "electronics"}, {"category": "electronics"}, False),
]


@pytest.mark.parametrize("reader", ["public", "editor"])
@pytest.mark.parametrize(("page_query", "api_query", "open_only"), QUERIES)
def test_the_page_lists_what_the_api_finds(
    places: Any,
    monkeypatch: pytest.MonkeyPatch,
    reader: str,
    page_query: dict[str, str],
    api_query: dict[str, str],
    open_only: bool,
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: WEDNESDAY_MORNING)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    if reader == "editor":
        client.force_login(places)
    page = _page(client, page_query)
    api = _api(client, api_query)
    if open_only:
        api = [(pk, state) for pk, state in api if state is True]
    assert page == api
    # Not an empty comparison: each search finds several places.
    assert len(page) >= 3


def test_ties_and_the_own_unpublished_place(places: Any) -> None:
    query = {"postcode": "3511", "radius": "0.5", "at": SATURDAY}
    names = {
        place["id"]: place["name"]
        for place in Client()
        .get("/api/v1/repair/places/", {"near": "3511", "radius_km": "0.5"})
        .json()["results"]
    }
    # The three at one point come by id (C, B, A), each with its state on Saturday
    # at 11:00: open, closed, unknown (hours that cannot be read).
    public = [(names[pk], state) for pk, state in _page(Client(), query)]
    assert public == [
        ("Zelfde plek C", True),
        ("Zelfde plek B", False),
        ("Zelfde plek A", None),
    ]
    editor = Client()
    editor.force_login(places)
    own = _page(editor, query)
    assert len(own) == 4 and own[1:] == _page(Client(), query)
    assert _api(editor, {"near": "3511", "radius_km": "0.5", "open_at": SATURDAY}) == (
        own
    )
