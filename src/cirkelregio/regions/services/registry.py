# SPDX-License-Identifier: EUPL-1.2
"""Create, change and remove registry records, with validation and phase history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.accounts.rules import (
    can_change_annual_plan,
    can_change_organisation,
    can_change_participation,
    can_change_planned_activity,
    can_create_organisation,
    can_create_participation,
    can_delete_organisation,
)
from cirkelregio.core.services import apply_changes, full_clean, require, save
from cirkelregio.regions.models import (
    ActionLine,
    AnnualPlan,
    Municipality,
    Organisation,
    Participation,
    ParticipationSource,
    PhaseChange,
    PlannedActivity,
)

# A violated unique constraint is reported on the field the user would change, in
# Django's words for a duplicate: constraint name -> (field, the fields made unique).
UNIQUE_CONSTRAINT_FIELDS = {
    "one_participation_per_line": ("action_line", ("organisation", "action_line")),
    "organisation_name_unique_ci": ("name", ("name",)),
    "one_municipality_organisation": ("municipality", ("municipality",)),
    "one_plan_per_year": ("year", ("action_line", "year")),
}


def _full_clean(instance: models.Model) -> None:
    full_clean(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS)


def _save(instance: models.Model) -> None:
    save(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "organisatie"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    municipality: Municipality | None = None,
    website: str = "",
    slug: str | None = None,
    is_published: bool = True,
    is_demo: bool = False,
) -> Organisation:
    require(can_create_organisation(actor))
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        municipality=municipality,
        website=website,
        slug=slug or _unique_slug(name),
        is_published=is_published,
        is_demo=is_demo,
    )
    _full_clean(organisation)
    _save(organisation)
    return organisation


ORGANISATION_EDITABLE = {"name", "kind", "municipality", "website", "is_published"}
ORGANISATION_EDITABLE_BY_EDITOR = {"name", "website"}


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, **fields: Any
) -> Organisation:
    require(can_change_organisation(actor, organisation))
    allowed = (
        ORGANISATION_EDITABLE
        if actor is None or actor.is_coordinator
        else ORGANISATION_EDITABLE_BY_EDITOR
    )
    if apply_changes(organisation, fields, allowed):
        _full_clean(organisation)
        _save(organisation)
    return organisation


@transaction.atomic
def organisation_delete(*, actor: User | None, organisation: Organisation) -> None:
    require(can_delete_organisation(actor, organisation))
    try:
        organisation.delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        blocking = getattr(exc, "protected_objects", None) or getattr(
            exc, "restricted_objects", ()
        )
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
        raise ValidationError(
            {
                "organisation": _(
                    "This organisation still has %(kinds)s; remove or move them first."
                )
                % {"kinds": ", ".join(kinds)}
            }
        ) from exc


def _check_history(
    history: list[tuple[str, dt.date]], since: dt.date, phase: str
) -> None:
    if not history:
        return
    dates = [d for _p, d in history]
    if dates != sorted(dates):
        raise ValidationError(
            {"phase_history": _("The phase history must be in date order.")}
        )
    if dates[0] != since:
        raise ValidationError(
            {"phase_history": _("The phase history must start on the 'since' date.")}
        )
    if history[-1][0] != phase:
        raise ValidationError(
            {"phase_history": _("The phase history must end in the current phase.")}
        )


@transaction.atomic
def participation_create(
    *,
    actor: User | None,
    organisation: Organisation,
    action_line: ActionLine,
    phase: str,
    role: str,
    since: dt.date | None = None,
    contact_name: str = "",
    contact_email: str = "",
    note_nl: str = "",
    source: str = ParticipationSource.REGISTERED,
    is_demo: bool = False,
    phase_history: list[tuple[str, dt.date]] | None = None,
) -> Participation:
    """Register that an organisation takes part in an action line.

    The phase history starts with the given history, or with the current phase on the
    ``since`` date.
    """
    require(can_create_participation(actor, organisation))
    since = since or timezone.localdate()
    participation = Participation(
        organisation=organisation,
        action_line=action_line,
        phase=phase,
        role=role,
        since=since,
        contact_name=contact_name,
        contact_email=contact_email,
        note_nl=note_nl,
        source=source,
        is_demo=is_demo,
    )
    _full_clean(participation)
    history = phase_history or [(phase, since)]
    _check_history(history, since, phase)
    _save(participation)
    PhaseChange.objects.bulk_create(
        PhaseChange(
            participation=participation, phase=p, changed_on=d, recorded_by=actor
        )
        for p, d in history
    )
    return participation


PARTICIPATION_EDITABLE = {
    "phase",
    "role",
    "since",
    "contact_name",
    "contact_email",
    "note_nl",
}


@transaction.atomic
def participation_update(
    *,
    actor: User | None,
    participation: Participation,
    changed_on: dt.date | None = None,
    **fields: Any,
) -> Participation:
    """Change a participation. A new phase is added to the phase history, dated
    ``changed_on`` (today when not given)."""
    require(can_change_participation(actor, participation))
    changed = apply_changes(participation, fields, PARTICIPATION_EDITABLE)
    if not changed:
        return participation
    _full_clean(participation)
    _save(participation)
    if "since" in changed:
        _move_start(participation)
    if "phase" in changed:
        on = changed_on or timezone.localdate()
        last = participation.phase_changes.order_by("-changed_on", "-id").first()
        if last is not None and on < last.changed_on:
            raise ValidationError(
                {"changed_on": _("A phase change cannot be dated before the last one.")}
            )
        PhaseChange.objects.create(
            participation=participation,
            phase=participation.phase,
            changed_on=on,
            recorded_by=actor,
        )
    return participation


def _move_start(participation: Participation) -> None:
    """A corrected 'since' date moves the first entry of the phase history with it,
    as long as it stays before the next phase change."""
    first, *rest = participation.phase_changes.order_by("changed_on", "id")
    if rest and participation.since > rest[0].changed_on:
        raise ValidationError(
            {"since": _("The start date cannot lie after the first phase change.")}
        )
    first.changed_on = participation.since
    first.save(update_fields=["changed_on"])


@transaction.atomic
def participation_delete(*, actor: User | None, participation: Participation) -> None:
    require(can_change_participation(actor, participation))
    participation.delete()


ANNUAL_PLAN_EDITABLE = {"title_nl", "title_en", "summary_nl", "status"}


@transaction.atomic
def annual_plan_create(
    *,
    actor: User | None,
    action_line: ActionLine,
    year: int,
    title_nl: str,
    title_en: str = "",
    summary_nl: str = "",
    status: str = "draft",
    activities: list[dict[str, Any]] | None = None,
    is_demo: bool = False,
) -> AnnualPlan:
    require(can_change_annual_plan(actor, None))
    plan = AnnualPlan(
        action_line=action_line,
        year=year,
        title_nl=title_nl,
        title_en=title_en,
        summary_nl=summary_nl,
        status=status,
        is_demo=is_demo,
    )
    _full_clean(plan)
    _save(plan)
    for order, item in enumerate(activities or [], start=1):
        activity = PlannedActivity(plan=plan, order=order, **item)
        activity.full_clean()
        activity.save()
    return plan


@transaction.atomic
def annual_plan_update(
    *, actor: User | None, plan: AnnualPlan, **fields: Any
) -> AnnualPlan:
    require(can_change_annual_plan(actor, plan))
    if apply_changes(plan, fields, ANNUAL_PLAN_EDITABLE):
        _full_clean(plan)
        _save(plan)
    return plan


@transaction.atomic
def planned_activity_update(
    *, actor: User | None, activity: PlannedActivity, **fields: Any
) -> PlannedActivity:
    require(can_change_planned_activity(actor, activity))
    allowed = (
        {"title_nl", "description_nl", "status", "lead", "quarter", "order"}
        if actor is None or actor.is_coordinator
        else {"status", "description_nl"}
    )
    if apply_changes(activity, fields, allowed):
        activity.full_clean()
        activity.save()
    return activity
