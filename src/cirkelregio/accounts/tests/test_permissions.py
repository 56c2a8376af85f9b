# SPDX-License-Identifier: EUPL-1.2
"""Who may do what: the permission matrix of the registry.

Actors: anonymous, a signed-in user without a role (a member of organisation A), the
editor of organisation A, the editor of organisation B, a coordinator and an inactive
coordinator. Objects: organisation A (published and unpublished), a participation of A,
an annual plan (published and draft) and a planned activity led by A. Actions: view,
create, change and delete.

The same matrix is checked three ways: through the API (status codes, and that an
allowed write changed the database while a refused one left it as it was), through the
rule functions in ``accounts.rules``, and in the admin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client

import pytest
from rest_framework.test import APIClient

from cirkelregio.accounts import rules
from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.regions import services
from cirkelregio.regions.models import (
    AnnualPlan,
    Organisation,
    Participation,
    PlannedActivity,
    PlanStatus,
)
from cirkelregio.regions.tests.factories import (
    ActionLineFactory,
    AnnualPlanFactory,
    OrganisationFactory,
    ParticipationFactory,
    PlannedActivityFactory,
)

pytestmark = pytest.mark.django_db

ACTORS = (
    "anonymous",
    "no_role",
    "editor_a",
    "editor_b",
    "coordinator",
    "inactive_coordinator",
)

# Expected HTTP status per actor, in the order of ACTORS. Anonymous writes are 403
# (session authentication has no 401 challenge); a signed-in user who may not write at
# all is refused with 403 before any record is looked up; an editor who may not see a
# record gets 404. The API offers no deletion of annual plans: 405 for everyone.
#
#                                      anon  none  ed_A  ed_B  coord inactive
API_MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("organisation_a", "view"): (200, 200, 200, 200, 200, 200),
    ("organisation_a", "create"): (403, 403, 403, 403, 201, 403),
    ("organisation_a", "change"): (403, 403, 200, 403, 200, 403),
    ("organisation_a", "delete"): (403, 403, 403, 403, 204, 403),
    ("hidden_organisation_a", "view"): (404, 404, 200, 404, 200, 404),
    ("hidden_organisation_a", "change"): (403, 403, 200, 404, 200, 403),
    ("hidden_organisation_a", "delete"): (403, 403, 403, 404, 204, 403),
    ("participation_a", "view"): (200, 200, 200, 200, 200, 200),
    ("participation_a", "create"): (403, 403, 201, 403, 201, 403),
    ("participation_a", "change"): (403, 403, 200, 403, 200, 403),
    ("participation_a", "delete"): (403, 403, 204, 403, 204, 403),
    ("hidden_participation_a", "view"): (404, 404, 200, 404, 200, 404),
    ("hidden_participation_a", "create"): (403, 403, 201, 403, 201, 403),
    ("hidden_participation_a", "change"): (403, 403, 200, 404, 200, 403),
    ("hidden_participation_a", "delete"): (403, 403, 204, 404, 204, 403),
    ("published_plan", "view"): (200, 200, 200, 200, 200, 200),
    ("published_plan", "create"): (403, 403, 403, 403, 201, 403),
    ("published_plan", "change"): (403, 403, 403, 403, 200, 403),
    ("published_plan", "delete"): (405, 405, 405, 405, 405, 405),
    ("draft_plan", "view"): (404, 404, 404, 404, 200, 404),
    ("draft_plan", "create"): (403, 403, 403, 403, 201, 403),
    ("draft_plan", "change"): (403, 403, 404, 404, 200, 403),
    ("draft_plan", "delete"): (405, 405, 405, 405, 405, 405),
    # Planned activities are read and created as part of their annual plan.
    ("activity_a", "view"): (200, 200, 200, 200, 200, 200),
    ("activity_a", "create"): (403, 403, 403, 403, 201, 403),
    ("draft_activity_a", "view"): (404, 404, 404, 404, 200, 404),
}

# The rule functions: may the actor do it? The same actors, in the same order.
T, F = True, False
#                                        anon none ed_A ed_B coord inactive
RULES_MATRIX: dict[tuple[str, str], tuple[bool, ...]] = {
    ("organisation_a", "view"): (T, T, T, T, T, T),
    ("organisation_a", "create"): (F, F, F, F, T, F),
    ("organisation_a", "change"): (F, F, T, F, T, F),
    ("organisation_a", "delete"): (F, F, F, F, T, F),
    ("hidden_organisation_a", "view"): (F, F, T, F, T, F),
    ("hidden_organisation_a", "change"): (F, F, T, F, T, F),
    ("hidden_organisation_a", "delete"): (F, F, F, F, T, F),
    ("participation_a", "view"): (T, T, T, T, T, T),
    ("participation_a", "create"): (F, F, T, F, T, F),
    ("participation_a", "change"): (F, F, T, F, T, F),
    ("participation_a", "delete"): (F, F, T, F, T, F),
    ("hidden_participation_a", "view"): (F, F, T, F, T, F),
    ("hidden_participation_a", "change"): (F, F, T, F, T, F),
    ("published_plan", "view"): (T, T, T, T, T, T),
    ("published_plan", "create"): (F, F, F, F, T, F),
    ("published_plan", "change"): (F, F, F, F, T, F),
    ("published_plan", "delete"): (F, F, F, F, T, F),
    ("draft_plan", "view"): (F, F, F, F, T, F),
    ("draft_plan", "change"): (F, F, F, F, T, F),
    ("activity_a", "view"): (T, T, T, T, T, T),
    ("activity_a", "change"): (F, F, T, F, T, F),
    ("draft_activity_a", "view"): (F, F, F, F, T, F),
}


def _cells(matrix: dict[tuple[str, str], tuple[Any, ...]]) -> list[Any]:
    """The matrix as (actor, action, object, expected) rows for parametrize."""
    assert all(len(row) == len(ACTORS) for row in matrix.values())
    return [
        pytest.param(actor, action, obj, row[i], id=f"{actor}-{action}-{obj}")
        for (obj, action), row in matrix.items()
        for i, actor in enumerate(ACTORS)
    ]


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    participation_a: Participation
    published_plan: AnnualPlan
    draft_plan: AnnualPlan
    activity_a: PlannedActivity
    draft_activity_a: PlannedActivity
    free_line_slug: str  # an action line A does not take part in yet
    users: dict[str, User | None]

    def obj(self, name: str) -> Any:
        """The record named in the matrix; the "hidden_" objects are those of
        organisation A after it has been unpublished."""
        if name.startswith("hidden_"):
            self.org_a.is_published = False
            self.org_a.save()
            name = name.removeprefix("hidden_")
        return {
            "organisation_a": self.org_a,
            "participation_a": self.participation_a,
            "published_plan": self.published_plan,
            "draft_plan": self.draft_plan,
            "activity_a": self.activity_a,
            "draft_activity_a": self.draft_activity_a,
        }[name]


@pytest.fixture
def world() -> World:
    line_1, line_2, line_3 = ActionLineFactory.create_batch(3)
    org_a = OrganisationFactory(name="Organisatie A", slug="organisatie-a")
    org_b = OrganisationFactory(name="Organisatie B", slug="organisatie-b")
    participation_a = ParticipationFactory(
        organisation=org_a,
        action_line=line_1,
        contact_name="Anna Contact",
        contact_email="anna@example.org",
    )
    ParticipationFactory(organisation=org_b, action_line=line_1)
    published_plan = AnnualPlanFactory(
        action_line=line_1, year=2026, status=PlanStatus.IN_PROGRESS
    )
    draft_plan = AnnualPlanFactory(
        action_line=line_2, year=2026, status=PlanStatus.DRAFT
    )
    return World(
        org_a=org_a,
        org_b=org_b,
        participation_a=participation_a,
        published_plan=published_plan,
        draft_plan=draft_plan,
        activity_a=PlannedActivityFactory(plan=published_plan, lead=org_a),
        draft_activity_a=PlannedActivityFactory(plan=draft_plan, lead=org_a),
        free_line_slug=line_3.slug,
        users={
            "anonymous": None,
            "no_role": UserFactory(organisation=org_a),
            "editor_a": EditorFactory(organisation=org_a),
            "editor_b": EditorFactory(organisation=org_b),
            "coordinator": CoordinatorFactory(),
            "inactive_coordinator": CoordinatorFactory(is_active=False),
        },
    )


def _api_client(world: World, actor: str) -> APIClient:
    client = APIClient()
    user = world.users[actor]
    if user is not None:
        client.force_login(user)
    return client


# --- the API ----------------------------------------------------------------------

# Per (object kind, action): the request to send and a snapshot of what the request
# would change, to check that allowed writes took effect and refused ones did not.
Request = Callable[[APIClient, World, Any], Any]
Snapshot = Callable[[World, Any], Any]


def _plan_body(world: World, obj: Any, **extra: Any) -> dict[str, Any]:
    status = obj.status if isinstance(obj, AnnualPlan) else PlanStatus.ADOPTED
    return {
        "action_line": world.free_line_slug,
        "year": 2027,
        "title_nl": "Jaarplan 2027",
        "status": status,
        **extra,
    }


def _activities_led_by_a(world: World, *_: Any) -> int:
    return PlannedActivity.objects.filter(lead=world.org_a).count()


API_REQUESTS: dict[tuple[str, str], tuple[Request, Snapshot | None]] = {
    ("organisation", "view"): (
        lambda c, w, o: c.get(f"/api/v1/organisations/{o.slug}/"),
        None,
    ),
    ("organisation", "create"): (
        lambda c, w, o: c.post(
            "/api/v1/organisations/",
            {"name": "Nieuwe Organisatie", "kind": "company"},
            format="json",
        ),
        lambda w, o: Organisation.objects.count(),
    ),
    ("organisation", "change"): (
        lambda c, w, o: c.patch(
            f"/api/v1/organisations/{o.slug}/",
            {"website": "https://a.example.org"},
            format="json",
        ),
        lambda w, o: Organisation.objects.get(pk=o.pk).website,
    ),
    ("organisation", "delete"): (
        lambda c, w, o: c.delete(f"/api/v1/organisations/{o.slug}/"),
        lambda w, o: Organisation.objects.filter(pk=o.pk).exists(),
    ),
    ("participation", "view"): (
        lambda c, w, o: c.get(f"/api/v1/participations/{o.pk}/"),
        None,
    ),
    ("participation", "create"): (
        lambda c, w, o: c.post(
            "/api/v1/participations/",
            {
                "organisation": o.organisation.slug,
                "action_line": w.free_line_slug,
                "phase": "connect",
                "role": "participant",
            },
            format="json",
        ),
        lambda w, o: Participation.objects.filter(organisation=o.organisation).count(),
    ),
    ("participation", "change"): (
        lambda c, w, o: c.patch(
            f"/api/v1/participations/{o.pk}/", {"phase": "explore"}, format="json"
        ),
        lambda w, o: Participation.objects.get(pk=o.pk).phase,
    ),
    ("participation", "delete"): (
        lambda c, w, o: c.delete(f"/api/v1/participations/{o.pk}/"),
        lambda w, o: Participation.objects.filter(pk=o.pk).exists(),
    ),
    ("plan", "view"): (lambda c, w, o: c.get(f"/api/v1/annual-plans/{o.pk}/"), None),
    ("plan", "create"): (
        lambda c, w, o: c.post(
            "/api/v1/annual-plans/", _plan_body(w, o), format="json"
        ),
        lambda w, o: AnnualPlan.objects.count(),
    ),
    ("plan", "change"): (
        lambda c, w, o: c.patch(
            f"/api/v1/annual-plans/{o.pk}/", {"title_nl": "Herzien"}, format="json"
        ),
        lambda w, o: AnnualPlan.objects.get(pk=o.pk).title_nl,
    ),
    ("plan", "delete"): (
        lambda c, w, o: c.delete(f"/api/v1/annual-plans/{o.pk}/"),
        lambda w, o: AnnualPlan.objects.filter(pk=o.pk).exists(),
    ),
    ("activity", "view"): (
        lambda c, w, o: c.get(f"/api/v1/annual-plans/{o.plan_id}/"),
        None,
    ),
    ("activity", "create"): (
        lambda c, w, o: c.post(
            "/api/v1/annual-plans/",
            _plan_body(
                w, o, activities=[{"title_nl": "Werkbezoek", "lead": "organisatie-a"}]
            ),
            format="json",
        ),
        _activities_led_by_a,
    ),
}


def _kind(obj: Any) -> str:
    return {
        Organisation: "organisation",
        Participation: "participation",
        AnnualPlan: "plan",
        PlannedActivity: "activity",
    }[type(obj)]


@pytest.mark.parametrize(("actor", "action", "obj", "expected"), _cells(API_MATRIX))
def test_api_permission_matrix(
    world: World, actor: str, action: str, obj: str, expected: int
) -> None:
    record = world.obj(obj)
    send, snapshot = API_REQUESTS[(_kind(record), action)]
    before = snapshot(world, record) if snapshot else None

    response = send(_api_client(world, actor), world, record)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == expected
    if snapshot is not None:
        after = snapshot(world, record)
        if expected < 300:
            assert after != before, "an allowed change was not made"
        else:
            assert after == before, "a refused change was made anyway"
    if action == "view" and expected == 200:
        body = response.json()
        if isinstance(record, PlannedActivity):
            assert record.pk in [a["id"] for a in body["activities"]]
        else:
            key = "slug" if isinstance(record, Organisation) else "id"
            assert body[key] == getattr(record, key)


@pytest.mark.parametrize(
    ("actor", "may_see"),
    [
        ("anonymous", False),
        ("no_role", False),
        ("editor_a", True),
        ("editor_b", False),
        ("coordinator", True),
        ("inactive_coordinator", False),
    ],
)
def test_api_lists_show_unpublished_records_only_to_those_who_may_see_them(
    world: World, actor: str, may_see: bool
) -> None:
    world.obj("hidden_organisation_a")
    client = _api_client(world, actor)
    organisations = client.get("/api/v1/organisations/?limit=1000").json()["results"]
    participations = client.get("/api/v1/participations/?limit=1000").json()["results"]
    plans = client.get("/api/v1/annual-plans/?limit=1000").json()["results"]

    assert ("organisatie-a" in {o["slug"] for o in organisations}) is may_see
    assert (world.participation_a.pk in {p["id"] for p in participations}) is may_see
    assert "organisatie-b" in {o["slug"] for o in organisations}
    assert (world.draft_plan.pk in {p["id"] for p in plans}) is (actor == "coordinator")


@pytest.mark.parametrize(
    ("actor", "sees_contact"),
    [
        ("anonymous", False),
        ("no_role", False),
        ("editor_a", True),
        ("editor_b", False),
        ("coordinator", True),
        ("inactive_coordinator", False),
    ],
)
def test_contact_details_only_for_those_who_may_edit(
    world: World, actor: str, sees_contact: bool
) -> None:
    client = _api_client(world, actor)
    body = client.get(f"/api/v1/participations/{world.participation_a.pk}/").json()
    if sees_contact:
        assert body["contact_name"] == "Anna Contact"
        assert body["contact_email"] == "anna@example.org"
    else:
        assert body["contact_name"] == body["contact_email"] == ""


def test_editor_may_change_only_name_and_website_of_own_organisation(
    world: World,
) -> None:
    client = _api_client(world, "editor_a")
    response = client.patch(
        "/api/v1/organisations/organisatie-a/",
        {"is_published": False},
        format="json",
    )
    assert response.status_code == 400
    names = [p["name"] for p in response.json()["invalid_params"]]
    assert names == ["is_published"]
    world.org_a.refresh_from_db()
    assert world.org_a.is_published


def test_session_post_without_csrf_token_is_refused(world: World) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    body = {"name": "Zonder Token", "kind": "company"}

    response = client.post("/api/v1/organisations/", body, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]
    assert not Organisation.objects.filter(name="Zonder Token").exists()

    # The same request with a token is accepted, so the refusal was about CSRF.
    token = "a" * 32
    client.cookies["csrftoken"] = token
    accepted = client.post(
        "/api/v1/organisations/", body, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201
    assert Organisation.objects.filter(name="Zonder Token").exists()


# --- the rules ----------------------------------------------------------------------

RULE_CALLS: dict[tuple[str, str], Callable[[Any, Any], bool]] = {
    ("organisation", "view"): rules.can_view_organisation,
    ("organisation", "create"): lambda actor, o: rules.can_create_organisation(actor),
    ("organisation", "change"): rules.can_change_organisation,
    ("organisation", "delete"): rules.can_delete_organisation,
    ("participation", "view"): rules.can_view_participation,
    ("participation", "create"): lambda actor, p: rules.can_create_participation(
        actor, p.organisation
    ),
    ("participation", "change"): rules.can_change_participation,
    # Deleting a participation is changing it (API and admin use the same rule).
    ("participation", "delete"): rules.can_change_participation,
    ("plan", "view"): rules.can_view_annual_plan,
    ("plan", "create"): lambda actor, plan: rules.can_change_annual_plan(actor, None),
    ("plan", "change"): rules.can_change_annual_plan,
    ("plan", "delete"): rules.can_change_annual_plan,
    ("activity", "view"): rules.can_view_planned_activity,
    ("activity", "change"): rules.can_change_planned_activity,
}


def _rule_actor(world: World, actor: str) -> Any:
    user = world.users[actor]
    return AnonymousUser() if user is None else user


@pytest.mark.parametrize(("actor", "action", "obj", "expected"), _cells(RULES_MATRIX))
def test_rules_matrix(
    world: World, actor: str, action: str, obj: str, expected: bool
) -> None:
    record = world.obj(obj)
    rule = RULE_CALLS[(_kind(record), action)]
    assert rule(_rule_actor(world, actor), record) is expected


@pytest.mark.parametrize(("obj", "action"), list(RULES_MATRIX))
def test_the_system_actor_may_do_everything(
    world: World, obj: str, action: str
) -> None:
    """``actor=None`` is an operator's command, e.g. a data load."""
    record = world.obj(obj)
    assert RULE_CALLS[(_kind(record), action)](None, record) is True


def test_superuser_without_role_counts_as_coordinator(world: World) -> None:
    superuser = UserFactory(is_superuser=True)
    assert rules.can_delete_organisation(superuser, world.org_a)
    assert rules.can_view_annual_plan(superuser, world.draft_plan)


def test_editor_without_organisation_edits_nothing(world: World) -> None:
    editor = EditorFactory(organisation=None)
    assert not rules.can_edit_registry(editor)
    assert not rules.can_change_organisation(editor, world.org_a)
    assert not rules.can_change_participation(editor, world.participation_a)


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [("editor_a", True), ("editor_b", False), ("coordinator", True)],
)
def test_planned_activity_service_follows_the_rule(
    world: World, actor: str, allowed: bool
) -> None:
    """There is no API endpoint for a single planned activity; its service is where
    the rule is enforced."""
    user = world.users[actor]
    if allowed:
        services.planned_activity_update(
            actor=user, activity=world.activity_a, status="in_progress"
        )
    else:
        with pytest.raises(PermissionDenied):
            services.planned_activity_update(
                actor=user, activity=world.activity_a, status="in_progress"
            )
    world.activity_a.refresh_from_db()
    assert (world.activity_a.status == "in_progress") is allowed


# --- the admin ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "reaches_admin"),
    [
        ("anonymous", False),
        ("no_role", False),
        ("editor_a", True),
        ("editor_b", True),
        ("coordinator", True),
        ("inactive_coordinator", False),
    ],
)
def test_who_reaches_the_admin(world: World, actor: str, reaches_admin: bool) -> None:
    client = Client()
    user = world.users[actor]
    if user is not None:
        client.force_login(user)
    response = client.get("/admin/")
    if reaches_admin:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def _admin(world: World, actor: str) -> Client:
    client = Client()
    client.force_login(world.users[actor])
    return client


def test_editor_sees_only_own_participations_in_the_admin(world: World) -> None:
    own = set(
        Participation.objects.filter(organisation=world.org_a).values_list(
            "pk", flat=True
        )
    )
    assert own and Participation.objects.exclude(pk__in=own).exists()

    response = _admin(world, "editor_a").get("/admin/regions/participation/")

    assert response.status_code == 200
    assert {p.pk for p in response.context["cl"].result_list} == own

    everything = _admin(world, "coordinator").get("/admin/regions/participation/")
    assert {p.pk for p in everything.context["cl"].result_list} == set(
        Participation.objects.values_list("pk", flat=True)
    )


def test_editor_cannot_open_another_organisations_participation(world: World) -> None:
    other = Participation.objects.get(organisation=world.org_b)
    client = _admin(world, "editor_a")

    response = client.get(f"/admin/regions/participation/{other.pk}/change/")
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert f"/{other.pk}/change/" not in response["Location"]

    posted = client.post(
        f"/admin/regions/participation/{other.pk}/change/",
        {"phase": "realise", "role": "lead", "since": "2025-01-06"},
    )
    assert posted.status_code in {302, 403, 404}
    other.refresh_from_db()
    assert other.phase == "connect"

    own = client.get(f"/admin/regions/participation/{world.participation_a.pk}/change/")
    assert own.status_code == 200


def test_editor_does_not_see_draft_plans_in_the_admin(world: World) -> None:
    client = _admin(world, "editor_a")

    listed = client.get("/admin/regions/annualplan/")
    assert listed.status_code == 200
    assert {p.pk for p in listed.context["cl"].result_list} == {world.published_plan.pk}

    draft = client.get(f"/admin/regions/annualplan/{world.draft_plan.pk}/change/")
    assert draft.status_code in {302, 403, 404}
    if draft.status_code == 302:
        assert f"/{world.draft_plan.pk}/change/" not in draft["Location"]

    coordinator = _admin(world, "coordinator").get("/admin/regions/annualplan/")
    assert {p.pk for p in coordinator.context["cl"].result_list} == {
        world.published_plan.pk,
        world.draft_plan.pk,
    }


def test_phase_change_dates_are_kept_in_the_admin_history(world: World) -> None:
    """A coordinator's change in the admin goes through the same service as the API
    and appends to the phase history."""
    participation = services.participation_create(
        actor=None,
        organisation=world.org_b,
        action_line=world.draft_plan.action_line,
        phase="connect",
        role="participant",
        since=dt.date(2025, 3, 3),
    )
    response = _admin(world, "coordinator").post(
        f"/admin/regions/participation/{participation.pk}/change/",
        {
            "organisation": world.org_b.pk,
            "action_line": participation.action_line_id,
            "phase": "explore",
            "role": "participant",
            "since": "2025-03-03",
            "contact_name": "",
            "contact_email": "",
            "note_nl": "",
            "phase_changes-TOTAL_FORMS": "1",
            "phase_changes-INITIAL_FORMS": "1",
            "phase_changes-MIN_NUM_FORMS": "0",
            "phase_changes-MAX_NUM_FORMS": "1000",
            "phase_changes-0-id": participation.phase_changes.get().pk,
            "phase_changes-0-participation": participation.pk,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert list(participation.phase_changes.values_list("phase", flat=True)) == [
        "connect",
        "explore",
    ]
