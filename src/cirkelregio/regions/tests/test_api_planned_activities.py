# SPDX-License-Identifier: EUPL-1.2
"""Planned activities: the lead organisation's editors report progress."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.regions.models import PlanStatus
from cirkelregio.regions.tests.factories import (
    AnnualPlanFactory,
    OrganisationFactory,
    PlannedActivityFactory,
)

pytestmark = pytest.mark.django_db


def _client(user: object | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _url(activity: object) -> str:
    return f"/api/v1/planned-activities/{activity.pk}/"  # type: ignore[attr-defined]


def test_lead_editor_reports_progress() -> None:
    editor = EditorFactory()
    activity = PlannedActivityFactory(lead=editor.organisation)
    response = _client(editor).patch(_url(activity), {"status": "done"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    activity.refresh_from_db()
    assert activity.status == "done"


def test_editor_of_another_organisation_is_refused() -> None:
    activity = PlannedActivityFactory(lead=OrganisationFactory())
    response = _client(EditorFactory()).patch(
        _url(activity), {"status": "done"}, format="json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_anonymous_cannot_change() -> None:
    activity = PlannedActivityFactory()
    assert (
        _client().patch(_url(activity), {"status": "done"}, format="json").status_code
        == 403
    )


def test_editor_may_not_change_the_title() -> None:
    editor = EditorFactory()
    activity = PlannedActivityFactory(lead=editor.organisation)
    response = _client(editor).patch(
        _url(activity), {"title_nl": "Anders"}, format="json"
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["title_nl"]


def test_draft_plans_are_hidden_from_the_lead_editor() -> None:
    editor = EditorFactory()
    activity = PlannedActivityFactory(
        lead=editor.organisation, plan=AnnualPlanFactory(status=PlanStatus.DRAFT)
    )
    client = _client(editor)
    assert client.get(_url(activity)).status_code == 404
    assert (
        client.patch(_url(activity), {"status": "done"}, format="json").status_code
        == 404
    )
    assert _client(CoordinatorFactory()).get(_url(activity)).status_code == 200


def test_coordinator_reassigns_the_lead() -> None:
    activity = PlannedActivityFactory()
    other = OrganisationFactory()
    response = _client(CoordinatorFactory()).patch(
        _url(activity), {"lead": other.slug, "quarter": 3}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["lead"] == other.slug
    assert response.json()["quarter"] == 3


def test_list_shows_only_published_plans_to_the_public() -> None:
    published = PlannedActivityFactory()
    PlannedActivityFactory(plan=AnnualPlanFactory(status=PlanStatus.DRAFT))
    ids = [
        a["id"] for a in _client().get("/api/v1/planned-activities/").json()["results"]
    ]
    assert ids == [published.pk]


PROGRESS = {
    "status_changed_on": "2026-05-12",
    "achievement_nl": "Twaalf wegvakken ingemeten.",
    "achievement_en": "Twelve road sections measured.",
    "achievement_figure": "12 road sections",
    "achievement_url": "https://example.org/verslag",
}


def test_the_progress_is_shown_read_only() -> None:
    activity = PlannedActivityFactory(
        status="done",
        status_changed_on=dt.date(2026, 5, 12),
        achievement_nl=PROGRESS["achievement_nl"],
        achievement_en=PROGRESS["achievement_en"],
        achievement_figure=PROGRESS["achievement_figure"],
        achievement_url=PROGRESS["achievement_url"],
    )
    detail = _client().get(_url(activity)).json()
    assert {k: detail[k] for k in PROGRESS} == PROGRESS
    listed = _client().get("/api/v1/planned-activities/").json()["results"][0]
    assert {k: listed[k] for k in PROGRESS} == PROGRESS
    plan = _client().get(f"/api/v1/annual-plans/{activity.plan_id}/").json()
    assert {k: plan["activities"][0][k] for k in PROGRESS} == PROGRESS
    # Not changed through the API: the progress page records it with its rules.
    response = _client(CoordinatorFactory()).patch(
        _url(activity), {"achievement_nl": "Anders", "status": "done"}, format="json"
    )
    assert response.status_code == 200  # the unknown field is ignored
    activity.refresh_from_db()
    assert activity.achievement_nl == PROGRESS["achievement_nl"]


def test_a_new_plan_ignores_progress_given_with_its_activities() -> None:
    line = AnnualPlanFactory().action_line
    response = _client(CoordinatorFactory()).post(
        "/api/v1/annual-plans/",
        {
            "action_line": line.slug,
            "year": 2030,
            "title_nl": "Jaarplan 2030",
            "activities": [{"title_nl": "Meten", **PROGRESS}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    (activity,) = response.json()["activities"]
    assert activity["achievement_nl"] == "" and activity["status_changed_on"] is None
