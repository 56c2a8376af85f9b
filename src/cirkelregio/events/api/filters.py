# SPDX-License-Identifier: EUPL-1.2
"""Filters of the repair-events API. ``from`` and ``until`` are dates (both
included, Amsterdam time): only events with a session in that period are listed,
and each with its sessions in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from cirkelregio.events import recurrence, selectors
from cirkelregio.events.models import EventKind, EventStatus, RepairEvent

MAX_ID = 2**63 - 1
FROM_HELP = (
    "First day of the period (YYYY-MM-DD, Amsterdam time): only events with a "
    "session on or after it, each with its sessions in the period."
)
UNTIL_HELP = (
    "Last day of the period (YYYY-MM-DD, included): only events with a session on "
    "or before it, each with its sessions in the period."
)


class PeriodForm(forms.Form):
    """Checks that the period does not end before it starts, and works it out
    (``period``: the first and the end moment, None for an open side)."""

    period: tuple[dt.datetime | None, dt.datetime | None] = (None, None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("until")
        for name, day in (("from", start), ("until", end)):
            if day and not recurrence.FIRST_YEAR <= day.year <= recurrence.LAST_YEAR:
                self.add_error(
                    name,
                    _("Give a date in the years %(first)d to %(last)d.")
                    % {"first": recurrence.FIRST_YEAR, "last": recurrence.LAST_YEAR},
                )
        if self.errors:
            return data
        if start and end and end < start:
            self.add_error("until", _("The last day cannot be before the first day."))
        else:
            self.period = selectors.period(start, end)
        return data


class EventFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__cbs_code",
        label="CBS code of the municipality, e.g. GM0344.",
    )
    place = django_filters.NumberFilter(
        field_name="place_id",
        min_value=1,
        max_value=MAX_ID,
        label="Id of the repair place.",
    )
    edition = django_filters.NumberFilter(
        field_name="edition_id",
        min_value=1,
        max_value=MAX_ID,
        label="Id of the Reparatieweek edition.",
    )
    kind = django_filters.ChoiceFilter(field_name="kind", choices=EventKind.choices)
    organiser = django_filters.CharFilter(
        field_name="organiser__slug", label="Slug of the organiser organisation."
    )
    status = django_filters.ChoiceFilter(
        field_name="status",
        choices=EventStatus.choices,
        label="Status (the public sees published events only).",
    )

    class Meta:
        model = RepairEvent
        form = PeriodForm
        fields = ["municipality", "place", "edition", "kind", "organiser", "status"]

    def filter_period(
        self, qs: QuerySet[RepairEvent], name: str, value: dt.date
    ) -> Any:
        # The period is applied as a whole in filter_queryset.
        return qs

    def filter_queryset(self, queryset: QuerySet[RepairEvent]) -> Any:
        qs = super().filter_queryset(queryset)
        after, before = self.form.period
        if after is None and before is None:
            return qs
        return selectors.events_in_period(qs, after=after, before=before)


# "from" is a Python keyword: the two period filters are added by name.
EventFilter.base_filters["from"] = django_filters.DateFilter(
    field_name="from", method="filter_period", label=FROM_HELP
)
EventFilter.base_filters["until"] = django_filters.DateFilter(
    field_name="until", method="filter_period", label=UNTIL_HELP
)
