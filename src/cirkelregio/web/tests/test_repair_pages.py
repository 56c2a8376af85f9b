# SPDX-License-Identifier: EUPL-1.2
"""The Reparatiekaart pages: the search (postcode and radius, category, kind, open
at a moment) ordered by distance with the distance in km, the open / closed /
hours-unknown labels at a moment given in the address (so that the tests do not
depend on the clock), errors next to their field, the page of a place with its
opening hours in words, and unpublished places hidden from the public."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from cirkelregio.regions import selectors as region_selectors
from cirkelregio.repair import services

pytestmark = pytest.mark.django_db

# Saturday 11 July 2026, 11:00 in Amsterdam: the second Saturday of the month.
SATURDAY = "2026-07-11T11:00"


@pytest.fixture
def places(reference_data: Any) -> dict[str, Any]:
    """Three places north and south of the centre of postcode area 3511 (Utrecht)
    and one 22 km away: C 1.1 km, B 2.2 km, A 5.6 km, D 22.2 km."""
    centre = region_selectors.postcode_get(code="3511")
    assert centre is not None

    def create(name: str, dlat: float, **fields: Any) -> Any:
        return services.place_create(
            actor=None,
            name=name,
            lat=centre.lat + dlat,
            lon=centre.lon,
            postcode="3511 AB",
            city="Utrecht",
            **fields,
        )

    return {
        "A": create(
            "Alfa Repair Café",
            0.05,
            kind="repair_cafe",
            categories=["electronics", "clothing"],
            opening_hours="Sa[2] 10:00-13:00; PH off",
            repairs_nl="Lampen en broeken.",
            repairs_en="Lamps and trousers.",
            not_repaired_nl="Geen magnetrons.",
            not_repaired_en="No microwave ovens.",
            website="https://example.org/alfa",
            email="alfa@example.org",
            phone="030 123 45 67",
            source="partner list",
            last_verified="2026-06-01",
        ),
        "B": create(
            "Bravo Fietsen",
            0.02,
            kind="bicycle_repair",
            categories=["bicycle"],
            opening_hours="Mo-Fr 09:00-17:00",
        ),
        "C": create(
            "Charlie Reparaties",
            -0.01,
            kind="repair_business",
            categories=["electronics"],
            opening_hours="op afspraak",
        ),
        "D": create(
            "Delta Repair Café",
            0.2,
            kind="repair_cafe",
            categories=["electronics"],
            opening_hours="Sa 10:00-16:00",
        ),
    }


def _results(html: str) -> list[dict[str, str]]:
    """Name, state label and facts of every result in the list, in order."""
    rows = []
    for item in re.findall(r'<li class="cr-result">(.*?)</li>', html, re.S):
        name = re.search(r'<a class="utrecht-link[^"]*" href="[^"]*">([^<]*)</a>', item)
        state = re.search(r'<p class="cr-state cr-state--(\w+)">([^<]*)</p>', item)
        facts = dict(
            re.findall(r"<div><dt>([^<]*)</dt><dd>(.*?)</dd></div>", item, re.S)
        )
        assert name and state, item
        rows.append(
            {"name": name[1], "state": state[1], "label": state[2].strip(), **facts}
        )
    return rows


def _names(html: str) -> list[str]:
    return [row["name"] for row in _results(html)]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_map_page_renders_in_both_languages(
    client: Client, places: Any, prefix: str
) -> None:
    response = client.get(prefix + "/reparatiekaart/")
    assert response.status_code == 200
    assert response["Content-Language"] == ("en" if prefix else "nl")
    html = response.content.decode()
    assert f'<html lang="{"en" if prefix else "nl"}"' in html
    heading = "Repair map" if prefix else "Reparatiekaart"
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    # Without a postcode: every place, by name, and no distance.
    assert _names(html) == [
        "Alfa Repair Café",
        "Bravo Fietsen",
        "Charlie Reparaties",
        "Delta Repair Café",
    ]
    assert "km</dd>" not in html
    # The navigation links to the page and marks it as the current one.
    assert (
        f'<a class="cr-nav__link" href="{prefix}/reparatiekaart/" aria-current="page">'
        in html
    )


def test_a_postcode_orders_by_distance_with_the_distance_in_km(
    client: Client, places: Any
) -> None:
    html = client.get("/reparatiekaart/?postcode=3511+AB&radius=10").content.decode()
    rows = _results(html)
    assert [r["name"] for r in rows] == [
        "Charlie Reparaties",
        "Bravo Fietsen",
        "Alfa Repair Café",
    ]
    # 0.01, 0.02 and 0.05 degrees of latitude on a sphere of 6371.0088 km.
    assert [r["Afstand"] for r in rows] == ["1,1 km", "2,2 km", "5,6 km"]
    assert "3 reparatieplekken" in html
    assert "Binnen 10 km van postcodegebied 3511" in html
    # A larger radius takes in the place 22 km away; English decimals.
    html = client.get("/en/reparatiekaart/?postcode=3511&radius=25").content.decode()
    rows = _results(html)
    assert rows[-1]["name"] == "Delta Repair Café"
    assert rows[-1]["Distance"] == "22.2 km"


def test_category_and_kind_filter(client: Client, places: Any) -> None:
    html = client.get("/reparatiekaart/?category=electronics").content.decode()
    assert _names(html) == [
        "Alfa Repair Café",
        "Charlie Reparaties",
        "Delta Repair Café",
    ]
    html = client.get(
        "/reparatiekaart/?category=electronics&kind=repair_cafe&postcode=3511"
    ).content.decode()
    assert _names(html) == ["Alfa Repair Café"]
    html = client.get("/reparatiekaart/?kind=bicycle_repair").content.decode()
    assert _names(html) == ["Bravo Fietsen"]
    # The chosen values stay chosen in the form.
    assert '<option value="bicycle_repair" selected>' in html


@pytest.mark.parametrize(
    ("prefix", "labels"),
    [
        (
            "",
            {
                "open": "Open",
                "closed": "Gesloten",
                "unknown": "Openingstijden onbekend",
            },
        ),
        ("/en", {"open": "Open", "closed": "Closed", "unknown": "Hours unknown"}),
    ],
)
def test_open_closed_and_unknown_at_a_chosen_moment(
    client: Client, places: Any, prefix: str, labels: dict[str, str]
) -> None:
    html = client.get(
        f"{prefix}/reparatiekaart/?postcode=3511&at={SATURDAY}"
    ).content.decode()
    states = {r["name"]: (r["state"], r["label"]) for r in _results(html)}
    assert states == {
        "Alfa Repair Café": ("open", labels["open"]),  # Sa[2] 10:00-13:00
        "Bravo Fietsen": ("closed", labels["closed"]),  # Mo-Fr
        "Charlie Reparaties": ("unknown", labels["unknown"]),  # "op afspraak"
    }
    # The form keeps the moment; the list says which moment it is.
    assert f'value="{SATURDAY}"' in html
    when = "zaterdag 11 juli 2026, 11:00" if not prefix else "Saturday 11 July 2026"
    assert when in html
    # The links to the places carry the moment.
    assert f'?at={SATURDAY}">Alfa Repair Café</a>' in html


def test_open_only_keeps_the_places_open_at_the_moment(
    client: Client, places: Any
) -> None:
    html = client.get(
        f"/reparatiekaart/?open=1&at={SATURDAY}&postcode=3511&radius=50"
    ).content.decode()
    # Alfa (2nd Saturday) and Delta (every Saturday); not Bravo nor Charlie.
    assert _names(html) == ["Alfa Repair Café", "Delta Repair Café"]
    assert 'id="filter-open" name="open" value="1" checked' in html
    # A Sunday: nobody is open.
    html = client.get("/reparatiekaart/?open=1&at=2026-07-12T11:00").content.decode()
    assert _names(html) == []
    assert "0 reparatieplekken" in html


def test_now_is_the_default_moment(client: Client, places: Any) -> None:
    html = client.get("/en/reparatiekaart/").content.decode()
    labels = {r["label"] for r in _results(html)}
    assert "Hours unknown" in labels
    assert labels <= {"Open now", "Closed now", "Hours unknown"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("postcode=12", "postcode", "Vul een postcode in als 1234 of 1234 AB."),
        ("postcode=3511XYZ", "postcode", "Vul een postcode in als 1234 of 1234 AB."),
        ("postcode=1000", "postcode", "Postcodegebied 1000 is niet bekend."),
        ("postcode=3511&radius=veel", "radius", "tussen 0 en 50 km"),
        ("postcode=3511&radius=80", "radius", "tussen 0 en 50 km"),
        ("postcode=3511&radius=0", "radius", "tussen 0 en 50 km"),
        ("at=gisteren", "at", "Vul een datum en tijd in"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    client: Client, places: Any, query: str, field: str, message: str
) -> None:
    response = client.get(f"/reparatiekaart/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'<p class="cr-error" id="error-{field}">([^<]*)</p>', html)
    assert error and message in error[1], html
    field_input = re.search(rf'<input [^>]*id="filter-{field}"[^>]*>', html)
    assert field_input
    assert 'aria-invalid="true"' in field_input[0]
    assert f"error-{field}" in field_input[0]  # aria-describedby
    # The search still answers, without the distance it could not use.
    assert len(_results(html)) == 4


def test_the_map_gets_every_place_found_and_the_search_circle(
    client: Client, places: Any
) -> None:
    html = client.get("/reparatiekaart/?postcode=3511&radius=10").content.decode()
    data = json.loads(
        re.search(r'id="repair-map-data" type="application/json">(.*?)</script>', html)[
            1
        ]
    )
    points = [f for f in data["features"] if f["properties"].get("kind") == "repair"]
    assert sorted(p["properties"]["name"] for p in points) == [
        "Alfa Repair Café",
        "Bravo Fietsen",
        "Charlie Reparaties",
    ]
    assert points[0]["properties"]["url"].startswith("/reparatiekaart/")
    search = [f for f in data["features"] if f["properties"].get("kind") == "search"]
    assert search[0]["properties"]["radius_m"] == 10_000
    backgrounds = [f for f in data["features"] if f["properties"].get("background")]
    assert len(backgrounds) == 26
    assert 'data-cluster-label="reparatieplekken"' in html
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in html


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_page_of_a_place(client: Client, places: Any, prefix: str) -> None:
    place = places["A"]
    response = client.get(f"{prefix}/reparatiekaart/{place.pk}/?at={SATURDAY}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Alfa Repair Café</h1>' in html
    if prefix:
        for text in [
            '<dd class="utrecht-data-list__item-value">Repair Café</dd>',
            "Electronics, Clothing and textiles",
            '<li class="utrecht-unordered-list__item">Every 2nd Saturday of the '
            "month: 10:00–13:00</li>",
            "Closed on public holidays",
            "Open, until 13:00",
            '<div lang="en"><p>Lamps and trousers.</p></div>',
            '<div lang="en"><p>No microwave ovens.</p></div>',
            "Last verified on 1 June 2026.",
            "Source: partner list.",
        ]:
            assert text in html, text
    else:
        for text in [
            "Repair Café",
            "Elektronica, Kleding en textiel",
            '<li class="utrecht-unordered-list__item">Elke 2e zaterdag van de '
            "maand: 10.00–13.00 uur</li>",
            "Gesloten op feestdagen",
            "Open, tot 13:00",
            '<div lang="nl"><p>Lampen en broeken.</p></div>',
            "Laatst gecontroleerd op 1 juni 2026.",
        ]:
            assert text in html, text
    assert 'cr-break" href="https://example.org/alfa" rel="noopener">' in html
    assert 'href="mailto:alfa@example.org"' in html
    assert 'href="tel:0301234567"' in html
    assert 'id="place-map-data"' in html and 'data-zoom="12"' in html
    assert "not the address itself" not in html and "niet het adres" not in html


def test_a_closed_place_says_when_it_opens_again(client: Client, places: Any) -> None:
    html = client.get(
        f"/en/reparatiekaart/{places['B'].pk}/?at={SATURDAY}"
    ).content.decode()
    assert "Closed. Opens again on Monday 13 July 2026, 09:00" in html
    assert "Monday to Friday: 09:00–17:00" in html


def test_hours_that_cannot_be_read_or_put_in_words(client: Client, places: Any) -> None:
    html = client.get(f"/en/reparatiekaart/{places['C'].pk}/").content.decode()
    assert '<span class="cr-raw-hours">op afspraak</span>' in html
    assert "cannot be read as a schedule" in html
    assert "Hours unknown" in html
    services.place_update(
        actor=None, place=places["C"], opening_hours="Mo-Fr 10:00-17:00; Jul-Aug off"
    )
    html = client.get(f"/en/reparatiekaart/{places['C'].pk}/").content.decode()
    assert (
        '<code class="cr-raw-hours" translate="no">Mo-Fr 10:00-17:00; Jul-Aug off'
        "</code>" in html
    )
    assert "cannot be put into words here yet" in html


def test_a_location_from_the_postcode_is_marked(client: Client, places: Any) -> None:
    place = services.place_create(
        actor=None, name="Echo", kind="tailor", postcode="3512", city="Utrecht"
    )
    html = client.get(f"/reparatiekaart/{place.pk}/").content.decode()
    assert (
        "Het punt op de kaart is het midden van postcodegebied 3512, niet het adres "
        "zelf." in html
    )
    html = client.get(f"/en/reparatiekaart/{place.pk}/").content.decode()
    assert "the centre of postcode area 3512, not the address itself" in html


def test_unpublished_places_are_not_shown_to_the_public(
    client: Client, places: Any
) -> None:
    from cirkelregio.accounts.tests.factories import CoordinatorFactory

    hidden = services.place_update(actor=None, place=places["B"], is_published=False)
    assert client.get(f"/reparatiekaart/{hidden.pk}/").status_code == 404
    assert client.get(f"/en/reparatiekaart/{hidden.pk}/").status_code == 404
    html = client.get("/reparatiekaart/?postcode=3511").content.decode()
    assert "Bravo Fietsen" not in html  # neither in the list nor on the map
    assert client.get("/reparatiekaart/999999/").status_code == 404
    # A coordinator sees it, marked.
    client.force_login(CoordinatorFactory())
    html = client.get(f"/reparatiekaart/{hidden.pk}/").content.decode()
    assert "niet gepubliceerd" in html


@pytest.fixture
def repair_demo(demo_data: Any) -> Any:
    from cirkelregio.repair.services import repair_demo_load

    return repair_demo_load(
        directory=Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "repair"
    )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_demo_places_are_labelled_and_the_list_has_pages(
    client: Client, repair_demo: Any, prefix: str
) -> None:
    html = client.get(prefix + "/reparatiekaart/").content.decode()
    rows = _results(html)
    assert len(rows) == 25
    assert html.count('<span class="cr-demo">demo</span>') == 25
    assert "they do not exist" in html or "bestaan niet" in html
    assert 'rel="next"' in html
    second = client.get(prefix + "/reparatiekaart/?page=2").content.decode()
    assert '<ol class="cr-results" start="26">' in second
    assert not set(_names(second)) & {r["name"] for r in rows}
    place = rows[0]["name"]
    assert place.startswith("Demo ")


def test_demo_place_page_renders(client: Client, repair_demo: Any) -> None:
    html = client.get("/reparatiekaart/").content.decode()
    first = re.search(r'href="/reparatiekaart/(\d+)/"', html)
    assert first
    for prefix in ("", "/en"):
        response = client.get(f"{prefix}/reparatiekaart/{first[1]}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "cr-demo" in page
        assert "invented for demonstration" in page or "verzonnen" in page
