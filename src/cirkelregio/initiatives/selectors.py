# SPDX-License-Identifier: EUPL-1.2
"""Reads of initiatives and contact points for the API, the admin, the site and
other apps. Lists leave out what the reader may not see: everyone sees published
initiatives and active contact points; an organisation's editors also their own
organisation's; coordinators everything. Suggestions from the public are seen by
coordinators only, never by another submitter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.initiatives import rules
from cirkelregio.initiatives.models import (
    NEEDS_SEPARATOR,
    ContactPoint,
    Initiative,
    InitiativeStatus,
    InitiativeType,
    Need,
    Stage,
)


def type_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in InitiativeType.choices]


def stage_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in Stage.choices]


def need_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in Need.choices]


def initiative_list(*, user: Any = None) -> QuerySet[Initiative]:
    qs = Initiative.objects.select_related("municipality", "owner")
    if is_coordinator(user):
        return qs
    visible = Q(status=InitiativeStatus.PUBLISHED)
    org = edited_organisation_id(user)
    if org is not None:
        visible |= Q(owner_id=org)
    return qs.filter(visible)


def public_initiative_list() -> QuerySet[Initiative]:
    """What everyone sees: the published initiatives."""
    return initiative_list(user=None)


def needs_q(codes: Iterable[str]) -> Q:
    """Initiatives that ask for at least one of these kinds of support (the codes
    are stored comma-separated)."""
    q = Q(pk__in=[])
    for code in codes:
        sep = NEEDS_SEPARATOR
        q |= (
            Q(needs=code)
            | Q(needs__startswith=code + sep)
            | Q(needs__endswith=sep + code)
            | Q(needs__contains=sep + code + sep)
        )
    return q


def initiative_filter(
    qs: QuerySet[Initiative],
    *,
    municipality: str | None = None,
    municipality_slug: str | None = None,
    type: str | None = None,
    stage: str | None = None,
    needs: Iterable[str] = (),
) -> QuerySet[Initiative]:
    """Narrow a list: municipality by CBS code or slug, type, stage, and needs (any
    of them). Empty values do not filter."""
    if municipality:
        qs = qs.filter(municipality__cbs_code=municipality)
    if municipality_slug:
        qs = qs.filter(municipality__slug=municipality_slug)
    if type:
        qs = qs.filter(type=type)
    if stage:
        qs = qs.filter(stage=stage)
    needs = [n for n in needs if n]
    if needs:
        qs = qs.filter(needs_q(needs))
    return qs


def initiative_get(*, user: Any = None, pk: int) -> Initiative | None:
    return initiative_list(user=user).filter(pk=pk).first()


def initiative_contact_visible(user: Any, initiative: Initiative) -> bool:
    """Whether the reader sees the initiative's e-mail address and phone number.
    ``user`` None is a reader without an account here (not the system)."""
    if user is None:
        return initiative.contact_consent
    return rules.can_see_initiative_contact(user, initiative)


def contact_point_list(*, user: Any = None) -> QuerySet[ContactPoint]:
    qs = ContactPoint.objects.select_related("municipality", "organisation")
    if is_coordinator(user):
        return qs
    visible = Q(is_active=True)
    org = edited_organisation_id(user)
    if org is not None:
        visible |= Q(organisation_id=org)
    return qs.filter(visible)


def active_contact_point(*, municipality_id: int) -> ContactPoint | None:
    """The municipality's contact point for initiatives, if it has one."""
    return (
        ContactPoint.objects.select_related("organisation")
        .filter(municipality_id=municipality_id, is_active=True)
        .first()
    )
