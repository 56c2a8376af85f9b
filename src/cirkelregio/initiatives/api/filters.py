# SPDX-License-Identifier: EUPL-1.2
"""Filters of the initiatives API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

import django_filters

from cirkelregio.initiatives import selectors
from cirkelregio.initiatives.models import (
    ContactPoint,
    Initiative,
    InitiativeStatus,
    InitiativeType,
    Need,
    Stage,
)


class InitiativeFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__cbs_code", label="CBS code of the municipality."
    )
    type = django_filters.ChoiceFilter(
        field_name="type", choices=InitiativeType.choices
    )
    stage = django_filters.ChoiceFilter(field_name="stage", choices=Stage.choices)
    needs = django_filters.MultipleChoiceFilter(
        choices=Need.choices,
        method="filter_needs",
        label="Initiatives that ask for at least one of these kinds of support "
        "(repeat the parameter for more).",
    )
    status = django_filters.ChoiceFilter(
        field_name="status",
        choices=InitiativeStatus.choices,
        label="Status (the public sees published initiatives only).",
    )
    owner = django_filters.CharFilter(
        field_name="owner__slug", label="Slug of the owner organisation."
    )

    class Meta:
        model = Initiative
        fields = ["municipality", "type", "stage", "needs", "status", "owner"]

    def filter_needs(
        self, qs: QuerySet[Initiative], name: str, value: list[str]
    ) -> Any:
        return selectors.initiative_filter(qs, needs=value)


class ContactPointFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__cbs_code", label="CBS code of the municipality."
    )
    is_active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = ContactPoint
        fields = ["municipality", "is_active"]
