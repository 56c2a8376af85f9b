# SPDX-License-Identifier: EUPL-1.2
"""The events API: who reads and changes what (anonymous, an editor of another
organisation, the organiser's editor, a coordinator), the filters, the period with
the sessions of recurring events expanded, validation as problem details, and the
editions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
from cirkelregio.events.tests.conftest import World
from cirkelregio.events.tests.factories import RepairEventFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/events"
PROBLEM = "application/problem+json"


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def _new(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "title_nl": "Reparatiecafé Oost",
        "event_kind": "repair_cafe",
        "place": world.place.pk,
        "start": "2027-01-02T10:00:00+01:00",
        "end": "2027-01-02T12:00:00+01:00",
        "recurrence": "FREQ=MONTHLY;BYDAY=1SA;UNTIL=20270630",
        "organiser": "org-a",
        **overrides,
    }


def _invalid(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"]: p["reason"] for p in response.json()["invalid_params"]}


# Reading ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_draft", "sees_hidden"),
    [
        ("anonymous", False, False),
        ("editor_b", False, False),
        ("editor_a", True, False),
        ("coordinator", True, True),
    ],
)
def test_drafts_are_seen_by_their_organiser_and_coordinators(
    world: World, who: str, sees_draft: bool, sees_hidden: bool
) -> None:
    client = _client(world.users()[who])
    ids = _ids(client.get(f"{API}/events/"))
    assert {world.monthly.pk, world.workshop.pk} <= ids
    assert (world.draft.pk in ids) is sees_draft
    assert (world.hidden.pk in ids) is sees_hidden
    response = client.get(f"{API}/events/{world.draft.pk}/")
    assert response.status_code == (200 if sees_draft else 404)
    if not sees_draft:
        assert response["Content-Type"] == PROBLEM


def test_an_event_reads_back_with_all_its_sessions(world: World) -> None:
    data = _client().get(f"{API}/events/{world.monthly.pk}/").json()
    assert data["title_nl"] == "Repair Café Centrum"
    assert data["event_kind"] == "repair_cafe"
    assert data["place"] == world.place.pk
    assert data["municipality"] == "GM9101"
    assert data["location"] == "Repair Café Centrum, Kerkstraat 1, 3511 AA Een"
    assert data["organiser"] == "org-a"
    assert data["edition"] is None
    assert data["event_status"] == "published"
    assert data["start"] == "2027-01-09T10:00:00+01:00"
    assert data["recurrence"] == "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231T225959Z"
    assert data["last_end"] == "2027-12-11T13:00:00+01:00"
    assert len(data["occurrences"]) == 12
    assert data["occurrences"][3] == {
        "start": "2027-04-10T10:00:00+02:00",
        "end": "2027-04-10T13:00:00+02:00",
    }


def test_filters(world: World) -> None:
    client = _client()
    url = f"{API}/events/"
    assert _ids(client.get(url, {"municipality": "GM9102"})) == {world.workshop.pk}
    assert _ids(client.get(url, {"place": world.place.pk})) == {world.monthly.pk}
    assert _ids(client.get(url, {"edition": world.edition.pk})) == {world.workshop.pk}
    assert _ids(client.get(url, {"kind": "workshop"})) == {world.workshop.pk}
    assert _ids(client.get(url, {"organiser": "org-a"})) == {world.monthly.pk}
    assert _ids(client.get(url, {"edition": world.draft_edition.pk})) == set()


def test_a_period_lists_the_sessions_in_it(world: World) -> None:
    response = _client().get(
        f"{API}/events/", {"from": "2027-03-01", "until": "2027-04-30"}
    )
    results = {item["id"]: item for item in response.json()["results"]}
    assert set(results) == {world.monthly.pk, world.workshop.pk}
    assert results[world.monthly.pk]["occurrences"] == [
        {"start": "2027-03-13T10:00:00+01:00", "end": "2027-03-13T13:00:00+01:00"},
        {"start": "2027-04-10T10:00:00+02:00", "end": "2027-04-10T13:00:00+02:00"},
    ]
    assert results[world.workshop.pk]["occurrences"] == [
        {"start": "2027-03-17T19:00:00+01:00", "end": "2027-03-17T21:30:00+01:00"}
    ]
    # The start and the end of the period are included.
    only_first = _client().get(
        f"{API}/events/", {"from": "2027-04-10", "until": "2027-04-10"}
    )
    assert _ids(only_first) == {world.monthly.pk}


def test_a_recurring_event_without_a_session_in_the_period_is_left_out(
    world: World,
) -> None:
    client = _client()
    between = {"from": "2027-03-14", "until": "2027-04-09"}
    assert _ids(client.get(f"{API}/events/", between)) == {world.workshop.pk}
    assert _ids(client.get(f"{API}/events/", {"from": "2027-12-12"})) == set()
    until = client.get(f"{API}/events/", {"until": "2027-01-31"}).json()["results"]
    assert [(e["id"], len(e["occurrences"])) for e in until] == [(world.monthly.pk, 1)]


def test_the_period_of_one_event_read(world: World) -> None:
    data = (
        _client()
        .get(
            f"{API}/events/{world.monthly.pk}/",
            {"from": "2027-06-01", "until": "2027-07-31"},
        )
        .json()
    )
    assert [o["start"][:10] for o in data["occurrences"]] == [
        "2027-06-12",
        "2027-07-10",
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2027-05-01", "until": "2027-04-30"}, "until"),
        ({"from": "1 May"}, "from"),
        ({"place": "0"}, "place"),
        ({"kind": "party"}, "kind"),
        ({"from": "0001-01-01"}, "from"),
        ({"until": "9999-12-31"}, "until"),
    ],
)
def test_bad_filters_are_problem_details(
    world: World, params: dict[str, str], field: str
) -> None:
    assert field in _invalid(_client().get(f"{API}/events/", params))


# Writing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "organiser", "status"),
    [
        ("anonymous", "org-a", 403),
        ("editor_b", "org-a", 403),
        ("editor_a", None, 403),
        ("editor_a", "org-a", 201),
        ("coordinator", "org-b", 201),
    ],
)
def test_who_creates_events(
    world: World, who: str, organiser: str | None, status: int
) -> None:
    response = _client(world.users()[who]).post(
        f"{API}/events/", _new(world, organiser=organiser), format="json"
    )
    assert response.status_code == status, response.content
    if status == 201:
        data = response.json()
        assert data["organiser"] == organiser
        assert data["municipality"] == "GM9101"
        assert data["recurrence"] == "FREQ=MONTHLY;BYDAY=1SA;UNTIL=20270630T215959Z"
        assert [o["start"][:10] for o in data["occurrences"]] == [
            "2027-01-02",
            "2027-02-06",
            "2027-03-06",
            "2027-04-03",
            "2027-05-01",
            "2027-06-05",
        ]
        assert data["event_status"] == "draft"
    else:
        assert response["Content-Type"] == PROBLEM
        assert not RepairEvent.objects.filter(title_nl="Reparatiecafé Oost").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": "2027-01-02T09:00:00+01:00"}, "end"),
        ({"recurrence": "FREQ=MONTHLY;BYDAY=1SA"}, "recurrence"),
        ({"recurrence": "FREQ=MONTHLY;BYDAY=5XX;COUNT=2"}, "recurrence"),
        ({"recurrence": "FREQ=MONTHLY;BYDAY=2SA;COUNT=2"}, "recurrence"),
        ({"place": None}, "address"),
        ({"start": "morgen"}, "start"),
        ({"start": "1999-01-02T10:00:00+01:00"}, "start"),
    ],
)
def test_invalid_events_are_refused_on_the_field(
    world: World, change: dict[str, Any], field: str
) -> None:
    response = _client(world.editor_a).post(
        f"{API}/events/", _new(world, **change), format="json"
    )
    assert field in _invalid(response)
    assert not RepairEvent.objects.filter(title_nl="Reparatiecafé Oost").exists()


@pytest.mark.parametrize(
    ("who", "patch", "delete"),
    [
        ("anonymous", 403, 403),
        ("editor_b", 403, 403),
        ("editor_a", 200, 204),
        ("coordinator", 200, 204),
    ],
)
def test_who_changes_and_removes_events(
    world: World, who: str, patch: int, delete: int
) -> None:
    client = _client(world.users()[who])
    url = f"{API}/events/{world.monthly.pk}/"
    response = client.patch(url, {"title_en": "Repair Café Middle"}, format="json")
    assert response.status_code == patch, response.content
    if patch == 200:
        assert response.json()["title_en"] == "Repair Café Middle"
        assert len(response.json()["occurrences"]) == 12
    assert client.delete(url).status_code == delete
    assert RepairEvent.objects.filter(pk=world.monthly.pk).exists() is (delete != 204)


def test_only_coordinators_hand_an_event_to_another_organiser(world: World) -> None:
    url = f"{API}/events/{world.monthly.pk}/"
    response = _client(world.editor_a).patch(url, {"organiser": "org-b"}, format="json")
    assert response.status_code == 403
    response = _client(world.coordinator).patch(
        url, {"organiser": "org-b"}, format="json"
    )
    assert response.json()["organiser"] == "org-b"


def test_an_editor_publishes_their_event(world: World) -> None:
    url = f"{API}/events/{world.draft.pk}/"
    response = _client(world.editor_a).patch(
        url, {"event_status": "published"}, format="json"
    )
    assert response.json()["event_status"] == "published"
    assert world.draft.pk in _ids(_client().get(f"{API}/events/"))


# Editions -----------------------------------------------------------------------------


def test_editions_are_read_by_everyone_when_published(world: World) -> None:
    assert _ids(_client().get(f"{API}/editions/")) == {world.edition.pk}
    assert _ids(_client(world.coordinator).get(f"{API}/editions/")) == {
        world.edition.pk,
        world.draft_edition.pk,
    }
    data = _client().get(f"{API}/editions/{world.edition.pk}/").json()
    assert data["theme_en"] == "Clothing"
    assert data["start_date"] == "2027-03-15" and data["end_date"] == "2027-03-20"
    response = _client().get(f"{API}/editions/{world.draft_edition.pk}/")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 403), ("editor_b", 403), ("editor_a", 403), ("coordinator", 201)],
)
def test_only_coordinators_create_editions(world: World, who: str, status: int) -> None:
    response = _client(world.users()[who]).post(
        f"{API}/editions/",
        {
            "name": "Reparatieweek najaar 2028",
            "start_date": "2028-10-02",
            "end_date": "2028-10-07",
            "theme_nl": "Elektronica",
            "is_published": True,
        },
        format="json",
    )
    assert response.status_code == status, response.content
    exists = ReparatieweekEdition.objects.filter(name="Reparatieweek najaar 2028")
    assert exists.exists() is (status == 201)


def test_edition_problems_are_problem_details(world: World) -> None:
    client = _client(world.coordinator)
    response = client.post(
        f"{API}/editions/",
        {"name": "Omgekeerd", "start_date": "2028-10-07", "end_date": "2028-10-02"},
        format="json",
    )
    assert "end_date" in _invalid(response)
    response = client.delete(f"{API}/editions/{world.edition.pk}/")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert ReparatieweekEdition.objects.filter(pk=world.edition.pk).exists()
    response = _client(world.editor_a).patch(
        f"{API}/editions/{world.edition.pk}/", {"name": "X"}, format="json"
    )
    assert response.status_code == 403


def test_an_activity_must_fall_in_its_edition(world: World) -> None:
    response = _client(world.coordinator).post(
        f"{API}/events/",
        _new(world, edition=world.edition.pk, recurrence=""),
        format="json",
    )
    assert "edition" in _invalid(response)
    response = _client(world.coordinator).post(
        f"{API}/events/",
        _new(
            world,
            edition=world.edition.pk,
            recurrence="",
            start="2027-03-16T10:00:00+01:00",
            end="2027-03-16T12:00:00+01:00",
        ),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["edition"] == world.edition.pk


def test_events_are_listed_by_start(world: World) -> None:
    early = RepairEventFactory(municipality=world.m1, title_nl="Vroeg")
    RepairEvent.objects.filter(pk=early.pk).update(
        start=world.monthly.start.replace(year=2026)
    )
    results = _client().get(f"{API}/events/").json()["results"]
    assert results[0]["id"] == early.pk
