# SPDX-License-Identifier: EUPL-1.2
"""Progress on planned activities: who may record it, the checks on status, date and
achievement, and that a plan's changes are saved all together or not at all."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.regions.models import ActivityStatus, PlanStatus
from cirkelregio.regions.services import (
    ActivityProgress,
    ProgressError,
    annual_plan_progress_update,
    planned_activity_progress_update,
)
from cirkelregio.regions.tests.factories import (
    AnnualPlanFactory,
    OrganisationFactory,
    PlannedActivityFactory,
)

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def test_coordinator_records_a_status_with_its_date_and_achievement() -> None:
    coordinator = CoordinatorFactory()
    activity = PlannedActivityFactory()
    on = _today()
    planned_activity_progress_update(
        actor=coordinator,
        activity=activity,
        status=ActivityStatus.DONE,
        status_changed_on=on,
        achievement_nl="  Nulmeting van 12 wegvakken gereed.  ",
        achievement_figure="12 wegvakken",
        achievement_url="https://example.org/nulmeting",
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE
    assert activity.status_changed_on == on
    assert activity.achievement_nl == "Nulmeting van 12 wegvakken gereed."
    assert activity.achievement_figure == "12 wegvakken"
    assert activity.progress_updated_by == coordinator
    assert activity.progress_updated_at is not None


def test_a_status_change_without_a_date_is_dated_today() -> None:
    activity = PlannedActivityFactory()
    planned_activity_progress_update(
        actor=CoordinatorFactory(),
        activity=activity,
        status=ActivityStatus.IN_PROGRESS,
    )
    activity.refresh_from_db()
    assert activity.status_changed_on == _today()


def test_a_date_in_the_future_is_refused() -> None:
    activity = PlannedActivityFactory()
    with pytest.raises(ValidationError) as caught:
        planned_activity_progress_update(
            actor=CoordinatorFactory(),
            activity=activity,
            status=ActivityStatus.IN_PROGRESS,
            status_changed_on=_today() + dt.timedelta(days=1),
        )
    assert list(caught.value.message_dict) == ["status_changed_on"]
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED
    assert activity.status_changed_on is None


def test_a_date_before_the_plans_year_is_refused() -> None:
    activity = PlannedActivityFactory(plan__year=2026)
    with pytest.raises(ValidationError) as caught:
        planned_activity_progress_update(
            actor=CoordinatorFactory(),
            activity=activity,
            status=ActivityStatus.IN_PROGRESS,
            status_changed_on=dt.date(2025, 12, 31),
        )
    assert list(caught.value.message_dict) == ["status_changed_on"]


def test_a_status_change_cannot_be_dated_before_the_previous_one() -> None:
    activity = PlannedActivityFactory(
        status=ActivityStatus.IN_PROGRESS, status_changed_on=dt.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as caught:
        planned_activity_progress_update(
            actor=CoordinatorFactory(),
            activity=activity,
            status=ActivityStatus.CANCELLED,
            status_changed_on=dt.date(2026, 2, 1),
        )
    assert list(caught.value.message_dict) == ["status_changed_on"]


def test_done_needs_what_was_achieved() -> None:
    activity = PlannedActivityFactory(status=ActivityStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as caught:
        planned_activity_progress_update(
            actor=CoordinatorFactory(), activity=activity, status=ActivityStatus.DONE
        )
    assert list(caught.value.message_dict) == ["achievement_nl"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (ActivityStatus.DONE, ActivityStatus.PLANNED),
        (ActivityStatus.DONE, ActivityStatus.CANCELLED),
        (ActivityStatus.IN_PROGRESS, ActivityStatus.PLANNED),
        (ActivityStatus.CANCELLED, ActivityStatus.DONE),
    ],
)
def test_status_transitions_that_are_not_allowed(old: str, new: str) -> None:
    activity = PlannedActivityFactory(status=old, achievement_nl="Iets bereikt.")
    with pytest.raises(ValidationError) as caught:
        planned_activity_progress_update(
            actor=CoordinatorFactory(),
            activity=activity,
            status=new,
            achievement_nl="Iets bereikt.",
        )
    assert list(caught.value.message_dict) == ["status"]
    activity.refresh_from_db()
    assert activity.status == old


def test_a_finished_activity_can_be_reopened() -> None:
    activity = PlannedActivityFactory(
        status=ActivityStatus.DONE, achievement_nl="Klaar."
    )
    planned_activity_progress_update(
        actor=CoordinatorFactory(),
        activity=activity,
        status=ActivityStatus.IN_PROGRESS,
        achievement_nl="Klaar.",
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.IN_PROGRESS


def test_an_invalid_link_is_refused() -> None:
    activity = PlannedActivityFactory()
    with pytest.raises(ValidationError) as caught:
        planned_activity_progress_update(
            actor=CoordinatorFactory(),
            activity=activity,
            status=ActivityStatus.PLANNED,
            achievement_url="geen link",
        )
    assert list(caught.value.message_dict) == ["achievement_url"]


def test_one_problem_in_a_plan_saves_nothing() -> None:
    plan = AnnualPlanFactory()
    good = PlannedActivityFactory(plan=plan)
    bad = PlannedActivityFactory(plan=plan)
    with pytest.raises(ProgressError) as caught:
        annual_plan_progress_update(
            actor=CoordinatorFactory(),
            plan=plan,
            changes=[
                ActivityProgress(
                    good, ActivityStatus.IN_PROGRESS, achievement_nl="Gestart."
                ),
                ActivityProgress(
                    bad,
                    ActivityStatus.IN_PROGRESS,
                    status_changed_on=_today() + dt.timedelta(days=30),
                ),
            ],
        )
    assert list(caught.value.by_activity) == [bad.pk]
    good.refresh_from_db()
    assert good.status == ActivityStatus.PLANNED
    assert good.achievement_nl == ""


def test_editor_of_the_lead_organisation_records_its_activity() -> None:
    editor = EditorFactory()
    activity = PlannedActivityFactory(lead=editor.organisation)
    planned_activity_progress_update(
        actor=editor, activity=activity, status=ActivityStatus.IN_PROGRESS
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.IN_PROGRESS


@pytest.mark.parametrize("who", ["other-editor", "member", "draft-plan"])
def test_others_may_not_record_progress(who: str) -> None:
    lead = OrganisationFactory()
    activity = PlannedActivityFactory(lead=lead)
    if who == "other-editor":
        actor = EditorFactory()
    elif who == "member":
        actor = UserFactory(organisation=lead)
    else:
        actor = EditorFactory(organisation=lead)
        activity.plan.status = PlanStatus.DRAFT
        activity.plan.save()
    with pytest.raises(PermissionDenied):
        planned_activity_progress_update(
            actor=actor, activity=activity, status=ActivityStatus.IN_PROGRESS
        )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED
