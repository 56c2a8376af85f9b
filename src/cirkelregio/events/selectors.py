# SPDX-License-Identifier: EUPL-1.2
"""Reads of repair events and Reparatieweek editions for the API, the admin, the
site and other apps. Lists leave out what the reader may not see: everyone sees
published events whose edition (if any) is published, and published editions; an
organisation's editors also the events it organises; coordinators everything.

Periods: a recurring event belongs to a period when one of its sessions overlaps
it. The database narrows the candidates by first start and last end; the rule is
expanded only for the recurring candidates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.events import ical, recurrence
from cirkelregio.events.models import (
    EventKind,
    EventStatus,
    RepairEvent,
    ReparatieweekEdition,
)
from cirkelregio.events.recurrence import Occurrence

__all__ = [
    "ActivityGroup",
    "EditionOverview",
    "Occurrence",
    "edition_activities",
    "edition_get",
    "edition_list",
    "edition_overview",
    "event_filter",
    "event_get",
    "event_list",
    "event_occurrences",
    "events_in_period",
    "ical_feed",
    "kind_choices",
    "period",
    "public_edition_list",
    "public_event_list",
]


def kind_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in EventKind.choices]


# Events ------------------------------------------------------------------------------

PUBLIC = Q(status=EventStatus.PUBLISHED) & (
    Q(edition__isnull=True) | Q(edition__is_published=True)
)


def event_list(*, user: Any = None) -> QuerySet[RepairEvent]:
    qs = (
        RepairEvent.objects.select_related(
            "place", "municipality", "edition", "organiser"
        )
        # Not the municipal boundaries: large GeoJSON, decoded for every row.
        .defer("municipality__boundary", "municipality__bbox")
    )
    if is_coordinator(user):
        return qs
    org = edited_organisation_id(user)
    if org is None:
        return qs.filter(PUBLIC)
    return qs.filter(PUBLIC | Q(organiser_id=org))


def public_event_list() -> QuerySet[RepairEvent]:
    """What everyone sees: the published events."""
    return event_list(user=None)


def event_get(*, user: Any = None, pk: int) -> RepairEvent | None:
    return event_list(user=user).filter(pk=pk).first()


def period(
    start: dt.date | None, end: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """From the start of day ``start`` to the end of day ``end`` (both included,
    Amsterdam time); None leaves that side open."""
    return recurrence.day_range(start, end)


def event_filter(
    qs: QuerySet[RepairEvent],
    *,
    municipality: str | None = None,
    municipality_slug: str | None = None,
    place: int | None = None,
    edition: int | None = None,
    kind: str | None = None,
    organiser: str | None = None,
    after: dt.datetime | None = None,
    before: dt.datetime | None = None,
) -> QuerySet[RepairEvent]:
    """Narrow a list: municipality by CBS code or slug, repair place and edition by
    id, kind, organiser by slug, and a period (``after`` to ``before``): only
    events with a session in it. Empty values do not filter."""
    if municipality:
        qs = qs.filter(municipality__cbs_code=municipality)
    if municipality_slug:
        qs = qs.filter(municipality__slug=municipality_slug)
    if place is not None:
        qs = qs.filter(place_id=place)
    if edition is not None:
        qs = qs.filter(edition_id=edition)
    if kind:
        qs = qs.filter(kind=kind)
    if organiser:
        qs = qs.filter(organiser__slug=organiser)
    if after is not None or before is not None:
        qs = events_in_period(qs, after=after, before=before)
    return qs


def events_in_period(
    qs: QuerySet[RepairEvent],
    *,
    after: dt.datetime | None,
    before: dt.datetime | None,
) -> QuerySet[RepairEvent]:
    """The events with a session that overlaps the period."""
    if after is not None:
        qs = qs.filter(last_end__gt=after)
    if before is not None:
        qs = qs.filter(start__lt=before)
    # A recurring event may still have no session in the period (a monthly
    # session and a period of a week): those are left out.
    recurring = qs.exclude(recurrence="").values_list(
        "pk", "start", "end", "recurrence"
    )
    without = [
        pk
        for pk, start, end, rule in recurring.iterator()
        if not recurrence.occurrences(start, end, rule, after=after, before=before)
    ]
    return qs.exclude(pk__in=without) if without else qs


def event_occurrences(
    event: RepairEvent,
    *,
    after: dt.datetime | None = None,
    before: dt.datetime | None = None,
) -> list[Occurrence]:
    """The sessions of the event (in the period, when given), in Amsterdam time."""
    return recurrence.occurrences(
        event.start, event.end, event.recurrence, after=after, before=before
    )


def ical_feed(events: Iterable[RepairEvent], *, name: str) -> bytes:
    """The events as an iCalendar file (RFC 5545) named ``name``; the titles and
    descriptions are those of the active language."""
    return ical.calendar(
        list(events), name=name, namespace=f"{settings.CIRKELREGIO_REGION}.cirkelregio"
    )


# Editions ----------------------------------------------------------------------------


def edition_list(*, user: Any = None) -> QuerySet[ReparatieweekEdition]:
    qs = ReparatieweekEdition.objects.all()
    return qs if is_coordinator(user) else qs.filter(is_published=True)


def public_edition_list() -> QuerySet[ReparatieweekEdition]:
    return edition_list(user=None)


def edition_get(*, user: Any = None, pk: int) -> ReparatieweekEdition | None:
    return edition_list(user=user).filter(pk=pk).first()


@dataclass
class ActivityGroup:
    """The activities of an edition in one municipality: each session during the
    edition with its event, in order of time."""

    municipality: Any
    sessions: list[tuple[Occurrence, RepairEvent]] = field(default_factory=list)


def edition_activities(
    edition: ReparatieweekEdition, *, user: Any = None
) -> list[ActivityGroup]:
    """The edition's events that the reader may see, their sessions during the
    edition, grouped by municipality (by name)."""
    after, before = recurrence.day_range(edition.start_date, edition.end_date)
    groups: dict[int, ActivityGroup] = {}
    for event in event_list(user=user).filter(edition=edition):
        group = groups.setdefault(
            event.municipality_id, ActivityGroup(municipality=event.municipality)
        )
        for occurrence in event_occurrences(event, after=after, before=before):
            group.sessions.append((occurrence, event))
    for group in groups.values():
        group.sessions.sort(key=lambda item: (item[0].start, item[1].pk))
    return sorted(
        (g for g in groups.values() if g.sessions),
        key=lambda g: str(g.municipality.name),
    )


@dataclass
class EditionOverview:
    """The Reparatieweek now running or next (``current``, with ``running`` set
    while it runs), the ones after it and the earlier ones (latest first)."""

    current: ReparatieweekEdition | None
    running: bool
    later: Sequence[ReparatieweekEdition]
    earlier: Sequence[ReparatieweekEdition]


def edition_overview(
    *, user: Any = None, today: dt.date | None = None
) -> EditionOverview:
    today = today or timezone.localdate(timezone=recurrence.AMSTERDAM)
    editions = edition_list(user=user)
    coming = list(editions.filter(end_date__gte=today).order_by("start_date", "id"))
    earlier = list(editions.filter(end_date__lt=today).order_by("-start_date", "id"))
    current = coming[0] if coming else None
    return EditionOverview(
        current=current,
        running=bool(current and current.start_date <= today),
        later=coming[1:],
        earlier=earlier,
    )
