# SPDX-License-Identifier: EUPL-1.2
"""Suggestions from the public in the admin: only coordinators see them (with the
submitter's contact details); a correction shows each current value beside the
proposed one; the list actions ask for a note, then approve or reject through the
services, with messages, an audit trail and nothing applied twice."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.cache import cache
from django.test import Client

import pytest
from auditlog.models import LogEntry

from cirkelregio.regions.models import Postcode
from cirkelregio.repair import services
from cirkelregio.repair.models import RepairPlace, RepairPlaceSuggestion
from cirkelregio.repair.tests.conftest import Area

pytestmark = pytest.mark.django_db

# English: the messages are checked.
CHANGELIST = "/en/admin/repair/repairplacesuggestion/"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


def _admin(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _place(area: Area) -> RepairPlace:
    return services.place_create(
        actor=None,
        name="Fietsenmaker West",
        kind="bicycle_repair",
        postcode="3511 AA",
        phone="030 111 11 11",
        categories=["bicycle"],
        owner=area.org_a,
    )


def _new(name: str = "Repair Café Oost", **fields: Any) -> RepairPlaceSuggestion:
    values: dict[str, Any] = {
        "type": "new",
        "name": name,
        "kind": "repair_cafe",
        "postcode": "3600",
        "categories": ["clothing"],
        "submitter_name": "Jantje Privé",
        "submitter_email": "jantje@example.org",
    }
    values.update(fields)
    return services.place_suggestion_submit(client="192.0.2.1", **values)


def _correction(place: RepairPlace, **fields: Any) -> RepairPlaceSuggestion:
    return services.place_suggestion_submit(
        client="192.0.2.2", type="correction", place=place, **fields
    )


def _action(client: Client, action: str, *pks: int, **extra: str) -> Any:
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(pk) for pk in pks], **extra},
        follow=True,
    )


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 302),
        ("editor_a", 403),
        ("editor_b", 403),
        ("coordinator", 200),
    ],
)
def test_only_coordinators_see_the_suggestions(
    area: Area, who: str, status: int
) -> None:
    suggestion = _new()
    client = _admin(None if who == "anonymous" else getattr(area, who))
    for url in (CHANGELIST, f"{CHANGELIST}{suggestion.pk}/change/"):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 200:
            assert "jantje@example.org" in response.content.decode() or (
                url == CHANGELIST
            )
        else:
            assert "jantje@example.org" not in response.content.decode()
    index = client.get("/en/admin/")
    if who in {"editor_a", "editor_b"}:
        assert "repairplacesuggestion" not in index.content.decode()
        # Nor can they decide by posting the action.
        response = _action(client, "approve_suggestions", suggestion.pk, post="yes")
        assert response.status_code == 403
        suggestion.refresh_from_db()
        assert suggestion.status == "pending"
    if who == "coordinator":
        assert "/en/admin/repair/repairplacesuggestion/" in index.content.decode()


def test_the_list_has_filters_and_nothing_to_add_or_delete(area: Area) -> None:
    _new()
    _correction(_place(area), phone="030 2")
    client = _admin(area.coordinator)
    listed = client.get(CHANGELIST + "?type__exact=correction&status__exact=pending")
    assert [s.type for s in listed.context["cl"].result_list] == ["correction"]
    html = listed.content.decode()
    assert "opening_hours_unparsable" in html  # a filter
    assert "delete_selected" not in html
    assert client.get(CHANGELIST + "add/").status_code == 403


def test_a_correction_shows_current_and_proposed_values(area: Area) -> None:
    place = _place(area)
    suggestion = _correction(
        place,
        phone="030 222 22 22",
        categories=["bicycle", "electronics"],
        message="Nieuw nummer.",
    )
    html = (
        _admin(area.coordinator)
        .get(f"{CHANGELIST}{suggestion.pk}/change/")
        .content.decode()
    )
    assert "current value" in html and "proposed value" in html
    row = html.split("<td><strong>phone</strong></td>")[1].split("</tr>")[0]
    assert "<td>030 111 11 11</td>" in row
    assert "<td><strong>030 222 22 22</strong></td>" in row
    row = html.split("<td><strong>categories</strong></td>")[1].split("</tr>")[0]
    assert "<td>Bicycles</td>" in row
    assert "<strong>Bicycles, Electronics</strong>" in row
    row = html.split("<td>name</td>")[1].split("</tr>")[0]
    assert "<td>Fietsenmaker West</td><td>(no change)</td>" in row
    assert "Nieuw nummer." in html
    # Read-only: no save button.
    assert 'name="_save"' not in html


def test_approve_asks_for_a_note_then_applies(area: Area) -> None:
    place = _place(area)
    new = _new()
    correction = _correction(place, phone="030 222 22 22")
    client = _admin(area.coordinator)
    confirm = _action(client, "approve_suggestions", new.pk, correction.pk)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert 'name="post" value="yes"' in html and 'name="note"' in html
    assert RepairPlaceSuggestion.objects.filter(status="pending").count() == 2

    response = _action(
        client,
        "approve_suggestions",
        new.pk,
        correction.pk,
        post="yes",
        note="Nagebeld.",
    )
    assert response.status_code == 200
    assert _messages(response) == [
        "2 suggestions were approved and applied to the map."
    ]
    created = RepairPlace.objects.get(name="Repair Café Oost")
    assert list(created.categories.values_list("code", flat=True)) == ["clothing"]
    place.refresh_from_db()
    assert place.phone == "030 222 22 22"
    for suggestion in (new, correction):
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.decided_by) == (
            "approved",
            area.coordinator,
        )
        assert suggestion.decision_note == "Nagebeld."
        entry = LogEntry.objects.get_for_object(suggestion).latest("timestamp")
        assert entry.actor == area.coordinator
        assert "submitter_email" not in entry.changes_dict
        assert AdminLogEntry.objects.filter(
            object_id=str(suggestion.pk), user=area.coordinator
        ).exists()
    # The place's own audit trail names the coordinator too.
    entry = LogEntry.objects.get_for_object(place).latest("timestamp")
    assert entry.actor == area.coordinator

    again = _action(client, "approve_suggestions", new.pk, post="yes", note="")
    assert _messages(again) == [
        "“new place Repair Café Oost” was not approved: This suggestion has "
        "already been approved."
    ]
    assert RepairPlace.objects.filter(name="Repair Café Oost").count() == 1


def test_one_suggestion_that_cannot_be_applied_leaves_the_others(
    area: Area,
) -> None:
    bad = _new(name="Verdwenen")
    good = _new(name="Goed", postcode="3511")
    # The postcode area has gone since: the place cannot be located any more.
    Postcode.objects.filter(code="3600").delete()
    response = _action(
        _admin(area.coordinator),
        "approve_suggestions",
        good.pk,
        bad.pk,
        post="yes",
    )
    assert _messages(response) == [
        "“new place Verdwenen” was not approved: postcode: Unknown postcode area "
        "3600: give coordinates.",
        "1 suggestion was approved and applied to the map.",
    ]
    assert RepairPlace.objects.filter(name="Goed").exists()
    assert not RepairPlace.objects.filter(name="Verdwenen").exists()
    bad.refresh_from_db()
    assert bad.status == "pending"


def test_reject_needs_a_note(area: Area) -> None:
    suggestion = _new()
    client = _admin(area.coordinator)
    response = _action(client, "reject_suggestions", suggestion.pk, post="yes")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"

    response = _action(
        client, "reject_suggestions", suggestion.pk, post="yes", note="Bestaat niet."
    )
    assert _messages(response) == ["1 suggestion was rejected."]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decision_note) == (
        "rejected",
        "Bestaat niet.",
    )
    assert not RepairPlace.objects.filter(name="Repair Café Oost").exists()
