# SPDX-License-Identifier: EUPL-1.2
"""Craft-centres endpoints under /api/v1/craftcentres/. Reads use selectors; writes
call services. Errors are RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.core.api.viewsets import ID, CrudViewSet
from cirkelregio.craftcentres import rules, selectors, services
from cirkelregio.craftcentres.api import serializers
from cirkelregio.craftcentres.models import CentreSite, NetworkScenario
from cirkelregio.jobs.api import accepted, prefers_async, start_schema

WRITE_ERRORS = problem_responses(400, 401, 403, 404)


class SitePermission(BasePermission):
    """Everyone reads; adding needs a coordinator or an editor of a municipality's
    own organisation (the service checks the municipality and kind)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, str(request.method).lower()):
            return True
        user = request.user
        return bool(user and user.is_authenticated) and rules.can_propose_sites(
            user  # type: ignore[arg-type]
        )

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return rules.can_change_site(request.user, obj)  # type: ignore[arg-type]


class PlanPermission(BasePermission):
    """Everyone reads (published scenarios); planning needs a coordinator."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, str(request.method).lower()):
            return True
        user = request.user
        return bool(user and user.is_authenticated) and rules.can_plan_networks(
            user  # type: ignore[arg-type]
        )


@extend_schema_view(
    list=extend_schema(responses={200: serializers.CentreSiteSerializer}),
    retrieve=extend_schema(
        responses={200: serializers.CentreSiteSerializer, **problem_responses(404)}
    ),
    create=extend_schema(
        request=serializers.CentreSiteWriteSerializer,
        responses={201: serializers.CentreSiteSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        request=serializers.CentreSiteWriteSerializer,
        responses={200: serializers.CentreSiteSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(responses={204: None, **WRITE_ERRORS}),
)
class SiteViewSet(CrudViewSet):
    """Existing craft centres (always open in a network) and candidate sites, with
    their position (given, or the centre of a PC4 area). Everyone reads them.
    Coordinators add, change and remove every site; the editors of a
    municipality's own organisation propose candidate sites in their municipality
    and change the ones they proposed."""

    serializer_class = serializers.CentreSiteSerializer
    create_serializer = serializers.CentreSiteWriteSerializer
    update_serializer = serializers.CentreSiteWriteSerializer
    permission_classes = [SitePermission]
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[CentreSite]:
        return selectors.site_list().order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.site_create(actor=self.request.user, **data)  # type: ignore[arg-type]

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.site_update(
            actor=self.request.user,  # type: ignore[arg-type]
            site=instance,
            **data,
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.site_delete(actor=self.request.user, site=instance)  # type: ignore[arg-type]


@extend_schema_view(
    list=extend_schema(responses={200: serializers.NetworkScenarioSerializer}),
    retrieve=extend_schema(
        responses={
            200: serializers.NetworkScenarioSerializer,
            **problem_responses(404),
        }
    ),
    create=start_schema(
        serializers.NetworkScenarioCreateSerializer,
        serializers.NetworkScenarioSerializer,
        WRITE_ERRORS,
    ),
)
class ScenarioViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Network scenarios: the model (p-median or coverage), the values of p, the
    coverage distance, the detour factor and the reusable share with its source,
    and the values of p whose network is stored. Everyone reads the published
    ones; coordinators see all and POST a new scenario, which is solved for every p
    before the answer (about a second per p on the province). With ``Prefer:
    respond-async`` the scenario is stored and its networks are computed by a
    background job (202)."""

    serializer_class = serializers.NetworkScenarioSerializer
    permission_classes = [PlanPermission]
    pagination_class = None
    lookup_value_regex = ID
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[NetworkScenario]:
        return selectors.scenario_list(user=self.request.user).order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = serializers.NetworkScenarioCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        site_ids = values.pop("sites", None)
        sites = None
        if site_ids is not None:
            sites = list(selectors.site_list().filter(pk__in=site_ids))
            missing = sorted(set(site_ids) - {s.pk for s in sites})
            if missing:
                raise exceptions.ValidationError(
                    {"sites": [f"Unknown site: {', '.join(map(str, missing))}."]}
                )
        actor: Any = request.user
        scenario = services.scenario_create(actor=actor, sites=sites, **values)
        if prefers_async(request):
            return accepted(request, "craftcentres.scenario", {"scenario": scenario.pk})
        services.scenario_run(actor=actor, scenario=scenario)
        scenario = self.get_queryset().get(pk=scenario.pk)
        return Response(
            self.get_serializer(scenario).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={
            200: serializers.ScenarioResultSerializer(many=True),
            **problem_responses(404),
        }
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """The stored network of every p: the engine's result as JSON."""
        scenario = self.get_object()
        return Response(
            serializers.ScenarioResultSerializer(scenario.results.all(), many=True).data
        )

    @extend_schema(
        operation_id="craftcentres_scenarios_networks",
        responses={
            200: serializers.NetworkRowSerializer(many=True),
            **problem_responses(404),
        },
    )
    @action(detail=True, methods=["get"])
    def networks(self, request: Request, pk: str | None = None) -> Response:
        """The networks of every p side by side: coverage, average and largest
        distance, tonnes, and per centre its population, municipalities and
        tonnes."""
        scenario = self.get_object()
        rows = selectors.network_rows([scenario])
        return Response(serializers.NetworkRowSerializer(rows, many=True).data)


class ComparisonView(GenericAPIView):
    """Networks of several scenarios side by side (one row per scenario and p):
    coverage within the scenario's distance, average and largest distance,
    bulky-waste and harvestable tonnes, the harvestable tonnes and the number of
    municipalities of each centre. Published scenarios for everyone; all for
    coordinators."""

    serializer_class = serializers.NetworkRowSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="craftcentres_comparison",
        parameters=[serializers.ComparisonQuerySerializer],
        responses={
            200: serializers.NetworkRowSerializer(many=True),
            **problem_responses(400),
        },
    )
    def get(self, request: Request) -> Response:
        query = serializers.ComparisonQuerySerializer(
            data={"scenario": request.query_params.getlist("scenario")}
            if "scenario" in request.query_params
            else {}
        )
        query.is_valid(raise_exception=True)
        ids = query.validated_data.get("scenario")
        visible = selectors.scenario_list(user=request.user).order_by("id")
        if ids:
            found = {s.pk: s for s in visible.filter(pk__in=ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                raise exceptions.ValidationError(
                    {"scenario": [f"Unknown scenario: {', '.join(map(str, missing))}."]}
                )
            scenarios = [found[i] for i in dict.fromkeys(ids)]
        else:
            scenarios = list(visible)
        rows = selectors.network_rows(scenarios)
        return Response(serializers.NetworkRowSerializer(rows, many=True).data)


class MunicipalityView(GenericAPIView):
    """Per municipality: its bulky waste (kg per inhabitant and tonnes a year, with
    the source) in the year of the current scenario (the latest published one), the
    harvestable tonnes at that scenario's reusable share, and the centre that serves
    it in the network put forward. Public and read-only."""

    serializer_class = serializers.MunicipalityNetworkSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="craftcentres_municipalities",
        responses={200: serializers.MunicipalityNetworkSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.municipality_networks()
        return Response(serializers.MunicipalityNetworkSerializer(rows, many=True).data)
