# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling API under /api/v1/agricycling/.

- seasons, parcels, farms (without personal data for the public), compost batches
  and tariffs: everyone reads; coordinators set tariffs (POST upserts a season's);
- ``import/parcels/`` (owners' editors, their own parcels; coordinators) and
  ``import/farms/`` (coordinators): all or nothing, problem details per file line;
- ``runs/``: everyone reads the runs' figures; the engine result (which names the
  farms) only coordinators; coordinators POST to run an allocation;
  ``runs/{id}/settlement/`` the settlement with the parties the user may see;
  ``runs/{id}/statements/{role}/{party}/`` one party's statement;
- ``allocate/``: the allocation of a file in the command's format, not stored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.agricycling import selectors, services
from cirkelregio.agricycling.api import serializers as s
from cirkelregio.agricycling.models import (
    AllocationRun,
    CompostBatch,
    Farm,
    MowingParcel,
    Season,
    Tariffs,
)
from cirkelregio.core.api.problems import FILE_ERRORS, file_problems, problem_responses
from cirkelregio.core.api.viewsets import ID
from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.jobs.api import accepted, prefers_async, start_schema
from cirkelregio.regions import selectors as region_selectors


def _read(serializer: Any) -> dict[str, Any]:
    return {
        "list": extend_schema(responses={200: serializer}),
        "retrieve": extend_schema(
            responses={200: serializer, **problem_responses(404)}
        ),
    }


@extend_schema_view(**_read(s.AgricyclingSeasonSerializer))
class SeasonViewSet(viewsets.ReadOnlyModelViewSet):
    """Agricycling seasons."""

    serializer_class = s.AgricyclingSeasonSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Season]:
        return selectors.season_list()


@extend_schema_view(**_read(s.AgricyclingParcelSerializer))
class ParcelViewSet(viewsets.ReadOnlyModelViewSet):
    """The owners' mowing parcels (road verges, ditch banks, nature areas) with
    their geometry (WGS84), expected tonnes per season and alternative cost."""

    serializer_class = s.AgricyclingParcelSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[MowingParcel]:
        return selectors.parcel_list()


@extend_schema_view(**_read(s.AgricyclingFarmSerializer))
class FarmViewSet(viewsets.ReadOnlyModelViewSet):
    """The cooperative's farms with their composting capacity per season. The
    public gets no name and the location to about a kilometre."""

    serializer_class = s.AgricyclingFarmSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Farm]:
        return selectors.farm_list().prefetch_related("capacities__season")


@extend_schema_view(**_read(s.AgricyclingBatchSerializer))
class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Compost batches with their CMC certification (e.g. by Stagro) and lab
    analysis."""

    serializer_class = s.AgricyclingBatchSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[CompostBatch]:
        return selectors.batch_list()


@extend_schema_view(
    list=extend_schema(responses={200: s.AgricyclingTariffsSerializer}),
    create=extend_schema(
        request=s.AgricyclingTariffsSerializer,
        responses={
            201: s.AgricyclingTariffsSerializer,
            **problem_responses(400, 401, 403),
        },
    ),
)
class TariffsViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The cooperative's tariffs per season. Coordinators POST a season's tariffs
    (all four amounts and the source are needed; an existing season's are
    replaced)."""

    serializer_class = s.AgricyclingTariffsSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Tariffs]:
        return selectors.tariffs_list()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.AgricyclingTariffsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        tariffs = services.tariffs_set(actor=request.user, **_tariff_args(v))
        return Response(s.AgricyclingTariffsSerializer(tariffs).data, status=201)


def _tariff_args(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "season": v["season"],
        "fee_eur_per_t": v.get("fee_eur_per_t"),
        "transport_eur_per_tkm": v.get("transport_eur_per_tkm"),
        "composting_eur_per_t": v.get("composting_eur_per_t"),
        "compost_value_eur_per_t": v.get("compost_value_eur_per_t"),
        "compost_yield": v.get("compost_yield"),
        "compost_value_to": v.get("compost_value_to", "farm"),
        "source": v.get("source", ""),
    }


def _table_body(table: Any) -> dict[str, Any]:
    return {
        "season": table.season,
        "full": table.full,
        "balanced": table.balanced,
        "fees": table.fees,
        "transport": table.transport,
        "composting": table.composting,
        "compost_value": table.compost_value,
        "compost_value_to": table.compost_value_to,
        "result": table.result,
        "owners": [r.__dict__ for r in table.owners],
        "farms": [r.__dict__ for r in table.farms],
    }


@extend_schema_view(
    list=extend_schema(responses={200: s.AgricyclingRunSerializer}),
    retrieve=extend_schema(
        responses={200: s.AgricyclingRunSerializer, **problem_responses(404)}
    ),
    create=start_schema(
        s.AgricyclingRunStartSerializer,
        s.AgricyclingRunSerializer,
        problem_responses(400, 401, 403),
    ),
)
class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Allocation runs: which parcel's mowings go to which farm within the
    maximum distance, respecting capacity, at least transport plus alternative
    cost (``split``: a transportation LP; ``whole``: an exact MILP, HiGHS).
    Coordinators start one; a season without tariffs is refused. With ``Prefer:
    respond-async`` the run is queued as a background job (202) after the same
    checks."""

    serializer_class = s.AgricyclingRunSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[AllocationRun]:
        return selectors.run_list()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.AgricyclingRunStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if prefers_async(request):
            v = data.validated_data
            services.allocation_check(
                actor=request.user, season=v["season"], mode=v["mode"]
            )
            return accepted(
                request, "agricycling.allocation", v | {"season": v["season"].label}
            )
        run = services.allocation_run(actor=request.user, **data.validated_data)
        return Response(
            s.AgricyclingRunSerializer(run, context={"request": request}).data,
            status=201,
        )

    @extend_schema(
        responses={
            200: s.AgricyclingSettlementSerializer,
            **problem_responses(400, 404),
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def settlement(self, request: Request, pk: str | None = None) -> Response:
        """The season's settlement of the run, in cents that add up: what each
        owner pays, what each farm receives, the cooperative's result and each
        member's share. Parties the user may not see are left out of the lists
        (coordinators see all; an owner's or farm's editors their own)."""
        table = selectors.settlement_table(run=self.get_object(), user=request.user)
        return Response(s.AgricyclingSettlementSerializer(_table_body(table)).data)

    @extend_schema(
        responses={200: s.AgricyclingStatementSerializer, **problem_responses(404)},
        parameters=[
            OpenApiParameter(
                "role", str, "path", enum=["owner", "farm", "cooperative"]
            ),
            OpenApiParameter("party", str, "path"),
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"statements/(?P<role>owner|farm|cooperative)/(?P<party>[^/]+)",
        pagination_class=None,
        filter_backends=[],
    )
    def statement(
        self, request: Request, pk: str | None = None, role: str = "", party: str = ""
    ) -> Response:
        """One party's statement (owner: its slug; farm: its name; cooperative:
        ``cooperative``); not found for a party the user may not see."""
        found = selectors.statement_of(
            run=self.get_object(), role=role, party=party, user=request.user
        )
        if found is None:
            raise Http404
        settlement, st, name = found
        return Response(
            s.AgricyclingStatementSerializer(
                {
                    "season": settlement.season,
                    "role": st.role,
                    "party": st.party,
                    "name": name,
                    "total_eur": st.total_eur,
                    "lines": [
                        {"description": d, "quantity": q, "unit": u, "eur": e}
                        for d, q, u, e in st.lines
                    ],
                }
            ).data
        )


class _Upload(GenericAPIView):
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None
    filter_backends: list[Any] = []

    def _save(self, upload: Any, folder: str) -> Path:
        name = Path(getattr(upload, "name", "") or "upload").name
        path = Path(folder) / name
        path.write_bytes(upload.read())
        return path


class ParcelImportView(_Upload):
    """Import mowing parcels (GeoJSON, or CSV with WKT; WGS84 or RD New). All or
    nothing: a file with problems is answered with problem details listing each
    by file, line and field, and nothing is written."""

    serializer_class = s.AgricyclingImportReportSerializer

    @extend_schema(
        operation_id="agricycling_import_parcels",
        request={"multipart/form-data": s.AgricyclingParcelUploadSerializer},
        responses={200: s.AgricyclingImportReportSerializer, **FILE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = s.AgricyclingParcelUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        owner = None
        if v.get("owner"):
            owner = region_selectors.organisation_list().filter(slug=v["owner"]).first()
            if owner is None:
                raise ValidationError({"owner": "Unknown organisation."})
        with tempfile.TemporaryDirectory() as folder:
            path = self._save(v["file"], folder)
            try:
                report = services.import_parcels(
                    path, owner=owner, crs=v["crs"], actor=request.user
                )
            except DataLoadError as exc:
                return file_problems(request, exc)
        return Response(s.AgricyclingImportReportSerializer(report).data)


class FarmImportView(_Upload):
    """Import farms with their capacity in a season (CSV). All or nothing."""

    serializer_class = s.AgricyclingImportReportSerializer

    @extend_schema(
        operation_id="agricycling_import_farms",
        request={"multipart/form-data": s.AgricyclingFarmUploadSerializer},
        responses={200: s.AgricyclingImportReportSerializer, **FILE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = s.AgricyclingFarmUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        with tempfile.TemporaryDirectory() as folder:
            path = self._save(v["file"], folder)
            try:
                report = services.import_farms(
                    path, season=v["season"], actor=request.user
                )
            except DataLoadError as exc:
                return file_problems(request, exc)
        return Response(s.AgricyclingImportReportSerializer(report).data)


class AllocateFileView(_Upload):
    """The allocation of a file in the format of ``cirkelregio agricycling
    allocate`` (docs/agricycling.md), answered with the engine's result and not
    stored. The form fields override the file's ``parameters``. A file with
    problems is answered with problem details naming the JSON path and field."""

    serializer_class = s.AgricyclingAllocationResultSerializer

    @extend_schema(
        operation_id="agricycling_allocate_file",
        request={"multipart/form-data": s.AgricyclingAllocateFileSerializer},
        responses={200: s.AgricyclingAllocationResultSerializer, **FILE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = s.AgricyclingAllocateFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        upload = v["file"]
        try:
            result = services.allocate_file(
                upload.read(),
                file_name=getattr(upload, "name", "") or "upload.json",
                mode=v["mode"],
                overrides={
                    k: v.get(k)
                    for k in (
                        "transport_eur_per_tkm",
                        "max_distance_km",
                        "detour_factor",
                    )
                },
                time_limit=v["time_limit"],
            )
        except DataLoadError as exc:
            return file_problems(request, exc)
        return Response(result)
