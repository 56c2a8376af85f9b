# SPDX-License-Identifier: EUPL-1.2
"""The suggestion forms of the Reparatiekaart: a new place and a correction (filled
with the place's current values; only what was changed is sent), linked from the
map and from each place; CSRF, errors next to their fields, the honeypot and the
limit per address with clear messages (429 for the limit), nothing stored when
refused. In both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.test import Client

import pytest

from cirkelregio.core import ratelimit
from cirkelregio.repair import services
from cirkelregio.repair.models import RepairPlaceSuggestion
from cirkelregio.repair.services import suggestions

pytestmark = pytest.mark.django_db

SUGGEST = "/reparatiekaart/voorstellen/"
THANKS = "/reparatiekaart/voorstellen/bedankt/"


@pytest.fixture(autouse=True)
def _fresh_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0 + 600)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def place(reference_data: Any) -> Any:
    return services.place_create(
        actor=None,
        name="Alfa Repair Café",
        kind="repair_cafe",
        street="Domplein 1",
        postcode="3512 JE",
        city="Utrecht",
        categories=["electronics", "clothing"],
        opening_hours="Sa[2] 10:00-13:00",
        repairs_nl="Lampen en broeken.",
        repairs_en="Lamps and trousers.",
        website="https://example.org/alfa",
        phone="030 123 45 67",
    )


def _correct(place: Any) -> str:
    return f"/reparatiekaart/{place.pk}/correctie/"


def _new(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Repair Café Oost",
        "kind": "repair_cafe",
        "categories": ["bicycle", "toys"],
        "repairs": "Fietsen en speelgoed.",
        "opening_hours": "Sa[1] 10:00-13:00",
        "street": "Oostweg 1",
        "postcode": "3581ab",
        "city": "Utrecht",
        "lat": "",
        "lon": "",
        "website": "example.org/oost",
        "email": "",
        "phone": "",
        "message": "",
        "submitter_name": "Jantje",
        "submitter_email": "jantje@example.org",
        "fax": "",
    }
    data.update(overrides)
    return data


def _current(place: Any, language: str = "nl", **changes: Any) -> dict[str, Any]:
    """What the correction form sends when a person changes ``changes`` only."""
    data: dict[str, Any] = {
        "name": place.name,
        "kind": place.kind,
        "categories": sorted(c.code for c in place.categories.all()),
        "repairs": getattr(place, f"repairs_{language}"),
        "opening_hours": place.opening_hours,
        "street": place.street,
        "postcode": place.postcode,
        "city": place.city,
        "lat": "",
        "lon": "",
        "website": place.website,
        "email": place.email,
        "phone": place.phone,
        "message": "",
        "submitter_name": "",
        "submitter_email": "",
        "fax": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("prefix", "language"), [("", "nl"), ("/en", "en")])
def test_a_new_place_is_stored_for_review(
    client: Client, reference_data: Any, prefix: str, language: str
) -> None:
    form = client.get(prefix + SUGGEST)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    heading = "Suggest a repair place" if prefix else "Stel een reparatieplek voor"
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    response = client.post(prefix + SUGGEST, _new())
    assert response.status_code == 302
    assert response["Location"] == prefix + THANKS
    suggestion = RepairPlaceSuggestion.objects.get()
    assert (suggestion.type, suggestion.status, suggestion.place) == (
        "new",
        "pending",
        None,
    )
    assert suggestion.postcode == "3581 AB"
    assert suggestion.categories == ["bicycle", "toys"]
    assert suggestion.website == "https://example.org/oost"
    assert getattr(suggestion, f"repairs_{language}") == "Fietsen en speelgoed."
    assert suggestion.submitter_email == "jantje@example.org"
    thanks = client.get(prefix + THANKS)
    assert thanks.status_code == 200
    # Not on the map until a coordinator approves it.
    assert "Repair Café Oost" not in client.get("/reparatiekaart/").content.decode()


def test_the_map_and_each_place_link_to_the_forms(client: Client, place: Any) -> None:
    html = client.get("/reparatiekaart/").content.decode()
    assert f'href="{SUGGEST}"' in html
    html = client.get(f"/reparatiekaart/{place.pk}/").content.decode()
    assert f'href="{_correct(place)}"' in html
    html = client.get(f"/en/reparatiekaart/{place.pk}/").content.decode()
    assert f'href="/en{_correct(place)}">Suggest a correction</a>' in html


@pytest.mark.parametrize(("prefix", "language"), [("", "nl"), ("/en", "en")])
def test_the_correction_form_holds_the_current_values(
    client: Client, place: Any, prefix: str, language: str
) -> None:
    response = client.get(prefix + _correct(place))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Alfa Repair Café"' in html
    assert 'value="3512 JE"' in html
    assert 'value="https://example.org/alfa"' in html
    assert '<option value="repair_cafe" selected>' in html
    for code in ("electronics", "clothing"):
        assert re.search(rf'<input[^>]*value="{code}"[^>]*checked>', html), code
    assert not re.search(r'<input[^>]*value="bicycle"[^>]*checked>', html)
    repairs = "Lampen en broeken." if language == "nl" else "Lamps and trousers."
    assert repairs in html
    # The point is derived from the postcode: not shown as the address.
    assert 'name="lat" value=' not in html
    # The breadcrumbs lead back to the place.
    assert f'href="{prefix}/reparatiekaart/{place.pk}/">Alfa Repair Café</a>' in html


@pytest.mark.parametrize(("prefix", "language"), [("", "nl"), ("/en", "en")])
def test_a_correction_sends_only_what_was_changed(
    client: Client, place: Any, prefix: str, language: str
) -> None:
    response = client.post(
        prefix + _correct(place),
        _current(
            place,
            language,
            phone="030 765 43 21",
            categories=["electronics"],
            repairs="Alleen lampen.",
            website="",  # emptied: proposes nothing
            message="Geen kleding meer.",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == prefix + THANKS
    suggestion = RepairPlaceSuggestion.objects.get()
    assert (suggestion.type, suggestion.place) == ("correction", place)
    assert suggestion.proposed() == {
        "phone": "030 765 43 21",
        "categories": ["electronics"],
        f"repairs_{language}": "Alleen lampen.",
    }
    assert suggestion.message == "Geen kleding meer."
    place.refresh_from_db()
    assert place.phone == "030 123 45 67"  # unchanged until approved


def test_a_correction_without_any_change_is_refused(client: Client, place: Any) -> None:
    response = client.post("/en" + _correct(place), _current(place, "en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="cr-error-summary"' in html
    assert "Change at least one detail, or say what is wrong." in html
    assert not RepairPlaceSuggestion.objects.exists()


def test_only_published_places_can_be_corrected(client: Client, place: Any) -> None:
    services.place_update(actor=None, place=place, is_published=False)
    assert client.get(_correct(place)).status_code == 404
    assert client.post(_correct(place), _current(place, phone="1")).status_code == 404
    assert client.get("/reparatiekaart/999999/correctie/").status_code == 404
    assert not RepairPlaceSuggestion.objects.exists()


def test_the_forms_need_a_csrf_token(place: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(SUGGEST, _new()).status_code == 403
    assert client.post(_correct(place), _current(place, phone="1")).status_code == 403
    assert not RepairPlaceSuggestion.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"kind": "castle"}, "kind", "Select a valid choice."),
        ({"categories": ["spaceships"]}, "categories", "Select a valid choice."),
        ({"postcode": "35111"}, "postcode", "A Dutch postcode is four digits"),
        ({"postcode": "1000"}, "postcode", "Unknown postcode area 1000"),
        ({"postcode": "", "lat": "48,85", "lon": "2.35"}, "lat", "Netherlands"),
        ({"lat": "52.09"}, "lon", "Give both latitude and longitude."),
        ({"lat": "noord", "lon": "5"}, "lat", "Enter a number."),
        ({"website": "geen website"}, "website", "Enter a valid URL."),
        ({"email": "geen-adres"}, "email", "Enter a valid email address."),
        ({"submitter_email": "x@"}, "submitter_email", "Enter a valid email"),
    ],
)
def test_errors_are_shown_next_to_their_field(
    client: Client,
    reference_data: Any,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = client.post("/en" + SUGGEST, _new(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    error = html.split(f'id="error-{field}">')[1].split("</p>")[0]
    assert message in error
    assert 'aria-invalid="true"' in html
    assert 'class="cr-error-summary"' in html
    anchor = "id_categories_0" if field == "categories" else f"id_{field}"
    assert f'href="#{anchor}"' in html
    assert "<title>Error:" in html
    # What was typed is kept.
    assert "Fietsen en speelgoed." in html
    assert not RepairPlaceSuggestion.objects.exists()


def test_coordinates_with_a_decimal_comma_are_read_in_dutch(
    client: Client, reference_data: Any
) -> None:
    response = client.post(SUGGEST, _new(lat="52,0907", lon="5,1214"))
    assert response.status_code == 302
    suggestion = RepairPlaceSuggestion.objects.get()
    assert (suggestion.lat, suggestion.lon) == (52.0907, 5.1214)


def test_the_honeypot_is_refused_with_a_clear_message(
    client: Client, reference_data: Any
) -> None:
    response = client.post("/en" + SUGGEST, _new(fax="+31 30 0000000"))
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('class="cr-error-summary"')[1].split("</div>")[0]
    assert "Your suggestion was not sent" in summary
    assert not RepairPlaceSuggestion.objects.exists()
    # The form comes back without the honeypot's value, so a person can send it.
    hidden = html.split("<div hidden>")[1].split("</div>")[0]
    assert 'name="fax"' in hidden and 'tabindex="-1"' in hidden
    assert "+31 30 0000000" not in html
    assert 'value="Repair Café Oost"' in html


def test_too_many_suggestions_from_one_address(client: Client, place: Any) -> None:
    for i in range(suggestions.SUGGESTIONS_PER_WINDOW):
        response = client.post(SUGGEST, _new(name=f"Plek {i}"), REMOTE_ADDR="192.0.2.5")
        assert response.status_code == 302
    # A correction counts in the same limit.
    response = client.post(
        _correct(place), _current(place, phone="1"), REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert 'class="cr-error-summary"' in html and "50 minuten" in html
    response = client.post(
        "/en" + SUGGEST, _new(name="Te veel"), REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 429
    assert "50 minutes" in response.content.decode()
    assert not RepairPlaceSuggestion.objects.filter(name="Te veel").exists()
    other = client.post(SUGGEST, _new(name="Elders"), REMOTE_ADDR="192.0.2.6")
    assert other.status_code == 302
    assert RepairPlaceSuggestion.objects.count() == (
        suggestions.SUGGESTIONS_PER_WINDOW + 1
    )


def test_the_form_says_what_the_personal_data_is_for(
    client: Client, reference_data: Any
) -> None:
    html = client.get("/en" + SUGGEST).content.decode()
    assert "a coordinator uses them only to ask you about this suggestion" in html
    assert 'autocomplete="email"' in html and 'autocomplete="name"' in html
