# SPDX-License-Identifier: EUPL-1.2
"""MKI endpoints under /api/v1/mki/. Reads and calculations use selectors; writes
call services. Errors are RFC 9457 problem details; a data file with problems is
answered with one entry per problem (file, line, field) and nothing is written."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import (
    FILE_ERRORS,
    file_problems,
    problem_responses,
)
from cirkelregio.core.api.viewsets import CrudViewSet
from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.mki import rules, selectors, services
from cirkelregio.mki.api import filters, serializers
from cirkelregio.mki.models import (
    Bid,
    BillLine,
    CalculationResult,
    Element,
    Outcome,
    Profile,
    ProfileLibrary,
    Project,
    Tender,
    Variant,
)
from cirkelregio.regions.selectors import municipality_get

WRITE_ERRORS = problem_responses(400, 401, 403, 404)
ID = r"[0-9]+"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnprocessableError(exceptions.APIException):
    """The request is understood, but the data cannot be calculated (for example an
    indicator without a verified weighting factor)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The data cannot be calculated."
    default_code = "unprocessable"


def _read_upload(upload: Any) -> tuple[bytes, str]:
    return upload.read(), getattr(upload, "name", "") or ""


def _retrieve_only(serializer: type, *, filtered: bool = True) -> dict[str, Any]:
    return {
        "list": extend_schema(
            responses={200: serializer, **(problem_responses(400) if filtered else {})}
        ),
        "retrieve": extend_schema(
            responses={200: serializer, **problem_responses(404)}
        ),
    }


def _crud(
    serializer: type, create: type, update: type, *, filtered: bool = True
) -> dict[str, Any]:
    return {
        **_retrieve_only(serializer, filtered=filtered),
        "create": extend_schema(
            request=create, responses={201: serializer, **WRITE_ERRORS}
        ),
        "partial_update": extend_schema(
            request=update, responses={200: serializer, **WRITE_ERRORS}
        ),
        "destroy": extend_schema(responses={204: None, **WRITE_ERRORS}),
    }


# Libraries and profiles ------------------------------------------------------------


@extend_schema_view(
    **_crud(
        serializers.ProfileLibrarySerializer,
        serializers.ProfileLibraryWriteSerializer,
        serializers.ProfileLibraryWriteSerializer,
    )
)
class ProfileLibraryViewSet(CrudViewSet):
    """Profile libraries. Coordinators create them; a library's owner organisation's
    editors import into it. Everyone reads published libraries; check a library's
    licence and synthetic flag before use."""

    serializer_class = serializers.ProfileLibrarySerializer
    filterset_class = filters.LibraryFilter
    create_serializer = serializers.ProfileLibraryWriteSerializer
    update_serializer = serializers.ProfileLibraryWriteSerializer
    object_rule = staticmethod(rules.can_change_library)

    def get_queryset(self) -> QuerySet[ProfileLibrary]:
        return (
            selectors.library_list(user=self.request.user)
            .annotate(profile_count=Count("profiles"))
            .order_by("id")
        )

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.library_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.library_update(
            actor=self.request.user, library=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.library_delete(actor=self.request.user, library=instance)

    def _report(
        self, report: services.ImportReport, library: ProfileLibrary
    ) -> Response:
        data = {
            "profiles_created": report.profiles_created,
            "profiles_updated": report.profiles_updated,
            "profiles_removed": report.profiles_removed,
            "values": report.values,
            "skipped_indicators": list(report.skipped_indicators),
            "revision": library.revision,
        }
        return Response(serializers.ImportReportSerializer(data).data)

    @extend_schema(
        request={"multipart/form-data": serializers.ProfileCsvUploadSerializer},
        responses={200: serializers.ImportReportSerializer, **FILE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import-csv",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_csv(self, request: Request, pk: str | None = None) -> Response:
        """Replace the library's profiles with a profile CSV (all or nothing)."""
        library = self.get_object()
        data = serializers.ProfileCsvUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        content, name = _read_upload(data.validated_data["file"])
        try:
            report = services.library_import_csv(
                actor=request.user, library=library, content=content, file_name=name
            )
        except DataLoadError as exc:
            return file_problems(request, exc)
        return self._report(report, library)

    @extend_schema(
        request={"multipart/form-data": serializers.EpdUploadSerializer},
        responses={200: serializers.ImportReportSerializer, **FILE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import-epd",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_epd(self, request: Request, pk: str | None = None) -> Response:
        """Add one EPD (ILCD+EPD XML) to the library as one profile."""
        library = self.get_object()
        data = serializers.EpdUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        content, name = _read_upload(values.pop("file"))
        try:
            report = services.library_import_epd(
                actor=request.user,
                library=library,
                content=content,
                file_name=name,
                **values,
            )
        except DataLoadError as exc:
            return file_problems(request, exc)
        return self._report(report, library)


@extend_schema_view(
    list=extend_schema(
        responses={200: serializers.ProfileSerializer, **problem_responses(400)}
    ),
    retrieve=extend_schema(
        responses={200: serializers.ProfileDetailSerializer, **problem_responses(404)}
    ),
)
class ProfileViewSet(viewsets.ReadOnlyModelViewSet):
    """Environmental profiles of the libraries one may read; a profile's detail
    holds its values per module and indicator."""

    serializer_class = serializers.ProfileSerializer
    filterset_class = filters.ProfileFilter
    lookup_value_regex = ID

    def get_serializer_class(self) -> type[drf_serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return serializers.ProfileDetailSerializer
        return serializers.ProfileSerializer

    def get_queryset(self) -> QuerySet[Profile]:
        return selectors.profile_list(user=self.request.user).order_by("id")


# Projects --------------------------------------------------------------------------


@extend_schema_view(
    **_crud(
        serializers.ProjectSerializer,
        serializers.ProjectWriteSerializer,
        serializers.ProjectWriteSerializer,
    )
)
class ProjectViewSet(CrudViewSet):
    """GWW projects whose MKI is calculated. An organisation's editors manage the
    projects it owns; everyone reads published projects."""

    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter
    create_serializer = serializers.ProjectWriteSerializer
    update_serializer = serializers.ProjectWriteSerializer
    object_rule = staticmethod(rules.can_change_project)

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.project_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.project_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.project_update(
            actor=self.request.user, project=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.project_delete(actor=self.request.user, project=instance)

    @extend_schema(
        parameters=[serializers.ComparisonQuerySerializer],
        responses={
            200: serializers.ComparisonSerializer,
            **problem_responses(400, 404, 422),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def comparison(self, request: Request, pk: str | None = None) -> Response:
        """The project's variants side by side (engine ``compare``), the reference
        variant first; 422 with the reason when they cannot be calculated."""
        project = self.get_object()
        query = serializers.ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            comparison = selectors.variant_comparison(
                project=project, **query.validated_data
            )
        except selectors.UnavailableError as exc:
            raise UnprocessableError(str(exc)) from exc
        return Response(serializers.ComparisonSerializer(comparison.to_dict()).data)

    @extend_schema(
        responses={
            200: serializers.OverviewCellSerializer(many=True),
            **problem_responses(404),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def overview(self, request: Request, pk: str | None = None) -> Response:
        """Every variant with nmd-a1 and nmd-a2, with and without module D: the
        total where it can be calculated, otherwise the reason."""
        cells = selectors.project_overview(project=self.get_object())
        return Response(
            serializers.OverviewCellSerializer([vars(c) for c in cells], many=True).data
        )


class IgnoreClientContentNegotiation(BaseContentNegotiation):
    """JSON for every answer of the variant endpoints (the bill export returns its
    file itself), whatever the Accept header asks."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        for parser in parsers:
            if (
                parser.media_type.split(";")[0]
                == (request.content_type or "").split(";")[0].strip()
            ):
                return parser
        return None

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


@extend_schema_view(
    **_crud(
        serializers.VariantSerializer,
        serializers.VariantCreateSerializer,
        serializers.VariantUpdateSerializer,
    )
)
class VariantViewSet(CrudViewSet):
    """Variants of a project (one is the reference), their bills of quantities as
    CSV or XLSX, and their MKI calculation."""

    serializer_class = serializers.VariantSerializer
    filterset_class = filters.VariantFilter
    create_serializer = serializers.VariantCreateSerializer
    update_serializer = serializers.VariantUpdateSerializer
    content_negotiation_class = IgnoreClientContentNegotiation

    @staticmethod
    def object_rule(user: Any, variant: Variant) -> bool:
        return rules.can_change_project(user, variant.project)

    def get_queryset(self) -> QuerySet[Variant]:
        return selectors.variant_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.variant_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.variant_update(
            actor=self.request.user, variant=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.variant_delete(actor=self.request.user, variant=instance)

    @extend_schema(
        request=serializers.CalculateSerializer,
        responses={
            201: serializers.CalculationResultSerializer,
            **problem_responses(400, 401, 403, 404, 422),
        },
    )
    @action(detail=True, methods=["post"])
    def calculate(self, request: Request, pk: str | None = None) -> Response:
        """Calculate the variant's MKI and store the result. When it cannot be
        calculated (an indicator without a verified factor), the failed result is
        stored and the answer is 422 with the reason; no number is guessed."""
        variant = self.get_object()
        data = serializers.CalculateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.variant_calculate(
            actor=request.user, variant=variant, **data.validated_data
        )
        if result.outcome == Outcome.FAILED:
            raise UnprocessableError(result.error)
        return Response(
            serializers.CalculationResultSerializer(
                result, context={"stale": set()}
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter(
                "file_format",
                str,
                enum=["csv", "xlsx"],
                description="csv (default) or xlsx.",
            )
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY),
            **problem_responses(400, 404),
        },
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": serializers.BillUploadSerializer},
        responses={200: serializers.BillImportReportSerializer, **FILE_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def bill(self, request: Request, pk: str | None = None) -> Response | HttpResponse:
        """GET: the bill of quantities as CSV or XLSX (line_id,element,profile_id,
        quantity,service_life_years). POST: replace it with an uploaded CSV or XLSX
        file, all or nothing."""
        variant = self.get_object()
        if request.method == "GET":
            query = serializers.BillExportQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            stem = f"variant-{variant.pk}-bill"
            if query.validated_data["file_format"] == "xlsx":
                response = HttpResponse(
                    selectors.bill_xlsx(variant=variant), content_type=XLSX
                )
                response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
                return response
            response = HttpResponse(
                selectors.bill_csv(variant=variant),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
            return response
        data = serializers.BillUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        content, name = _read_upload(values.pop("file"))
        try:
            report = services.bill_import(
                actor=request.user,
                variant=variant,
                library=values["library"],
                content=content,
                file_name=name,
                file_format=values.get("file_format"),
            )
        except DataLoadError as exc:
            return file_problems(request, exc)
        return Response(
            serializers.BillImportReportSerializer(
                {"elements": report.elements, "lines": report.lines}
            ).data
        )


@extend_schema_view(
    **_crud(
        serializers.ElementSerializer,
        serializers.ElementCreateSerializer,
        serializers.ElementUpdateSerializer,
    )
)
class ElementViewSet(CrudViewSet):
    """Elements (parts of the work) of a variant, grouping its bill lines."""

    serializer_class = serializers.ElementSerializer
    filterset_class = filters.ElementFilter
    create_serializer = serializers.ElementCreateSerializer
    update_serializer = serializers.ElementUpdateSerializer

    @staticmethod
    def object_rule(user: Any, element: Element) -> bool:
        return rules.can_change_project(user, element.variant.project)

    def get_queryset(self) -> QuerySet[Element]:
        return selectors.element_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.element_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.element_update(
            actor=self.request.user, element=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.element_delete(actor=self.request.user, element=instance)


@extend_schema_view(
    **_crud(
        serializers.BillLineSerializer,
        serializers.BillLineCreateSerializer,
        serializers.BillLineUpdateSerializer,
    )
)
class BillLineViewSet(CrudViewSet):
    """Lines of the bills of quantities: a quantity of a profile's functional unit,
    with a service life when the product does not last the reference period."""

    serializer_class = serializers.BillLineSerializer
    filterset_class = filters.BillLineFilter
    create_serializer = serializers.BillLineCreateSerializer
    update_serializer = serializers.BillLineUpdateSerializer

    @staticmethod
    def object_rule(user: Any, line: BillLine) -> bool:
        return rules.can_change_project(user, line.element.variant.project)

    def get_queryset(self) -> QuerySet[BillLine]:
        return selectors.bill_line_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.bill_line_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.bill_line_update(actor=self.request.user, line=instance, **data)

    def perform_delete_service(self, instance: Any) -> None:
        services.bill_line_delete(actor=self.request.user, line=instance)


@extend_schema_view(**_retrieve_only(serializers.CalculationResultSerializer))
class CalculationResultViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Stored calculation results, newest first; ``is_stale`` tells whether the
    inputs changed since."""

    serializer_class = serializers.CalculationResultSerializer
    filterset_class = filters.ResultFilter
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[CalculationResult]:
        return selectors.result_list(user=self.request.user).order_by(
            "-calculated_at", "-id"
        )

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            items = args[0] if isinstance(args[0], list) else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["stale"] = selectors.stale_results(
                [r for r in items if isinstance(r, CalculationResult)]
            )
            return self.get_serializer_class()(*args, **kwargs)
        return super().get_serializer(*args, **kwargs)


# Tenders ---------------------------------------------------------------------------


@extend_schema_view(
    **_crud(
        serializers.TenderSerializer,
        serializers.TenderWriteSerializer,
        serializers.TenderUpdateSerializer,
    )
)
class TenderViewSet(CrudViewSet):
    """Tenders that award on price and MKI: a fictitious discount between an upper
    and a lower MKI bound, or k times the MKI added to the price."""

    serializer_class = serializers.TenderSerializer
    filterset_class = filters.TenderFilter
    create_serializer = serializers.TenderWriteSerializer
    update_serializer = serializers.TenderUpdateSerializer

    @staticmethod
    def object_rule(user: Any, tender: Tender) -> bool:
        return rules.can_change_project(user, tender.project)

    def get_queryset(self) -> QuerySet[Tender]:
        return selectors.tender_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.tender_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.tender_update(actor=self.request.user, tender=instance, **data)

    def perform_delete_service(self, instance: Any) -> None:
        services.tender_delete(actor=self.request.user, tender=instance)

    @extend_schema(
        responses={
            200: serializers.RankingRowSerializer(many=True),
            **problem_responses(404),
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def ranking(self, request: Request, pk: str | None = None) -> Response:
        """The bids by fictitious price, lowest first (engine ``rank_bids``), with
        the settlement (engine ``penalty``) where the as-built MKI is known."""
        rows = selectors.tender_ranking(tender=self.get_object())
        return Response(
            serializers.RankingRowSerializer([vars(r) for r in rows], many=True).data
        )


@extend_schema_view(
    **_crud(
        serializers.BidSerializer,
        serializers.BidWriteSerializer,
        serializers.BidUpdateSerializer,
    )
)
class BidViewSet(CrudViewSet):
    """Bids on a tender: price, promised MKI and, after delivery, the as-built MKI."""

    serializer_class = serializers.BidSerializer
    filterset_class = filters.BidFilter
    create_serializer = serializers.BidWriteSerializer
    update_serializer = serializers.BidUpdateSerializer

    @staticmethod
    def object_rule(user: Any, bid: Bid) -> bool:
        return rules.can_change_project(user, bid.tender.project)

    def get_queryset(self) -> QuerySet[Bid]:
        return selectors.bid_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.bid_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.bid_update(actor=self.request.user, bid=instance, **data)

    def perform_delete_service(self, instance: Any) -> None:
        services.bid_delete(actor=self.request.user, bid=instance)


# Monitor ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[serializers.MonitorQuerySerializer],
        responses={
            200: serializers.MonitorMunicipalitySerializer(many=True),
            **problem_responses(400),
        },
    )
)
class MonitorViewSet(viewsets.GenericViewSet):
    """The regional MKI monitor: per municipality and year the MKI of the published
    projects registered there (the latest successful calculation of each project's
    reference variant), the zero measurement (nulmeting: the first year with data)
    and the trend."""

    serializer_class = serializers.MonitorMunicipalitySerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Project]:
        return Project.objects.none()

    def list(self, request: Request) -> Response:
        query = serializers.MonitorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = dict(query.validated_data)
        cbs = values.pop("municipality", None)
        municipality = None
        if cbs is not None:
            municipality = municipality_get(cbs_code=cbs)
            if municipality is None:
                raise exceptions.ValidationError(
                    {
                        "municipality": [
                            _("Unknown municipality %(code)s.") % {"code": cbs}
                        ]
                    }
                )
        rows = selectors.mki_monitor(municipality=municipality, **values)
        return Response(
            serializers.MonitorMunicipalitySerializer(
                [{**vars(m), "years": [vars(y) for y in m.years]} for m in rows],
                many=True,
            ).data
        )
