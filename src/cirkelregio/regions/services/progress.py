# SPDX-License-Identifier: EUPL-1.2
"""Progress on the planned activities of an annual plan: the status, the date it was
reached and what was achieved ("we nemen samen verantwoordelijkheid voor voortgang",
koersdocument).

Coordinators record progress for every activity; the editors of an organisation for
the activities their organisation leads in a published plan
(``accounts.rules.can_change_planned_activity``). A plan's changes are checked
together and saved together: one problem and nothing is saved.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.accounts.rules import can_change_planned_activity
from cirkelregio.core.services import require
from cirkelregio.regions.models import (
    ACTIVITY_STATUS_TRANSITIONS,
    ActivityStatus,
    AnnualPlan,
    PlannedActivity,
)

PROGRESS_FIELDS = (
    "status",
    "status_changed_on",
    "achievement_nl",
    "achievement_en",
    "achievement_figure",
    "achievement_url",
)


@dataclass(frozen=True)
class ActivityProgress:
    """The progress to record for one activity. A ``status_changed_on`` of None on a
    status change means today."""

    activity: PlannedActivity
    status: str
    status_changed_on: dt.date | None = None
    achievement_nl: str = ""
    achievement_en: str = ""
    achievement_figure: str = ""
    achievement_url: str = ""


class ProgressError(ValidationError):
    """Problems with a plan's progress, per activity (its primary key) and field.
    ``message_dict`` keys are ``"<pk>.<field>"``."""

    def __init__(self, problems: dict[int, dict[str, list[str]]]) -> None:
        self.by_activity = problems
        super().__init__(
            {
                f"{pk}.{name}": messages
                for pk, fields in problems.items()
                for name, messages in fields.items()
            }
        )


def _check(
    item: ActivityProgress, today: dt.date, plan_year: int
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The changed fields of one activity, and the problems with them."""
    activity = item.activity
    problems: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "status": item.status,
        "achievement_nl": item.achievement_nl.strip(),
        "achievement_en": item.achievement_en.strip(),
        "achievement_figure": item.achievement_figure.strip(),
        "achievement_url": item.achievement_url.strip(),
    }
    status_changes = item.status != activity.status
    if item.status not in ActivityStatus.values:
        problems["status"] = [_("Choose one of the statuses.")]
    elif (
        status_changes
        and item.status not in ACTIVITY_STATUS_TRANSITIONS[activity.status]
    ):
        problems["status"] = [
            _("An activity cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": ActivityStatus(activity.status).label,
                "new": ActivityStatus(item.status).label,
            }
        ]
    on = item.status_changed_on
    if on is None and status_changes:
        on = today
    if on is not None:
        if on > today:
            problems["status_changed_on"] = [
                _("The date %(date)s is in the future; enter the date it happened.")
                % {"date": date_format(on, "j F Y")}
            ]
        elif on < dt.date(plan_year, 1, 1):
            problems["status_changed_on"] = [
                _("The date lies before the plan's year %(year)s.")
                % {"year": plan_year}
            ]
        elif (
            status_changes
            and activity.status_changed_on is not None
            and on < activity.status_changed_on
        ):
            problems["status_changed_on"] = [
                _("A status change cannot be dated before the previous one (%(date)s).")
                % {"date": date_format(activity.status_changed_on, "j F Y")}
            ]
    values["status_changed_on"] = on
    if item.status == ActivityStatus.DONE and not values["achievement_nl"]:
        problems["achievement_nl"] = [
            _("Describe what was achieved (in Dutch) when the activity is done.")
        ]
    changed = {
        name: value
        for name, value in values.items()
        if value != getattr(activity, name)
    }
    if changed and not problems:
        # Field checks (length, link) on a copy, so that nothing changes before
        # every activity has passed.
        probe = copy.copy(activity)
        for name, value in changed.items():
            setattr(probe, name, value)
        try:
            probe.full_clean(exclude=["plan", "lead", "progress_updated_by"])
        except ValidationError as exc:
            problems.update(exc.message_dict)
    return changed, problems


@transaction.atomic
def annual_plan_progress_update(
    *, actor: User | None, plan: AnnualPlan, changes: list[ActivityProgress]
) -> list[PlannedActivity]:
    """Record the progress of some of a plan's activities, all or nothing. Returns
    the activities that changed. Raises PermissionDenied when the actor may not change
    one of them, ProgressError listing every problem."""
    today = timezone.localdate()
    checked = []
    problems: dict[int, dict[str, list[str]]] = {}
    for item in changes:
        if item.activity.plan_id != plan.pk:
            raise ValueError("an activity of another plan")
        require(can_change_planned_activity(actor, item.activity))
        changed, found = _check(item, today, plan.year)
        if found:
            problems[item.activity.pk] = found
        checked.append((item.activity, changed))
    if problems:
        raise ProgressError(problems)
    now = timezone.now()
    saved = []
    for activity, changed in checked:
        if not changed:
            continue
        for name, value in changed.items():
            setattr(activity, name, value)
        activity.progress_updated_at = now
        activity.progress_updated_by = actor
        activity.save(
            update_fields=[*changed, "progress_updated_at", "progress_updated_by"]
        )
        saved.append(activity)
    return saved


def planned_activity_progress_update(
    *,
    actor: User | None,
    activity: PlannedActivity,
    status: str,
    status_changed_on: dt.date | None = None,
    achievement_nl: str = "",
    achievement_en: str = "",
    achievement_figure: str = "",
    achievement_url: str = "",
) -> PlannedActivity:
    """Record the progress of one activity. Problems are reported per field."""
    try:
        annual_plan_progress_update(
            actor=actor,
            plan=activity.plan,
            changes=[
                ActivityProgress(
                    activity=activity,
                    status=status,
                    status_changed_on=status_changed_on,
                    achievement_nl=achievement_nl,
                    achievement_en=achievement_en,
                    achievement_figure=achievement_figure,
                    achievement_url=achievement_url,
                )
            ],
        )
    except ProgressError as exc:
        raise ValidationError(exc.by_activity[activity.pk]) from exc
    return activity
