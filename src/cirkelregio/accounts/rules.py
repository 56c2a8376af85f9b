# SPDX-License-Identifier: EUPL-1.2
"""Who may do what: the object-level rules of the registry, in one place.

``actor`` None means the system itself (a data load run by an operator on the command
line); it may do everything. Coordinators edit the whole registry. Organisation editors
edit their own organisation's record, its participations and the planned activities it
leads. Everyone reads what is published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.regions.models import (
        AnnualPlan,
        Organisation,
        Participation,
        PlannedActivity,
    )


def _is_system(actor: User | None) -> bool:
    return actor is None


def _coordinator(actor: User | None) -> bool:
    return _is_system(actor) or bool(getattr(actor, "is_coordinator", False))


def _editor_of(actor: User | None, organisation_id: int | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_organisation_editor", False))
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def can_edit_registry(actor: User | None) -> bool:
    """May use the editing screens at all (coordinator or organisation editor)."""
    return _coordinator(actor) or bool(getattr(actor, "is_organisation_editor", False))


def can_create_organisation(actor: User | None) -> bool:
    return _coordinator(actor)


def can_change_organisation(actor: User | None, organisation: Organisation) -> bool:
    return _coordinator(actor) or _editor_of(actor, organisation.pk)


def can_delete_organisation(actor: User | None, organisation: Organisation) -> bool:
    return _coordinator(actor)


def can_view_organisation(actor: User | None, organisation: Organisation) -> bool:
    return organisation.is_published or can_change_organisation(actor, organisation)


def can_view_participation(actor: User | None, participation: Participation) -> bool:
    """A participation is as visible as its organisation."""
    return can_view_organisation(actor, participation.organisation)


def can_create_participation(actor: User | None, organisation: Organisation) -> bool:
    return _coordinator(actor) or _editor_of(actor, organisation.pk)


def can_change_participation(actor: User | None, participation: Participation) -> bool:
    return _coordinator(actor) or _editor_of(actor, participation.organisation_id)


def can_change_annual_plan(actor: User | None, plan: AnnualPlan | None) -> bool:
    return _coordinator(actor)


def can_view_annual_plan(actor: User | None, plan: AnnualPlan) -> bool:
    return plan.is_published or _coordinator(actor)


def can_view_planned_activity(actor: User | None, activity: PlannedActivity) -> bool:
    """A planned activity is as visible as its annual plan."""
    return can_view_annual_plan(actor, activity.plan)


def can_change_planned_activity(actor: User | None, activity: PlannedActivity) -> bool:
    """Coordinators; and the editors of the lead organisation, once the plan is
    published (a draft is the coordinators' own)."""
    return _coordinator(actor) or (
        _editor_of(actor, activity.lead_id) and activity.plan.is_published
    )


def can_reset_two_factor(actor: User | None, user: User) -> bool:
    """Coordinators reset another person's two-factor login (a lost phone); only a
    superuser resets a superuser's."""
    if actor is not None and user.is_superuser and not actor.is_superuser:
        return False
    return _coordinator(actor)
