# SPDX-License-Identifier: EUPL-1.2
"""The initiatives API: who reads and changes what (anonymous, an editor of another
organisation, the owner's editor, a coordinator), the filters, public suggestions
with their validation and throttle, contact points, and problem details."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from cirkelregio.initiatives.models import ContactPoint, Initiative
from cirkelregio.initiatives.services import suggestions
from cirkelregio.initiatives.tests.conftest import World
from cirkelregio.initiatives.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/initiatives"
PROBLEM = "application/problem+json"


def _client(user: Any = None) -> APIClient:
    client = APIClient(REMOTE_ADDR="192.0.2.20")
    if user is not None:
        client.force_authenticate(user)
    return client


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def _suggestion(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "Ruilkast Noord",
        "initiative_type": "swap_and_share",
        "municipality": world.m2.cbs_code,
        "description_nl": "Een kast om spullen te ruilen.",
        "needs": ["publicity", "space"],
        "contact_email": "ruilkast@example.org",
        **overrides,
    }


# Reading ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_suggestion"),
    [
        ("anonymous", False),
        ("editor_b", False),
        ("editor_a", False),
        ("coordinator", True),
    ],
)
def test_suggestions_are_seen_by_coordinators_only(
    world: World, who: str, sees_suggestion: bool
) -> None:
    client = _client(world.users()[who])
    ids = _ids(client.get(f"{API}/initiatives/"))
    assert world.published.pk in ids
    assert (world.suggestion.pk in ids) is sees_suggestion
    response = client.get(f"{API}/initiatives/{world.suggestion.pk}/")
    assert response.status_code == (200 if sees_suggestion else 404)
    if not sees_suggestion:
        assert response["Content-Type"] == PROBLEM


def test_owner_sees_own_unpublished_initiative(world: World) -> None:
    draft = InitiativeFactory(
        owner=world.org_a, status="suggested", municipality=world.m1
    )
    assert draft.pk in _ids(_client(world.editor_a).get(f"{API}/initiatives/"))
    assert draft.pk not in _ids(_client(world.editor_b).get(f"{API}/initiatives/"))


@pytest.mark.parametrize(
    ("who", "consent", "sees_contact"),
    [
        ("anonymous", False, False),
        ("editor_b", False, False),
        ("editor_a", False, True),
        ("coordinator", False, True),
        ("anonymous", True, True),
    ],
)
def test_contact_details_need_consent_to_be_public(
    world: World, who: str, consent: bool, sees_contact: bool
) -> None:
    Initiative.objects.filter(pk=world.published.pk).update(
        contact_consent=consent, contact_phone="030 123 4567"
    )
    data = (
        _client(world.users()[who])
        .get(f"{API}/initiatives/{world.published.pk}/")
        .json()
    )
    expected = (
        (world.published.contact_email, "030 123 4567") if sees_contact else ("", "")
    )
    assert (data["contact_email"], data["contact_phone"]) == expected


def test_filters(world: World) -> None:
    other = InitiativeFactory(
        municipality=world.m2, type="food", stage="growing", needs="funding,materials"
    )
    client = _client()
    url = f"{API}/initiatives/"
    assert _ids(client.get(url, {"municipality": world.m2.cbs_code})) == {other.pk}
    assert _ids(client.get(url, {"type": "repair_cafe"})) == {world.published.pk}
    assert _ids(client.get(url, {"stage": "growing"})) == {other.pk}
    assert _ids(client.get(url, {"needs": "materials"})) == {other.pk}
    assert _ids(client.get(url, {"needs": "space"})) == {world.published.pk}
    both = client.get(url + "?needs=space&needs=funding")
    assert _ids(both) == {world.published.pk, other.pk}
    # The suggestion needs funding too, but the public does not see it.
    assert world.suggestion.pk not in _ids(client.get(url, {"needs": "funding"}))
    bad = client.get(url, {"type": "casino"})
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
    assert [p["name"] for p in bad.json()["invalid_params"]] == ["type"]


# Suggestions from the public ----------------------------------------------------------


def test_anyone_may_suggest_and_it_waits_for_review(world: World) -> None:
    client = _client()
    response = client.post(f"{API}/initiatives/", _suggestion(world), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["initiative_status"] == "suggested" and data["owner"] is None
    assert data["needs"] == ["space", "publicity"]
    assert data["contact_email"] == ""  # no consent: not even echoed back
    stored = Initiative.objects.get(pk=data["id"])
    assert stored.contact_email == "ruilkast@example.org"
    assert data["id"] not in _ids(client.get(f"{API}/initiatives/"))
    assert client.get(f"{API}/initiatives/{data['id']}/").status_code == 404


def test_a_suggestion_is_validated_like_any_initiative(world: World) -> None:
    response = _client().post(
        f"{API}/initiatives/",
        _suggestion(world, contact_email="", description_nl="", needs=["fame"]),
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert {p["name"] for p in response.json()["invalid_params"]} == {"needs.0"}
    response = _client().post(
        f"{API}/initiatives/",
        _suggestion(world, contact_email="", description_nl=""),
        format="json",
    )
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalid_params"]} == {
        "contact_email",
        "description_nl",
    }
    assert not Initiative.objects.filter(name="Ruilkast Noord").exists()


@pytest.mark.parametrize(
    "extra", [{"initiative_status": "published"}, {"owner": "org-a"}]
)
def test_the_public_cannot_publish_or_claim(
    world: World, extra: dict[str, str]
) -> None:
    response = _client().post(
        f"{API}/initiatives/", _suggestion(world, **extra), format="json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not Initiative.objects.filter(name="Ruilkast Noord").exists()


def test_suggestions_are_throttled_per_address(world: World) -> None:
    client = _client()
    for i in range(suggestions.SUGGESTIONS_PER_WINDOW):
        body = _suggestion(world, name=f"Kast {i}")
        assert (
            client.post(f"{API}/initiatives/", body, format="json").status_code == 201
        )
    response = client.post(
        f"{API}/initiatives/", _suggestion(world, name="Te veel"), format="json"
    )
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert int(response["Retry-After"]) == suggestions.WINDOW_SECONDS - 600
    assert response.json()["status"] == 429
    assert not Initiative.objects.filter(name="Te veel").exists()
    # Another address may still suggest; signed-in editors are not throttled.
    other = APIClient(REMOTE_ADDR="198.51.100.9")
    assert (
        other.post(
            f"{API}/initiatives/", _suggestion(world, name="Elders"), format="json"
        ).status_code
        == 201
    )
    owned = _client(world.editor_a).post(
        f"{API}/initiatives/",
        _suggestion(world, name="Van A", owner="org-a"),
        format="json",
    )
    assert owned.status_code == 201


# Managing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "own_org", "other_org", "published"),
    [
        ("anonymous", 403, 403, 403),
        ("editor_b", 201, 403, 403),
        ("editor_a", 201, 403, 403),
        ("coordinator", 201, 201, 201),
    ],
)
def test_create_permission_matrix(
    world: World, who: str, own_org: int, other_org: int, published: int
) -> None:
    user = world.users()[who]
    client = _client(user)
    mine = getattr(getattr(user, "organisation", None), "slug", "org-a")
    theirs = "org-b" if mine == "org-a" else "org-a"
    r = client.post(
        f"{API}/initiatives/", _suggestion(world, name="1", owner=mine), format="json"
    )
    assert r.status_code == own_org, r.content
    if r.status_code == 201:
        assert r.json()["initiative_status"] == "suggested"
    r = client.post(
        f"{API}/initiatives/", _suggestion(world, name="2", owner=theirs), format="json"
    )
    assert r.status_code == other_org, r.content
    r = client.post(
        f"{API}/initiatives/",
        _suggestion(world, name="3", owner=mine, initiative_status="published"),
        format="json",
    )
    assert r.status_code == published, r.content


@pytest.mark.parametrize(
    ("who", "content", "status", "delete"),
    [
        ("anonymous", 403, 403, 403),
        ("editor_b", 403, 403, 403),
        ("editor_a", 200, 403, 204),
        ("coordinator", 200, 200, 204),
    ],
)
def test_change_permission_matrix(
    world: World, who: str, content: int, status: int, delete: int
) -> None:
    client = _client(world.users()[who])
    url = f"{API}/initiatives/{world.published.pk}/"
    r = client.patch(url, {"initiative_stage": "growing"}, format="json")
    assert r.status_code == content, r.content
    if content == 200:
        assert r.json()["initiative_stage"] == "growing"
    r = client.patch(url, {"initiative_status": "archived"}, format="json")
    assert r.status_code == status, r.content
    if r.status_code >= 400:
        assert r["Content-Type"] == PROBLEM
    r = client.delete(url)
    assert r.status_code == delete
    assert Initiative.objects.filter(pk=world.published.pk).exists() is (delete != 204)


def test_invalid_change_is_a_problem_per_field(world: World) -> None:
    r = _client(world.editor_a).patch(
        f"{API}/initiatives/{world.published.pk}/",
        {"description_nl": "", "website": "http://"},
        format="json",
    )
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    assert {p["name"] for p in r.json()["invalid_params"]} == {"website"}
    r = _client(world.editor_a).patch(
        f"{API}/initiatives/{world.published.pk}/",
        {"description_nl": ""},
        format="json",
    )
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalid_params"]] == ["description_nl"]


def test_session_write_without_csrf_token_is_refused(world: World) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.editor_a)
    r = client.patch(
        f"{API}/initiatives/{world.published.pk}/",
        {"initiative_stage": "professional"},
        format="json",
    )
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    world.published.refresh_from_db()
    assert world.published.stage == "starting"


# Contact points -----------------------------------------------------------------------


def _contact_point(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "municipality": world.m1.cbs_code,
        "organisation": "gemeente-1",
        "role_name": "Loket",
        "email": "loket@example.org",
        "last_verified": "2026-03-01",
        "is_active": False,
        **overrides,
    }


def test_contact_points_public_sees_active_ones(world: World) -> None:
    inactive = ContactPoint.objects.create(
        municipality=world.m2,
        organisation=world.org_m1,
        role_name="Oud loket",
        email="oud@example.org",
        last_verified="2025-01-01",
        is_active=False,
    )
    ids = _ids(_client().get(f"{API}/contact-points/"))
    assert ids == {world.contact_point.pk}
    coordinator_ids = _ids(_client(world.coordinator).get(f"{API}/contact-points/"))
    assert coordinator_ids == {world.contact_point.pk, inactive.pk}
    filtered = _client().get(
        f"{API}/contact-points/", {"municipality": world.m2.cbs_code}
    )
    assert _ids(filtered) == set()
    data = _client().get(f"{API}/contact-points/{world.contact_point.pk}/").json()
    assert data["municipality"] == world.m1.cbs_code
    assert data["organisation"] == "gemeente-1"


@pytest.mark.parametrize(
    ("who", "create", "change"),
    [
        ("anonymous", 403, 403),
        ("editor_b", 403, 403),
        ("editor_m1", 201, 200),
        ("coordinator", 201, 200),
    ],
)
def test_contact_point_permission_matrix(
    world: World, who: str, create: int, change: int
) -> None:
    user = {**world.users(), "editor_m1": world.editor_m1}[who]
    client = _client(user)
    r = client.post(f"{API}/contact-points/", _contact_point(world), format="json")
    assert r.status_code == create, r.content
    r = client.patch(
        f"{API}/contact-points/{world.contact_point.pk}/",
        {"hours_nl": "Donderdag"},
        format="json",
    )
    assert r.status_code == change, r.content


def test_second_active_contact_point_is_a_problem(world: World) -> None:
    r = _client(world.coordinator).post(
        f"{API}/contact-points/", _contact_point(world, is_active=True), format="json"
    )
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    assert [p["name"] for p in r.json()["invalid_params"]] == ["municipality"]
    assert ContactPoint.objects.filter(municipality=world.m1).count() == 1
