# SPDX-License-Identifier: EUPL-1.2
"""The repair-map API: search repair places near a postcode or point, read one, and
manage them (their owner organisation's editors and coordinators)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from django_filters import utils as filter_utils
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.core.api.viewsets import CrudViewSet
from cirkelregio.repair import rules, search, selectors, services
from cirkelregio.repair.api import filters, search_results, serializers
from cirkelregio.repair.models import RepairCategory, RepairPlace

WRITE_ERRORS = problem_responses(400, 401, 403, 404)
OPEN_AT = OpenApiParameter(
    "open_at",
    OpenApiTypes.DATETIME,
    description="The moment the open state refers to (ISO 8601; Amsterdam time "
    "without an offset); now when left out.",
)


@extend_schema_view(
    list=extend_schema(
        responses={200: serializers.RepairPlaceSerializer, **problem_responses(400)}
    ),
    retrieve=extend_schema(
        parameters=[OPEN_AT],
        responses={
            200: serializers.RepairPlaceSerializer,
            **problem_responses(400, 404),
        },
    ),
    create=extend_schema(
        request=serializers.RepairPlaceCreateSerializer,
        responses={201: serializers.RepairPlaceSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        request=serializers.RepairPlaceUpdateSerializer,
        responses={200: serializers.RepairPlaceSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(responses={204: None, **WRITE_ERRORS}),
)
class RepairPlaceViewSet(CrudViewSet):
    """Repair places of the Reparatiekaart: Repair Cafés, repair businesses,
    bicycle repairers, tailors, shoemakers. Everyone reads the published ones; the
    owner organisation's editors and coordinators manage them.

    Search: ``near`` (a postcode or latitude,longitude) with ``radius_km`` lists the
    places within that distance, nearest first, each with its ``distance_km``;
    without ``near`` they come by name. Filters: ``category``, ``kind``,
    ``municipality`` (CBS code). Each result says whether it is ``open`` at
    ``open_at`` (now when left out): true, false, or null when its hours are
    missing, unreadable or do not tell."""

    serializer_class = serializers.RepairPlaceSerializer
    filterset_class = filters.PlaceFilter
    create_serializer = serializers.RepairPlaceCreateSerializer
    update_serializer = serializers.RepairPlaceUpdateSerializer
    object_rule = staticmethod(rules.can_change_place)

    def get_queryset(self) -> QuerySet[RepairPlace]:
        return selectors.place_list(user=self.request.user).order_by("name", "id")

    def _search(
        self,
    ) -> tuple[filters.PlaceFilter, dict[str, Any], tuple[float, float] | None]:
        filterset = filters.PlaceFilter(
            data=self.request.query_params,
            queryset=self.get_queryset(),
            request=self.request,
        )
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        form = filterset.form
        return filterset, form.cleaned_data, form.near_point

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filterset, params, point = self._search()
        at = params.get("open_at") or timezone.now()
        if point is not None:
            # The in-process index of cirkelregio.repair.search: the places, order,
            # distances and open states of selectors.places_by_distance on
            # ``filterset.qs`` and place_open_states, shaped as the serializer
            # shapes them.
            radius = params.get("radius_km")
            municipality = params.get("municipality")
            index = search.place_index()
            ranked = search.search(
                index,
                user=request.user,
                lat=point[0],
                lon=point[1],
                radius_km=float(
                    radius if radius is not None else filters.DEFAULT_RADIUS_KM
                ),
                category=params.get("category") or None,
                kind=params.get("kind") or None,
                municipality_id=None if municipality is None else municipality.pk,
            )
            page = self.paginate_queryset(ranked) or []  # type: ignore[arg-type]
            places = search.page_places(index, page, at=at)
            return self.get_paginated_response(
                search_results.place_results(places, user=request.user)
            )
        places = list(self.paginate_queryset(filterset.qs) or [])
        states = selectors.place_open_states(places, at=at)
        for place in places:
            place.open_state = states[place.pk]  # type: ignore[attr-defined]
        return self.get_paginated_response(self.get_serializer(places, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        place = self.get_object()
        _filterset, params, _point = self._search()
        at = params.get("open_at") or timezone.now()
        place.open_state = selectors.place_open_states([place], at=at)[place.pk]  # type: ignore[attr-defined]
        return Response(self.get_serializer(place).data)

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.place_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.place_update(actor=self.request.user, place=instance, **data)

    def perform_delete_service(self, instance: Any) -> None:
        services.place_delete(actor=self.request.user, place=instance)


@extend_schema_view(
    list=extend_schema(responses={200: serializers.RepairCategorySerializer}),
)
class RepairCategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The categories of things repaired: code and Dutch and English labels."""

    serializer_class = serializers.RepairCategorySerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[RepairCategory]:
        return selectors.category_list()


class RepairStatisticsView(GenericAPIView):
    """What repairing achieves: the repair statistics of the stored ORDS records
    (imported datasets and the records Repair Cafés enter), computed by the
    engine exactly as ``cirkelregio repair ords-stats`` computes them for a file.

    Records, their outcome (fixed, repairable, end of life, unknown), the fix rate,
    the repair barriers of the end-of-life items, and the waste prevented (kg) and
    CO2e averted (kg) by the Restarters method, overall and per group (``by``
    country, year, group and/or category). ``method`` names the method and its
    sources; ``datasets`` the datasets counted, with the licence and attribution
    to credit them by. Public and read-only."""

    serializer_class = serializers.RepairStatisticsSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="repair_statistics",
        parameters=[serializers.StatisticsQuerySerializer],
        responses={
            200: serializers.RepairStatisticsSerializer,
            **problem_responses(400),
        },
    )
    def get(self, request: Request) -> Response:
        query = serializers.StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = dict(query.validated_data)
        by = values.pop("by", [])
        body = selectors.statistics_report(by=by, **values)
        return Response(serializers.RepairStatisticsSerializer(body).data)
