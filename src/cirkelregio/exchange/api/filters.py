# SPDX-License-Identifier: EUPL-1.2
"""Filters of the exchange API. ``near=lat,lon`` with ``radius_km`` keeps the listings
within that great-circle distance (the engine's haversine)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from cirkelregio.exchange.models import (
    Listing,
    ListingKind,
    ListingStatus,
    Proposal,
    ProposalStatus,
)
from cirkelregio.exchange.selectors import listings_near

MAX_ID = 2**63 - 1
NEAR = RegexValidator(
    r"^\s*-?\d{1,3}(\.\d+)?\s*,\s*-?\d{1,3}(\.\d+)?\s*$",
    _("Give a point as latitude,longitude in degrees, e.g. 52.09,5.12."),
)


class ListingFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        near, radius = data.get("near"), data.get("radius_km")
        if near and radius is None and "radius_km" not in self.errors:
            self.add_error("radius_km", _("Give a radius with near."))
        if radius is not None and not near and "near" not in self.errors:
            self.add_error("near", _("Give a point with radius_km."))
        if near:
            lat, lon = (float(v) for v in near.split(","))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.add_error("near", _("The point lies outside -90..90, -180..180."))
        start, until = data.get("available_from"), data.get("available_until")
        if start and until and until < start:
            self.add_error(
                "available_until", _("The window cannot end before it starts.")
            )
        return data


class ListingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(field_name="kind", choices=ListingKind.choices)
    status = django_filters.ChoiceFilter(
        field_name="status", choices=ListingStatus.choices
    )
    material = django_filters.CharFilter(field_name="material__code")
    municipality = django_filters.CharFilter(field_name="municipality__cbs_code")
    owner = django_filters.CharFilter(field_name="owner__slug")
    available_from = django_filters.DateFilter(
        field_name="window_until",
        lookup_expr="gte",
        label="Window overlaps: ends on or after this date.",
    )
    available_until = django_filters.DateFilter(
        field_name="window_from",
        lookup_expr="lte",
        label="Window overlaps: starts on or before this date.",
    )
    near = django_filters.CharFilter(
        method="filter_near",
        validators=[NEAR],
        label="A point latitude,longitude (degrees); needs radius_km.",
    )
    radius_km = django_filters.NumberFilter(
        method="filter_noop",
        min_value=0,
        max_value=20000,
        label="Radius around near, in km (great circle).",
    )

    class Meta:
        model = Listing
        form = ListingFilterForm
        fields = [
            "kind",
            "status",
            "material",
            "municipality",
            "owner",
            "available_from",
            "available_until",
            "near",
            "radius_km",
        ]

    def filter_noop(self, qs: QuerySet[Listing], name: str, value: Any) -> Any:
        return qs

    def filter_near(self, qs: QuerySet[Listing], name: str, value: str) -> Any:
        lat, lon = (float(v) for v in value.split(","))
        radius = float(self.form.cleaned_data["radius_km"])
        return listings_near(qs, lat=lat, lon=lon, radius_km=radius)


class ProposalFilter(django_filters.FilterSet):
    match_run = django_filters.NumberFilter(
        field_name="match_run_id", min_value=1, max_value=MAX_ID
    )
    proposal_status = django_filters.ChoiceFilter(
        field_name="status", choices=ProposalStatus.choices
    )

    class Meta:
        model = Proposal
        fields = ["match_run", "proposal_status"]
