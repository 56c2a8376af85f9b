# SPDX-License-Identifier: EUPL-1.2
"""Filters of the roads API: by authority (slug), municipality (CBS code), a
bounding box ``west,south,east,north`` (WGS84 degrees; sections whose own box
intersects it) and, for works, the year their window touches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

import django_filters

from cirkelregio.core.api.filters import IdFilter
from cirkelregio.regions.models import Municipality
from cirkelregio.roads.models import MaintenanceWork, RoadSection, RoadType, WorkType


class BboxField(forms.CharField):
    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return None
        try:
            west, south, east, north = (float(v) for v in value.split(","))
        except ValueError:
            raise forms.ValidationError(
                "Give west,south,east,north in degrees, e.g. 5.0,52.0,5.2,52.1."
            ) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(
                "Give west <= east within -180..180 and south <= north within -90..90."
            )
        return west, south, east, north


class BboxFilter(django_filters.Filter):
    field_class = BboxField


def _overlapping_ids(qs: QuerySet[RoadSection], box: tuple[float, ...]) -> list[int]:
    west, south, east, north = box
    return [
        pk
        for pk, bbox in qs.values_list("pk", "bbox")
        if bbox
        and bbox[0] <= east
        and bbox[2] >= west
        and bbox[1] <= north
        and bbox[3] >= south
    ]


class SectionFilter(django_filters.FilterSet):
    authority = django_filters.CharFilter(
        field_name="authority__slug", label="Slug of the road authority."
    )
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipality",
        to_field_name="cbs_code",
        queryset=Municipality.objects.all(),
        label="CBS code of the municipality, e.g. GM0344.",
    )
    road_type = django_filters.ChoiceFilter(choices=RoadType.choices)
    bbox = BboxFilter(
        method="filter_bbox",
        label="west,south,east,north in WGS84 degrees: sections whose bounding box "
        "intersects it.",
    )

    class Meta:
        model = RoadSection
        fields = ["authority", "municipality", "road_type", "bbox"]

    def filter_bbox(
        self, qs: QuerySet[RoadSection], name: str, value: tuple[float, ...]
    ) -> QuerySet[RoadSection]:
        return qs.filter(pk__in=_overlapping_ids(qs, value))


class WorkFilter(django_filters.FilterSet):
    authority = django_filters.CharFilter(
        field_name="authority__slug", label="Slug of the road authority."
    )
    section = IdFilter(field_name="section_id", label="Id of the road section.")
    work_type = django_filters.ChoiceFilter(choices=WorkType.choices)
    year = django_filters.NumberFilter(
        method="filter_year",
        min_value=1900,
        max_value=2200,
        label="Works whose window touches this year.",
    )

    class Meta:
        model = MaintenanceWork
        fields = ["authority", "section", "work_type", "year"]

    def filter_year(
        self, qs: QuerySet[MaintenanceWork], name: str, value: int
    ) -> QuerySet[MaintenanceWork]:
        year = int(value)
        return qs.filter(
            Q(window_start__lte=dt.date(year, 12, 31))
            & Q(window_end__gte=dt.date(year, 1, 1))
        )
