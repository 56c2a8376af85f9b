# SPDX-License-Identifier: EUPL-1.2
"""The roads API: the mixture catalogue, road sections with their passports,
maintenance works with the materials they release and need, and all-or-nothing
imports for road managers (their own authority) and coordinators. Sections, passports
and works of public road authorities are public information: everyone reads them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import FILE_ERRORS, file_problems, problem_responses
from cirkelregio.core.api.viewsets import ID
from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.roads import selectors, services
from cirkelregio.roads.api import filters, serializers
from cirkelregio.roads.models import AsphaltMixture, MaintenanceWork, RoadSection


def _read_only(serializer: type) -> dict[str, Any]:
    return {
        "list": extend_schema(responses={200: serializer, **problem_responses(400)}),
        "retrieve": extend_schema(
            responses={200: serializer, **problem_responses(404)}
        ),
    }


@extend_schema_view(
    list=extend_schema(responses={200: serializers.AsphaltMixtureSerializer}),
)
class MixtureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The asphalt mixture and layer catalogue (Dutch RAW naming: AC 16 bin,
    PA 16, ...) with density and its source; without a verified density no tonnes
    are computed for a mixture."""

    serializer_class = serializers.AsphaltMixtureSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[AsphaltMixture]:
        return selectors.mixture_list()


@extend_schema_view(**_read_only(serializers.RoadSectionSerializer))
class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Road sections of the road authorities, with geometry (WGS84 GeoJSON), paved
    area and municipality. Filters: ``authority``, ``municipality``,
    ``road_type``, ``bbox``."""

    serializer_class = serializers.RoadSectionSerializer
    filterset_class = filters.SectionFilter
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[RoadSection]:
        return selectors.section_list(user=self.request.user)

    @extend_schema(
        filters=False,
        responses={
            200: serializers.RoadPassportSerializer(many=True),
            **problem_responses(404),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def passports(self, request: Request, pk: str | None = None) -> Response:
        """The section's materials passports, oldest first, with their layers."""
        section = self.get_object()
        passports = selectors.passport_list(user=request.user).filter(section=section)
        return Response(serializers.RoadPassportSerializer(passports, many=True).data)


@extend_schema_view(**_read_only(serializers.RoadWorkSerializer))
class WorkViewSet(viewsets.ReadOnlyModelViewSet):
    """Planned maintenance works of the road authorities with their new layers.
    Filters: ``authority``, ``section``, ``work_type``, ``year``."""

    serializer_class = serializers.RoadWorkSerializer
    filterset_class = filters.WorkFilter
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[MaintenanceWork]:
        return selectors.work_list(user=self.request.user)

    @extend_schema(
        filters=False,
        responses={
            200: serializers.RoadWorkMaterialsSerializer,
            **problem_responses(404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="released-materials",
        pagination_class=None,
        filter_backends=[],
    )
    def released_materials(self, request: Request, pk: str | None = None) -> Response:
        """Tonnes released per removed layer (area x thickness x density) from the
        passport in force at the window's start, tar-free (EURAL 17 03 02,
        offered for reuse) or tar-containing (17 03 01*, hazardous, never
        offered), and the tonnes of new mixtures needed with their reclaimed
        share. A tonnage without a verified density is null with the reason."""
        result = selectors.work_released_materials(work=self.get_object())
        m = result.materials
        body: dict[str, Any] = {
            "work": result.work,
            "passport": result.passport,
            "error": result.error,
            "complete": bool(m and m.complete),
            "released": list(m.released) if m else [],
            "needed": list(m.needed) if m else [],
        }
        for name in (
            "released_tonnes",
            "offered_tonnes",
            "hazardous_tonnes",
            "needed_tonnes",
            "needed_reclaimed_tonnes",
        ):
            body[name] = getattr(m, name) if m else None
        return Response(serializers.RoadWorkMaterialsSerializer(body).data)


class _ImportView(GenericAPIView):
    parser_classes = [MultiPartParser, FormParser]
    upload_serializer: type[serializers.RoadUploadSerializer] = (
        serializers.RoadUploadSerializer
    )
    serializer_class = serializers.RoadImportReportSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def run(self, path: Path, authority: Any, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request) -> Response:
        data = self.upload_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        upload = values.pop("file")
        slug = values.pop("authority", None)
        authority = None
        if slug is not None:
            authority = region_selectors.organisation_list().filter(slug=slug).first()
            if authority is None:
                raise ValidationError({"authority": "Unknown organisation."})
        name = Path(getattr(upload, "name", "") or "upload").name
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(upload.read())
            try:
                report = self.run(path, authority, values)
            except DataLoadError as exc:
                return file_problems(request, exc)
        return Response(serializers.RoadImportReportSerializer(report).data)


IMPORT_SCHEMA = {
    "responses": {200: serializers.RoadImportReportSerializer, **FILE_ERRORS}
}


class SectionImportView(_ImportView):
    """Import road sections (CSV with WKT or GeoJSON text, or GeoJSON; WGS84 or RD
    New). All or nothing: a file with problems is answered with problem details
    listing each by file, line and field, and nothing is written."""

    upload_serializer = serializers.RoadSectionUploadSerializer

    @extend_schema(
        operation_id="roads_import_sections",
        request={"multipart/form-data": serializers.RoadSectionUploadSerializer},
        **IMPORT_SCHEMA,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def run(self, path: Path, authority: Any, values: dict[str, Any]) -> Any:
        return services.import_sections(
            path, authority=authority, crs=values["crs"], actor=self.request.user
        )


class PassportImportView(_ImportView):
    """Import passports (CSV, one row per layer). All or nothing."""

    @extend_schema(
        operation_id="roads_import_passports",
        request={"multipart/form-data": serializers.RoadUploadSerializer},
        **IMPORT_SCHEMA,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def run(self, path: Path, authority: Any, values: dict[str, Any]) -> Any:
        return services.import_passports(
            path, authority=authority, actor=self.request.user
        )


class WorkImportView(_ImportView):
    """Import maintenance works (CSV, one row per new layer). All or nothing."""

    @extend_schema(
        operation_id="roads_import_works",
        request={"multipart/form-data": serializers.RoadUploadSerializer},
        **IMPORT_SCHEMA,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def run(self, path: Path, authority: Any, values: dict[str, Any]) -> Any:
        return services.import_works(path, authority=authority, actor=self.request.user)
