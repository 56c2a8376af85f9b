# SPDX-License-Identifier: EUPL-1.2
"""Events and editions in the admin: who sees which, problems shown on the field
(the recurrence rule, the times), saves through the services."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from cirkelregio.events.models import RepairEvent
from cirkelregio.events.tests.conftest import World, at

pytestmark = pytest.mark.django_db

EVENTS = "/en/admin/events/repairevent/"
EDITIONS = "/en/admin/events/reparatieweekedition/"


def _admin(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form(**values: Any) -> dict[str, Any]:
    data = {
        "title_nl": "Reparatieavond",
        "title_en": "",
        "description_nl": "",
        "description_en": "",
        "kind": "repair_cafe",
        "place": "",
        "address": "Markt 1, 3511 Een",
        "municipality": "",
        "start_0": "2027-02-03",
        "start_1": "19:00",
        "end_0": "2027-02-03",
        "end_1": "21:00",
        "recurrence": "",
        "edition": "",
        "organiser": "",
        "website": "",
        "status": "published",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(
    ("who", "events", "editions"),
    [
        ("anonymous", 302, 302),
        ("editor_a", 200, 403),
        ("coordinator", 200, 200),
    ],
)
def test_who_reaches_events_and_editions(
    world: World, who: str, events: int, editions: int
) -> None:
    client = _admin(world.users()[who])
    assert client.get(EVENTS).status_code == events
    assert client.get(EDITIONS).status_code == editions


def test_editors_see_only_their_own_events(world: World) -> None:
    listed = _admin(world.editor_a).get(EVENTS).context["cl"].result_list
    assert {e.pk for e in listed} == {world.monthly.pk, world.draft.pk}
    response = _admin(world.editor_b).get(f"{EVENTS}{world.monthly.pk}/change/")
    assert response.status_code in {302, 403, 404}


def test_problems_are_shown_on_the_field(world: World) -> None:
    client = _admin(world.coordinator)
    response = client.post(
        f"{EVENTS}add/",
        _form(municipality=str(world.m1.pk), recurrence="FREQ=MONTHLY;BYDAY=1WE"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["recurrence"]
    assert "must end" in errors["recurrence"][0]
    response = client.post(
        f"{EVENTS}add/", _form(municipality=str(world.m1.pk), end_1="18:00")
    )
    assert response.context["adminform"].form.errors == {
        "end": ["The end must be after the start."]
    }
    assert not RepairEvent.objects.filter(title_nl="Reparatieavond").exists()


def test_a_coordinator_adds_a_recurring_event(world: World) -> None:
    response = _admin(world.coordinator).post(
        f"{EVENTS}add/",
        _form(
            place=str(world.place.pk),
            address="",
            recurrence="FREQ=MONTHLY;BYDAY=1WE;UNTIL=20270505",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = RepairEvent.objects.get(title_nl="Reparatieavond")
    assert event.municipality == world.m1
    assert event.recurrence == "FREQ=MONTHLY;BYDAY=1WE;UNTIL=20270505T215959Z"
    assert event.last_end == at("2027-05-05", "21:00")


def test_an_editor_adds_events_for_their_own_organisation(world: World) -> None:
    client = _admin(world.editor_a)
    form = client.get(f"{EVENTS}add/").context["adminform"].form
    assert list(form.fields["organiser"].queryset) == [world.org_a]
    assert list(form.fields["edition"].queryset) == [world.edition]
    response = client.post(
        f"{EVENTS}add/",
        _form(municipality=str(world.m1.pk), organiser=str(world.org_b.pk)),
    )
    assert response.status_code == 200  # not a valid choice
    response = client.post(
        f"{EVENTS}add/",
        _form(municipality=str(world.m1.pk), organiser=str(world.org_a.pk)),
    )
    assert response.status_code == 302
    assert RepairEvent.objects.get(title_nl="Reparatieavond").organiser == world.org_a
