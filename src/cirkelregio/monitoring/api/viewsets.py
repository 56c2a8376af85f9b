# SPDX-License-Identifier: EUPL-1.2
"""Monitoring endpoints under /api/v1/monitoring/: indicators, their values with
filters, values entered by coordinators, and the open-data export with its data
dictionary. Reads use selectors; writes call services. Errors are RFC 9457 problem
details."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q, QuerySet
from django.http import HttpResponse

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.monitoring import opendata, selectors, services
from cirkelregio.monitoring.api import serializers
from cirkelregio.monitoring.models import Indicator, IndicatorValue
from cirkelregio.regions import selectors as regions


class CoordinatorWrites(BasePermission):
    """Everyone reads what is published; coordinators write."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, str(request.method).lower()):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_coordinator)  # type: ignore[union-attr]


@extend_schema_view(
    list=extend_schema(summary="Indicators (published; coordinators see all)"),
    retrieve=extend_schema(
        summary="One indicator",
        responses={200: serializers.IndicatorSerializer, **problem_responses(404)},
    ),
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet[Indicator]):
    serializer_class = serializers.IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    permission_classes = [CoordinatorWrites]

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list(user=self.request.user).order_by(
            "order", "code"
        )


VALUE_FILTERS = [
    OpenApiParameter("indicator", str, description="Indicator code."),
    OpenApiParameter(
        "municipality",
        str,
        description="CBS code (GM0344) or slug; 'region' for the region totals.",
    ),
    OpenApiParameter("line", str, description="Action line number or slug."),
    OpenApiParameter("year", int, description="Year."),
    OpenApiParameter("year_from", int, description="From this year."),
    OpenApiParameter("year_to", int, description="Up to this year."),
]


def _int(request: Request, name: str, high: int = 9999) -> int | None:
    """A whole-number query parameter from 0 to ``high`` (the columns are small
    integers: a larger number is bad input, not a database error)."""
    raw = _text(request, name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: ["Enter a whole number."]}) from None
    if not 0 <= value <= high:
        raise exceptions.ValidationError(
            {name: [f"Enter a whole number from 0 to {high}."]}
        )
    return value


def _text(request: Request, name: str) -> str | None:
    """A text query parameter, refused when it holds NUL characters (which no
    database column can hold), as Django's form fields refuse them."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        ProhibitNullCharactersValidator()(raw)
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({name: exc.messages}) from None
    return str(raw)


@extend_schema_view(
    list=extend_schema(
        summary="Indicator values, filtered",
        parameters=VALUE_FILTERS,
        responses={
            200: serializers.IndicatorValueSerializer(many=True),
            **problem_responses(400),
        },
    ),
    retrieve=extend_schema(
        summary="One indicator value",
        responses={200: serializers.IndicatorValueSerializer, **problem_responses(404)},
    ),
    create=extend_schema(
        summary="Enter a value by hand (coordinators)",
        request=serializers.ValueEntrySerializer,
        responses={
            201: serializers.IndicatorValueSerializer,
            **problem_responses(400, 401, 403),
        },
    ),
)
class ValueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[IndicatorValue],
):
    serializer_class = serializers.IndicatorValueSerializer
    permission_classes = [CoordinatorWrites]

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        qs = selectors.value_list(user=self.request.user).order_by(
            "indicator__order",
            "indicator__code",
            "year",
            "municipality__cbs_code",
            "id",
        )
        if self.action != "list":
            return qs
        request = self.request
        code = _text(request, "indicator")
        if code:
            qs = qs.filter(indicator__code=code)
        m = _text(request, "municipality")
        if m:
            if m == "region":
                qs = qs.filter(municipality__isnull=True)
            else:
                qs = qs.filter(Q(municipality__cbs_code=m) | Q(municipality__slug=m))
        line = _text(request, "line")
        if line:
            qs = qs.filter(
                Q(indicator__action_line__number=_int(request, "line", high=32767))
                if line.isdigit()
                else Q(indicator__action_line__slug=line)
            )
        for name, lookup in (
            ("year", "year"),
            ("year_from", "year__gte"),
            ("year_to", "year__lte"),
        ):
            value = _int(self.request, name)
            if value is not None:
                qs = qs.filter(**{lookup: value})
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = serializers.ValueEntrySerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        data = entry.validated_data
        indicator = selectors.indicator_get(code=data["indicator"], user=request.user)
        if indicator is None:
            raise exceptions.ValidationError({"indicator": ["Unknown indicator."]})
        municipality = None
        if data["municipality"]:
            municipality = regions.municipality_get(
                cbs_code=data["municipality"]
            ) or regions.municipality_get(slug=data["municipality"])
            if municipality is None:
                raise exceptions.ValidationError(
                    {"municipality": ["Unknown municipality."]}
                )
        row = services.value_enter(
            user=request.user,
            indicator=indicator,
            municipality=municipality,
            year=data["year"],
            value=data["value"],
            source=data["source"],
            note=data["note"],
        )
        return Response(
            serializers.IndicatorValueSerializer(row).data,
            status=status.HTTP_201_CREATED,
        )


class ExportCsvView(APIView):
    permission_classes = [CoordinatorWrites]

    @extend_schema(
        summary="Open data: every published indicator value (CSV)",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def get(self, request: Request) -> HttpResponse:
        response = HttpResponse(
            opendata.export_csv(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            'attachment; filename="cirkelregio-indicators.csv"'
        )
        return response


class ExportJsonView(APIView):
    permission_classes = [CoordinatorWrites]

    @extend_schema(
        summary="Open data: every published indicator value (JSON)",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(
            json.dumps(opendata.export_json(), ensure_ascii=False),
            content_type="application/json",
        )


class DictionaryView(APIView):
    permission_classes = [CoordinatorWrites]

    @extend_schema(
        summary="Data dictionary of the open-data export (JSON)",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(
            json.dumps(opendata.data_dictionary(), ensure_ascii=False),
            content_type="application/json",
        )


class DictionaryMarkdownView(APIView):
    permission_classes = [CoordinatorWrites]

    @extend_schema(
        summary="Data dictionary of the open-data export (Markdown)",
        responses={(200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(
            opendata.data_dictionary_markdown(),
            content_type="text/markdown; charset=utf-8",
        )
