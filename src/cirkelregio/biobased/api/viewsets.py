# SPDX-License-Identifier: EUPL-1.2
"""Biobased-insulation endpoints under /api/v1/biobased/. Reads use selectors;
writes call services. Errors are RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cirkelregio.biobased import rules, selectors, services
from cirkelregio.biobased.api import filters, serializers
from cirkelregio.biobased.models import InsulationMaterial, InsulationProject
from cirkelregio.core.api.problems import problem_responses
from cirkelregio.core.api.viewsets import CrudViewSet
from cirkelregio.regions.models import Municipality

WRITE_ERRORS = problem_responses(400, 401, 403, 404)


class ReportPermission(BasePermission):
    """Everyone reads; writing needs a signed-in coordinator or an editor of an
    organisation in a municipality. The services check the municipality."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, str(request.method).lower()):
            return True
        user = request.user
        return bool(user and user.is_authenticated) and rules.can_report_projects(
            user  # type: ignore[arg-type]
        )

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return rules.can_change_project(request.user, obj)  # type: ignore[arg-type]


@extend_schema_view(
    list=extend_schema(responses={200: serializers.InsulationMaterialSerializer}),
    retrieve=extend_schema(
        responses={
            200: serializers.InsulationMaterialSerializer,
            **problem_responses(404),
        }
    ),
)
class MaterialViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The insulation-material catalogue: a product type's typical biobased share,
    its biogenic carbon (kg CO2 per kg, EN 16449) and density, each with its
    source; null where no verifiable figure exists. Public and read-only."""

    serializer_class = serializers.InsulationMaterialSerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9_-]+"

    def get_queryset(self) -> QuerySet[InsulationMaterial]:
        return selectors.material_list()


@extend_schema_view(
    list=extend_schema(
        responses={
            200: serializers.InsulationProjectSerializer,
            **problem_responses(400),
        }
    ),
    retrieve=extend_schema(
        responses={
            200: serializers.InsulationProjectSerializer,
            **problem_responses(404),
        }
    ),
    create=extend_schema(
        request=serializers.InsulationProjectWriteSerializer,
        responses={201: serializers.InsulationProjectSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        request=serializers.InsulationProjectWriteSerializer,
        responses={200: serializers.InsulationProjectSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(responses={204: None, **WRITE_ERRORS}),
)
class ProjectViewSet(CrudViewSet):
    """Insulation projects reported per municipality and year: homes, m², the
    material and the channel they were reported through. Aggregates, not addresses:
    everyone reads them. Coordinators, and the editors of an organisation in a
    municipality for that municipality, report, change and remove them. Filters:
    municipality (CBS code), year, source (channel)."""

    serializer_class = serializers.InsulationProjectSerializer
    filterset_class = filters.ProjectFilter
    create_serializer = serializers.InsulationProjectWriteSerializer
    update_serializer = serializers.InsulationProjectWriteSerializer
    permission_classes = [ReportPermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[InsulationProject]:
        return selectors.project_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.project_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.project_update(
            actor=self.request.user, project=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.project_delete(actor=self.request.user, project=instance)


class ProgressView(GenericAPIView):
    """Progress against the target (at least 30 % of the insulation task carried
    out with at least 30 % biobased material in 2030; ``target`` gives its source):
    for the province, or one ``municipality``, per year and cumulative, up to
    ``year``. ``meeting_share`` counts the task in ``basis`` (projects, homes or
    m²); projects with an unknown share are left out and counted. Also the plain
    biobased share by m² and by kg, and the biogenic CO2 stored, with the projects
    left out for want of a mass or a factor. Public and read-only."""

    serializer_class = serializers.BiobasedProgressReportSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="biobased_progress",
        parameters=[serializers.BiobasedProgressQuerySerializer],
        responses={
            200: serializers.BiobasedProgressReportSerializer,
            **problem_responses(400),
        },
    )
    def get(self, request: Request) -> Response:
        query = serializers.BiobasedProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = dict(query.validated_data)
        municipality = None
        if values.get("municipality"):
            municipality = Municipality.objects.filter(
                cbs_code=values["municipality"]
            ).first()
            if municipality is None:
                raise exceptions.ValidationError(
                    {"municipality": [_("Unknown municipality.")]}
                )
        report = selectors.progress_report(
            municipality=municipality,
            year=values.get("year"),
            basis=values.get("basis"),
        )
        return Response(serializers.BiobasedProgressReportSerializer(report).data)
