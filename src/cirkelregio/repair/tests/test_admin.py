# SPDX-License-Identifier: EUPL-1.2
"""The repair places in the admin: who sees which, saves through the services, and
location problems shown on the field."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from cirkelregio.repair.models import RepairCategory, RepairPlace
from cirkelregio.repair.tests.conftest import Area
from cirkelregio.repair.tests.factories import RepairPlaceFactory

pytestmark = pytest.mark.django_db

PLACES = "/admin/repair/repairplace/"


def _admin(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _form(**values: Any) -> dict[str, Any]:
    data = {
        "name": "Plek",
        "kind": "repair_cafe",
        "street": "",
        "postcode": "3511",
        "city": "",
        "lat": "",
        "lon": "",
        "repairs_nl": "",
        "repairs_en": "",
        "not_repaired_nl": "",
        "not_repaired_en": "",
        "opening_hours": "",
        "website": "",
        "email": "",
        "phone": "",
        "owner": "",
        "source": "",
        "last_verified": "",
        "internal_notes": "",
        "is_published": "on",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 302), ("editor_a", 200), ("coordinator", 200)],
)
def test_who_reaches_the_repair_places(area: Area, who: str, status: int) -> None:
    user = None if who == "anonymous" else getattr(area, who)
    response = _admin(user).get(PLACES)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


def test_editors_see_and_open_only_their_own_places(area: Area) -> None:
    own = RepairPlaceFactory(owner=area.org_a)
    other = RepairPlaceFactory(owner=area.org_b)
    unowned = RepairPlaceFactory()
    client = _admin(area.editor_a)
    listed = client.get(PLACES)
    assert {p.pk for p in listed.context["cl"].result_list} == {own.pk}
    assert client.get(f"{PLACES}{own.pk}/change/").status_code == 200
    for place in (other, unowned):
        response = client.get(f"{PLACES}{place.pk}/change/")
        assert response.status_code in {302, 403, 404}
        if response.status_code == 302:
            assert f"/{place.pk}/change/" not in response["Location"]
        posted = client.post(f"{PLACES}{place.pk}/change/", _form(name="Weg"))
        assert posted.status_code in {302, 403, 404}
        place.refresh_from_db()
        assert place.name != "Weg"
    everything = _admin(area.coordinator).get(PLACES)
    assert len(everything.context["cl"].result_list) == 3


def test_a_coordinator_adds_a_place_at_its_postcode(area: Area) -> None:
    bicycle = RepairCategory.objects.get(code="bicycle")
    client = _admin(area.coordinator)
    response = client.post(
        f"{PLACES}add/",
        _form(categories=[bicycle.pk], opening_hours="op afspraak"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = RepairPlace.objects.get()
    assert (place.lat, place.lon, place.coordinates_derived) == (52.05, 5.05, True)
    assert place.municipality == area.a
    assert place.opening_hours_unparsable is True
    assert list(place.categories.values_list("code", flat=True)) == ["bicycle"]


def test_location_problems_are_shown_on_the_field(area: Area) -> None:
    """The admin speaks Dutch (the default language), so the messages are Dutch."""
    client = _admin(area.coordinator)
    response = client.post(f"{PLACES}add/", _form(postcode="1000"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "postcode": ["Onbekend postcodegebied 1000: geef coördinaten."]
    }
    response = client.post(f"{PLACES}add/", _form(lat="48.85", lon="2.35"))
    assert response.context["adminform"].form.errors == {
        "lat": ["De plek moet in Nederland liggen."]
    }
    assert not RepairPlace.objects.exists()


def test_an_editor_changes_their_place_but_not_its_owner(area: Area) -> None:
    place = RepairPlaceFactory(owner=area.org_a, lat=52.02, lon=5.02)
    client = _admin(area.editor_a)
    url = f"{PLACES}{place.pk}/change/"
    assert "owner" not in client.get(url).context["adminform"].form.fields
    response = client.post(
        url,
        _form(name="Nieuwe naam", lat="52.03", lon="5.03", owner=str(area.org_b.pk)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place.refresh_from_db()
    assert (place.name, place.lat, place.owner) == ("Nieuwe naam", 52.03, area.org_a)


def test_an_editor_adds_places_only_for_their_organisation(area: Area) -> None:
    client = _admin(area.editor_a)
    form = client.get(f"{PLACES}add/").context["adminform"].form
    assert list(form.fields["owner"].queryset) == [area.org_a]
    response = client.post(f"{PLACES}add/", _form(owner=str(area.org_b.pk)))
    assert response.status_code == 200  # not a valid choice
    assert not RepairPlace.objects.exists()
    response = client.post(f"{PLACES}add/", _form(owner=str(area.org_a.pk)))
    assert response.status_code == 302
    assert RepairPlace.objects.get().owner == area.org_a


def test_categories_are_shown_not_edited(area: Area) -> None:
    client = _admin(area.coordinator)
    assert client.get("/admin/repair/repaircategory/").status_code == 200
    assert client.get("/admin/repair/repaircategory/add/").status_code == 403
