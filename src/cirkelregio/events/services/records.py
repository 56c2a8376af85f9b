# SPDX-License-Identifier: EUPL-1.2
"""Repair events (added and changed by coordinators and by the editors of the
organiser) and Reparatieweek editions (coordinators).

Every write of an event takes the municipality from its repair place, checks that
the end is after the start, stores the recurrence rule in its normal form (or
explains why it cannot be used), works out when the last session ends, and checks
that an activity of a Reparatieweek has a session during that week.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.core.services import apply_changes as apply
from cirkelregio.core.services import full_clean, require, save
from cirkelregio.events import recurrence, rules
from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
from cirkelregio.regions.models import Organisation
from cirkelregio.repair import selectors as repair_selectors

EVENT_FIELDS = {
    "title_nl",
    "title_en",
    "description_nl",
    "description_en",
    "kind",
    "place",
    "address",
    "municipality",
    "start",
    "end",
    "recurrence",
    "edition",
    "website",
    "status",
}
EVENT_UPDATE_FIELDS = EVENT_FIELDS | {"organiser"}
EDITION_FIELDS = {
    "name",
    "start_date",
    "end_date",
    "theme_nl",
    "theme_en",
    "description_nl",
    "description_en",
    "is_published",
}
_STRIPPED = ("title_nl", "title_en", "address", "name", "theme_nl", "theme_en")


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    for name in _STRIPPED:
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    for name in ("start", "end"):
        value = fields.get(name)
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            # A time without an offset is Amsterdam time.
            fields[name] = timezone.make_aware(value, recurrence.AMSTERDAM)
    return fields


def _delete(instance: Any, message: str) -> None:
    try:
        instance.delete()
    except ProtectedError as exc:
        raise ValidationError(message) from exc


def edition_period(
    edition: ReparatieweekEdition,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """From the start of the first day to the end of the last (Amsterdam time)."""
    return recurrence.day_range(edition.start_date, edition.end_date)


# Events ------------------------------------------------------------------------------


def _in_years(value: dt.date) -> bool:
    return recurrence.FIRST_YEAR <= value.year <= recurrence.LAST_YEAR


def _year_message() -> str:
    return _("Give a date in the years %(first)d to %(last)d.") % {
        "first": recurrence.FIRST_YEAR,
        "last": recurrence.LAST_YEAR,
    }


def _place_errors(event: RepairEvent, actor: User | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if event.place_id is not None:
        visible = actor is None or (
            repair_selectors.place_list(user=actor).filter(pk=event.place_id).exists()
        )
        if not visible:
            errors["place"] = _("Choose a published repair place.")
        elif event.place.municipality_id is not None:
            event.municipality_id = event.place.municipality_id
        elif event.municipality_id is None:
            errors["municipality"] = _(
                "Give the municipality: the repair place has none."
            )
    else:
        if not event.address:
            errors["address"] = _("Give a repair place or an address.")
        if event.municipality_id is None:
            errors["municipality"] = _("Give the municipality.")
    return errors


def _time_errors(event: RepairEvent) -> dict[str, str]:
    errors: dict[str, str] = {}
    if event.start is None or event.end is None:
        return errors  # full_clean reports the missing value
    for name in ("start", "end"):
        if not _in_years(getattr(event, name)):
            errors[name] = _year_message()
    if errors:
        return errors
    if event.end <= event.start:
        errors["end"] = _("The end must be after the start.")
        return errors
    try:
        event.recurrence = recurrence.normalise(event.recurrence, event.start)
    except recurrence.RecurrenceError as exc:
        message = _(exc.message)
        errors["recurrence"] = message % exc.params if exc.params else message
        return errors
    event.last_end = recurrence.last_end(event.start, event.end, event.recurrence)
    return errors


def _edition_errors(event: RepairEvent, actor: User | None) -> dict[str, str]:
    edition = event.edition
    if edition is None:
        return {}
    if not rules.can_view_edition(actor, edition):
        return {"edition": _("Choose a published Reparatieweek edition.")}
    after, before = edition_period(edition)
    if not recurrence.occurrences(
        event.start, event.end, event.recurrence, after=after, before=before
    ):
        return {
            "edition": _(
                "The event has no session during this edition (%(start)s to %(end)s)."
            )
            % {"start": edition.start_date, "end": edition.end_date}
        }
    return {}


def validate_event(event: RepairEvent, actor: User | None) -> None:
    """Derive what follows from the given values and check the event; every
    problem is reported on its field, all at once."""
    if event.last_end is None and event.end is not None:
        event.last_end = event.end  # replaced below when the times are valid
    errors: dict[str, Any] = {**_place_errors(event, actor), **_time_errors(event)}
    if not errors:
        errors.update(_edition_errors(event, actor))
    try:
        full_clean(event, exclude=set(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict({k: [v] for k, v in errors.items()})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *, actor: User | None, organiser: Organisation | None = None, **fields: Any
) -> RepairEvent:
    require(rules.can_create_event(actor, organiser))
    _check_fields(fields, EVENT_FIELDS | {"is_demo"})
    event = RepairEvent(organiser=organiser, **_normalise(fields))
    validate_event(event, actor)
    save(event)
    return event


@transaction.atomic
def event_update(
    *, actor: User | None, event: RepairEvent, **fields: Any
) -> RepairEvent:
    """Change the given fields. Only coordinators hand an event to another
    organiser."""
    require(rules.can_change_event(actor, event))
    _check_fields(fields, EVENT_UPDATE_FIELDS)
    event = RepairEvent.objects.select_for_update().get(pk=event.pk)
    if "organiser" in fields and fields["organiser"] != event.organiser:
        require(rules.can_change_event_organiser(actor))
    if apply(event, _normalise(fields), EVENT_UPDATE_FIELDS):
        validate_event(event, actor)
        save(event)
    return event


@transaction.atomic
def event_delete(*, actor: User | None, event: RepairEvent) -> None:
    require(rules.can_change_event(actor, event))
    event.delete()


# Editions ----------------------------------------------------------------------------


def _activities_outside(edition: ReparatieweekEdition) -> list[str]:
    """The titles of the edition's activities without a session in its days."""
    after, before = edition_period(edition)
    return [
        e.title_nl
        for e in RepairEvent.objects.filter(edition=edition)
        if not recurrence.occurrences(
            e.start, e.end, e.recurrence, after=after, before=before
        )
    ]


def validate_edition(edition: ReparatieweekEdition) -> None:
    """The model's checks, the years, the last day not before the first (reported
    on the last day), and no linked activity left without a session in the
    edition's days."""
    errors: dict[str, Any] = {
        name: [_year_message()]
        for name in ("start_date", "end_date")
        if getattr(edition, name) is not None and not _in_years(getattr(edition, name))
    }
    start, end = edition.start_date, edition.end_date
    if not errors and start is not None and end is not None:
        if end < start:
            errors["end_date"] = [_("The last day cannot be before the first day.")]
        elif edition.pk is not None:
            outside = _activities_outside(edition)
            if outside:
                errors["start_date"] = [
                    _(
                        "These activities would have no session during the new "
                        "dates: %(titles)s."
                    )
                    % {"titles": ", ".join(sorted(outside))}
                ]
    try:
        full_clean(edition, exclude=set(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def edition_create(*, actor: User | None, **fields: Any) -> ReparatieweekEdition:
    require(rules.can_manage_editions(actor))
    _check_fields(fields, EDITION_FIELDS | {"is_demo"})
    edition = ReparatieweekEdition(**_normalise(fields))
    validate_edition(edition)
    save(edition)
    return edition


@transaction.atomic
def edition_update(
    *, actor: User | None, edition: ReparatieweekEdition, **fields: Any
) -> ReparatieweekEdition:
    require(rules.can_manage_editions(actor))
    edition = ReparatieweekEdition.objects.select_for_update().get(pk=edition.pk)
    if apply(edition, _normalise(fields), EDITION_FIELDS):
        validate_edition(edition)
        save(edition)
    return edition


@transaction.atomic
def edition_delete(*, actor: User | None, edition: ReparatieweekEdition) -> None:
    require(rules.can_manage_editions(actor))
    _delete(
        edition,
        _(
            "This edition still has activities: remove them or link them to no "
            "edition first."
        ),
    )
