# SPDX-License-Identifier: EUPL-1.2
"""Filters of the repair-place search. ``near`` is a postcode (its four-digit area's
centroid) or a point ``lat,lon``; the places within ``radius_km`` of it come nearest
first. ``open_at`` is the moment the ``open`` state of each result refers to (an ISO
8601 date and time; without an offset it is Amsterdam time)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from cirkelregio.regions import selectors as region_selectors
from cirkelregio.regions.models import Municipality
from cirkelregio.repair.models import CATEGORIES, PlaceKind, RepairPlace

DEFAULT_RADIUS_KM = 25.0
MAX_RADIUS_KM = 300.0
# The radius arrives as a Decimal: it is compared with Decimals only (a Decimal
# compared with a float compares exact binary values, so 0.1 was "less than 0.1").
_MAX_RADIUS = Decimal(f"{MAX_RADIUS_KM:g}")
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})(\s?[A-Za-z]{2})?\s*$")
_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


class PlaceFilterForm(forms.Form):
    """Checks ``near`` and works out its point (``near_point``, latitude and
    longitude in degrees)."""

    near_point: tuple[float, float] | None = None

    def clean_radius_km(self) -> Decimal | None:
        radius: Decimal | None = self.cleaned_data.get("radius_km")
        if radius is not None and not Decimal(0) < radius <= _MAX_RADIUS:
            raise forms.ValidationError(
                _(
                    "Give a radius in km greater than 0 and at most %(max)s, "
                    "e.g. 10 or 0.5."
                )
                % {"max": f"{MAX_RADIUS_KM:g}"},
                code="radius_range",
            )
        return radius

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        near, radius = data.get("near"), data.get("radius_km")
        if radius is not None and not near and "near" not in self.errors:
            self.add_error("near", _("Give a postcode or a point with radius_km."))
        if near:
            self.near_point = self._point(near)
        return data

    def _point(self, near: str) -> tuple[float, float] | None:
        postcode = _POSTCODE.match(near)
        if postcode is not None:
            area = region_selectors.postcode_get(code=postcode.group(1))
            if area is None:
                self.add_error(
                    "near",
                    _("Unknown postcode area %(pc4)s.") % {"pc4": postcode.group(1)},
                )
                return None
            return area.lat, area.lon
        point = _POINT.match(near)
        if point is None:
            self.add_error(
                "near",
                _(
                    "Give a postcode (1234 or 1234 AB) or a point latitude,longitude "
                    "in degrees, e.g. 52.09,5.12."
                ),
            )
            return None
        lat, lon = float(point.group(1)), float(point.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.add_error("near", _("The point lies outside -90..90, -180..180."))
            return None
        return lat, lon


class PlaceFilter(django_filters.FilterSet):
    near = django_filters.CharFilter(
        method="filter_near",
        max_length=100,
        label="A postcode (1234 or 1234 AB: the centroid of its four-digit area) or "
        "a point latitude,longitude in degrees. Results come nearest first, with "
        "their distance_km.",
    )
    radius_km = django_filters.NumberFilter(
        method="filter_radius",
        label="Radius around near in km (great circle), greater than 0 and at most "
        f"{MAX_RADIUS_KM:g}; {DEFAULT_RADIUS_KM:g} when left out.",
    )
    category = django_filters.ChoiceFilter(
        field_name="categories__code",
        choices=[(code, en) for code, _nl, en in CATEGORIES],
        label="Places that repair this category.",
    )
    kind = django_filters.ChoiceFilter(field_name="kind", choices=PlaceKind.choices)
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipality",
        to_field_name="cbs_code",
        queryset=Municipality.objects.all(),
        label="CBS code of the municipality, e.g. GM0344.",
    )
    open_at = django_filters.IsoDateTimeFilter(
        method="filter_open_at",
        label="The moment the open state refers to (ISO 8601; Amsterdam time "
        "without an offset); now when left out.",
    )

    class Meta:
        model = RepairPlace
        form = PlaceFilterForm
        fields = ["near", "radius_km", "category", "kind", "municipality", "open_at"]

    # The search itself orders by distance and works out the open state
    # (``RepairPlaceViewSet.list``); these filters only check their values, and
    # their type hints give the OpenAPI types.

    def filter_near(self, qs: QuerySet[RepairPlace], name: str, value: str) -> Any:
        return qs

    def filter_radius(self, qs: QuerySet[RepairPlace], name: str, value: float) -> Any:
        return qs

    def filter_open_at(
        self, qs: QuerySet[RepairPlace], name: str, value: dt.datetime
    ) -> Any:
        return qs
