# SPDX-License-Identifier: EUPL-1.2
"""Filters of the biobased-insulation API."""

from __future__ import annotations

import django_filters

from cirkelregio.biobased.models import (
    FIRST_YEAR,
    LAST_YEAR,
    InsulationProject,
    SourceChannel,
)


class ProjectFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__cbs_code",
        max_length=6,
        label="CBS code of the municipality, e.g. GM0344.",
    )
    year = django_filters.NumberFilter(
        field_name="year",
        label=f"Reporting year ({FIRST_YEAR} to {LAST_YEAR}).",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    source = django_filters.ChoiceFilter(
        field_name="source_channel",
        choices=SourceChannel.choices,
        label="The channel the project was reported through.",
    )

    class Meta:
        model = InsulationProject
        fields: list[str] = []
