# SPDX-License-Identifier: EUPL-1.2
"""The admin: coordinators publish or reject suggestions with a list action (in the
audit log, with who did it); editors see and change only their own organisation's
initiatives and cannot review; saves go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.test import Client

import pytest
from auditlog.models import LogEntry

from cirkelregio.initiatives.models import ContactPoint, Initiative
from cirkelregio.initiatives.tests.conftest import World
from cirkelregio.initiatives.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/initiatives/initiative/"  # English: the messages are checked


def _admin(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _action(client: Client, action: str, *pks: int) -> Any:
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(pk) for pk in pks]},
        follow=True,
    )


def test_coordinator_publishes_a_suggestion_with_an_audit_trail(world: World) -> None:
    client = _admin(world.coordinator)
    listed = client.get(CHANGELIST + "?status__exact=suggested")
    assert [i.pk for i in listed.context["cl"].result_list] == [world.suggestion.pk]

    response = _action(client, "publish_suggestions", world.suggestion.pk)
    assert response.status_code == 200
    world.suggestion.refresh_from_db()
    assert world.suggestion.status == "published"
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["1 initiative was published."]

    entry = LogEntry.objects.get_for_object(world.suggestion).latest("timestamp")
    assert entry.actor == world.coordinator
    assert entry.changes_dict["status"] == ["suggested", "published"]
    assert AdminLogEntry.objects.filter(
        object_id=str(world.suggestion.pk), user=world.coordinator
    ).exists()


def test_reject_archives_and_other_statuses_are_skipped(world: World) -> None:
    client = _admin(world.coordinator)
    response = _action(
        client, "reject_suggestions", world.suggestion.pk, world.published.pk
    )
    world.suggestion.refresh_from_db()
    world.published.refresh_from_db()
    assert (world.suggestion.status, world.published.status) == (
        "archived",
        "published",
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "1 suggestion was rejected and archived.",
        "1 initiative was skipped: only suggestions can be published or rejected.",
    ]
    entry = LogEntry.objects.get_for_object(world.suggestion).latest("timestamp")
    assert entry.actor == world.coordinator
    assert entry.changes_dict["status"] == ["suggested", "archived"]


def test_editors_cannot_review(world: World) -> None:
    own = InitiativeFactory(
        owner=world.org_a, status="suggested", municipality=world.m1
    )
    client = _admin(world.editor_a)
    listed = client.get(CHANGELIST)
    assert listed.status_code == 200
    action_form = listed.context["action_form"]
    actions = (
        [name for name, _label in action_form.fields["action"].choices]
        if action_form is not None
        else []
    )
    assert "publish_suggestions" not in actions
    assert "reject_suggestions" not in actions
    assert "publish_suggestions" not in listed.content.decode()
    _action(client, "publish_suggestions", own.pk)
    own.refresh_from_db()
    assert own.status == "suggested"


def test_editor_sees_and_changes_only_own_initiatives(world: World) -> None:
    client = _admin(world.editor_a)
    listed = client.get(CHANGELIST)
    assert {i.pk for i in listed.context["cl"].result_list} == {world.published.pk}

    other = _admin(world.editor_b)
    assert {i.pk for i in other.get(CHANGELIST).context["cl"].result_list} == set()
    response = other.get(f"{CHANGELIST}{world.published.pk}/change/")
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert f"/{world.published.pk}/change/" not in response["Location"]
    suggestion = client.get(f"{CHANGELIST}{world.suggestion.pk}/change/")
    assert suggestion.status_code in {302, 403, 404}

    form = client.get(f"{CHANGELIST}{world.published.pk}/change/")
    assert form.status_code == 200
    assert "status" not in form.context["adminform"].form.fields
    posted = client.post(
        f"{CHANGELIST}{world.published.pk}/change/",
        {
            "name": "Repair Café Een",
            "type": "repair_cafe",
            "municipality": world.m1.pk,
            "stage": "professional",
            "description_nl": "Buurtbewoners repareren samen.",
            "description_en": "",
            "needs": ["advice", "space"],
            "support_text": "",
            "website": "",
            "contact_email": world.published.contact_email,
            "contact_phone": "",
        },
    )
    assert posted.status_code == 302, posted.content[:3000]
    world.published.refresh_from_db()
    assert (world.published.stage, world.published.needs) == (
        "professional",
        "space,advice",
    )
    assert world.published.status == "published"
    entry = LogEntry.objects.get_for_object(world.published).latest("timestamp")
    assert entry.actor == world.editor_a


def test_admin_refuses_a_second_active_contact_point(world: World) -> None:
    client = _admin(world.coordinator)
    response = client.post(
        "/admin/initiatives/contactpoint/add/",
        {
            "municipality": world.m1.pk,
            "organisation": world.org_m1.pk,
            "role_name": "Tweede loket",
            "email": "tweede@example.org",
            "last_verified": "2026-03-01",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert ContactPoint.objects.filter(municipality=world.m1).count() == 1
    assert Initiative.objects.count() == 2
