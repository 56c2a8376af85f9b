# SPDX-License-Identifier: EUPL-1.2
"""Exchange endpoints under /api/v1/exchange/. Reads use selectors; writes call
services. Errors are RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import FILE_ERRORS, file_problems, problem_responses
from cirkelregio.core.api.viewsets import CrudViewSet
from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.exchange import rules, selectors, services
from cirkelregio.exchange.api import filters, serializers
from cirkelregio.exchange.models import (
    Depot,
    Listing,
    ListingPhoto,
    MatchRun,
    MaterialClass,
    Proposal,
)
from cirkelregio.jobs.api import accepted, prefers_async, start_schema
from cirkelregio.jobs.kinds import listing_import_parameters

WRITE_ERRORS = problem_responses(400, 401, 403, 404)
ID = r"[0-9]+"
CO2_NOTE = (
    "Transport CO2 is not shown: no verified emission factor per tonne-km is "
    "available (research/exchange.md, transport emission factors). Tonne-km and "
    "transport MKI are shown instead."
)


def _crud(serializer: type, create: type, update: type) -> dict[str, Any]:
    return {
        "list": extend_schema(responses={200: serializer, **problem_responses(400)}),
        "retrieve": extend_schema(
            responses={200: serializer, **problem_responses(404)}
        ),
        "create": extend_schema(
            request=create, responses={201: serializer, **WRITE_ERRORS}
        ),
        "partial_update": extend_schema(
            request=update, responses={200: serializer, **WRITE_ERRORS}
        ),
        "destroy": extend_schema(responses={204: None, **WRITE_ERRORS}),
    }


@extend_schema_view(
    **_crud(
        serializers.MaterialClassSerializer,
        serializers.MaterialClassWriteSerializer,
        serializers.MaterialClassWriteSerializer,
    )
)
class MaterialClassViewSet(CrudViewSet):
    """The material catalogue with the prices the optimisation uses; each price
    names its source. The new product's MKI comes from a linked MKI profile
    (``new_mki_profile``, ``new_mki_conversion``, ``new_mki_method``) or, without
    one, from the entered estimate; ``new_mki_used`` shows what a match run uses.
    Everyone reads it; coordinators keep it."""

    serializer_class = serializers.MaterialClassSerializer
    create_serializer = serializers.MaterialClassWriteSerializer
    update_serializer = serializers.MaterialClassWriteSerializer

    @staticmethod
    def object_rule(user: Any, material: MaterialClass) -> bool:
        return rules.can_change_catalogue(user)

    def get_queryset(self) -> QuerySet[MaterialClass]:
        return selectors.material_list().order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.material_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.material_update(
            actor=self.request.user, material=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.material_delete(actor=self.request.user, material=instance)


@extend_schema_view(
    **_crud(
        serializers.DepotSerializer,
        serializers.DepotWriteSerializer,
        serializers.DepotUpdateSerializer,
    )
)
class DepotViewSet(CrudViewSet):
    """Storage depots. Their owner organisation's editors manage them; everyone
    reads the active ones."""

    serializer_class = serializers.DepotSerializer
    create_serializer = serializers.DepotWriteSerializer
    update_serializer = serializers.DepotUpdateSerializer
    object_rule = staticmethod(rules.can_change_depot)

    def get_queryset(self) -> QuerySet[Depot]:
        return selectors.depot_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.depot_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.depot_update(actor=self.request.user, depot=instance, **data)

    def perform_delete_service(self, instance: Any) -> None:
        services.depot_delete(actor=self.request.user, depot=instance)

    @extend_schema(
        responses={
            200: serializers.StockSerializer(many=True),
            **problem_responses(404),
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def stock(self, request: Request, pk: str | None = None) -> Response:
        """Units and tonnes per material class in the depot, from its ledger."""
        rows = selectors.depot_stock(depot=self.get_object())
        return Response(serializers.StockSerializer(rows, many=True).data)


@extend_schema_view(
    **_crud(
        serializers.ListingSerializer,
        serializers.ListingWriteSerializer,
        serializers.ListingUpdateSerializer,
    )
)
class ListingViewSet(CrudViewSet):
    """Supply (released material) and demand (material needed) listings. Everyone
    reads the open, published ones; the owner organisation's editors manage
    theirs and may withdraw an open one (``withdraw``). A listing whose whole
    quantity is placed is closed. Filters: kind, status, material, municipality,
    owner, a window overlap (available_from, available_until) and near=lat,lon with
    radius_km."""

    serializer_class = serializers.ListingSerializer
    filterset_class = filters.ListingFilter
    create_serializer = serializers.ListingWriteSerializer
    update_serializer = serializers.ListingUpdateSerializer
    object_rule = staticmethod(rules.can_change_listing)

    def get_queryset(self) -> QuerySet[Listing]:
        return selectors.listing_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.listing_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.listing_update(
            actor=self.request.user, listing=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.listing_delete(actor=self.request.user, listing=instance)

    @extend_schema(
        request=None, responses={200: serializers.ListingSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw an open listing (its owner organisation's editors, or a
        coordinator): it is closed, no longer listed as available and left out of
        the next match run. What is reserved stays reserved."""
        listing = services.listing_withdraw(
            actor=request.user, listing=self.get_object()
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=listing.pk)).data
        )

    @extend_schema(
        request={"multipart/form-data": serializers.ListingPhotoUploadSerializer},
        responses={201: serializers.ListingPhotoSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="photos",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def photos(self, request: Request, pk: str | None = None) -> Response:
        """Add a photo (multipart: ``image``, ``alt``): JPEG, PNG or WebP, at most
        5 MB and 6000x6000 pixels, six per listing. It is stored without its metadata
        (no EXIF or GPS position) under a random name."""
        listing = self.get_object()
        data = serializers.ListingPhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.listing_photo_add(
            actor=request.user,
            listing=listing,
            file=data.validated_data["image"],
            alt=data.validated_data["alt"],
        )
        return Response(
            serializers.ListingPhotoSerializer(photo).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: None, **WRITE_ERRORS})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"photos/(?P<photo_id>[0-9]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def photo_delete(
        self, request: Request, pk: str | None = None, photo_id: str | None = None
    ) -> Response:
        """Remove a photo of the listing."""
        listing = self.get_object()
        try:
            photo = listing.photos.get(pk=int(str(photo_id)))
        except (ListingPhoto.DoesNotExist, ValueError) as exc:
            raise exceptions.NotFound() from exc
        services.listing_photo_delete(actor=request.user, photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListingImportView(GenericAPIView):
    """Import supply and demand listings from a CSV or XLSX file (columns:
    docs/exchange.md), for ``owner`` (its editors and coordinators) or, without
    it, each row's owner (coordinators). All or nothing: a file with problems is
    answered with problem details naming each by file, line and field, and nothing
    is written; importing again updates by owner and reference. With ``Prefer:
    respond-async`` the import runs as a background job (202)."""

    serializer_class = serializers.ListingImportReportSerializer
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None
    filter_backends: list[Any] = []

    @start_schema(
        {"multipart/form-data": serializers.ListingImportSerializer},
        serializers.ListingImportReportSerializer,
        FILE_ERRORS,
        done=200,
        operation_id="exchange_listings_import",
    )
    def post(self, request: Request) -> Response:
        data = serializers.ListingImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        owner = data.validated_data.get("owner")
        if not rules.can_import_listings(request.user, owner):
            raise exceptions.PermissionDenied(_("You may not make this change."))
        if prefers_async(request):
            return accepted(
                request,
                "exchange.listing_import",
                listing_import_parameters(
                    upload.name, upload.chunks(), owner, get_language()
                ),
            )
        try:
            report = services.import_listings(
                b"".join(upload.chunks()), upload.name, owner=owner, actor=request.user
            )
        except DataLoadError as exc:
            return file_problems(request, exc)
        return Response(serializers.ListingImportReportSerializer(report).data)


class ListingPhotoViewSet(viewsets.GenericViewSet):
    """The image files of listing photos, served only to readers of the listing."""

    lookup_value_regex = ID
    serializer_class = serializers.ListingPhotoSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[ListingPhoto]:
        return selectors.listing_photo_list(user=self.request.user).order_by("id")

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The file is an image whatever the client accepts; errors are JSON problems.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            (200, "image/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The image (JPEG, PNG or WebP)."
            ),
            **problem_responses(404),
        }
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> FileResponse:
        """The photo's image, when its listing is visible to the reader."""
        photo = self.get_object()
        try:
            handle = photo.image.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise exceptions.NotFound() from exc
        response = FileResponse(handle, content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Disposition"] = "inline"
        return response


@extend_schema_view(
    list=extend_schema(
        responses={200: serializers.MatchRunSerializer, **problem_responses(400)}
    ),
    retrieve=extend_schema(
        responses={200: serializers.MatchRunDetailSerializer, **problem_responses(404)}
    ),
    create=start_schema(
        serializers.MatchRunStartSerializer,
        serializers.MatchRunDetailSerializer,
        WRITE_ERRORS,
    ),
)
class MatchRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Match runs: the optimisation of all open listings and active depots.
    Coordinators start one (POST; it runs at once and answers with the result,
    ``failed`` with a message when the engine found no plan; with ``Prefer:
    respond-async`` it is queued as a background job and answered with 202).
    Everyone reads the totals; a run's flows list the proposals the reader is
    involved in."""

    serializer_class = serializers.MatchRunSerializer
    lookup_value_regex = ID

    def get_serializer_class(self) -> Any:
        if self.action in ("retrieve", "create"):
            return serializers.MatchRunDetailSerializer
        return serializers.MatchRunSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["visible_proposals"] = selectors.proposal_list(
            user=self.request.user
        ).order_by("week", "id")
        return context

    def get_queryset(self) -> QuerySet[MatchRun]:
        return selectors.match_run_list().order_by("-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not rules.can_start_match_run(request.user):
            raise exceptions.PermissionDenied(_("You may not make this change."))
        data = serializers.MatchRunStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if prefers_async(request):
            return accepted(
                request,
                "exchange.match_run",
                {"parameters": dict(data.validated_data)},
            )
        run = services.match_run_start(
            actor=request.user, parameters=dict(data.validated_data)
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=run.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={200: serializers.RunSavingsSerializer, **problem_responses(404)}
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def savings(self, request: Request, pk: str | None = None) -> Response:
        """The run's totals and its proposals (rejected and released ones left
        out) per municipality: euros, tonnes, new-product MKI avoided, tonne-km and
        transport MKI. Transport CO2 is not shown (no verified factor)."""
        run = self.get_object()
        body = {
            "totals": selectors.savings_totals(run=run),
            "municipalities": [
                vars(s) for s in selectors.savings_by_municipality(run=run)
            ],
            "co2_note": CO2_NOTE,
        }
        return Response(serializers.RunSavingsSerializer(body).data)


def _answer_schema() -> Any:
    return extend_schema(
        request=serializers.AnswerSerializer,
        responses={200: serializers.ProposalSerializer, **WRITE_ERRORS},
    )


@extend_schema_view(
    list=extend_schema(
        responses={200: serializers.ProposalSerializer, **problem_responses(400)}
    ),
    retrieve=extend_schema(
        responses={200: serializers.ProposalSerializer, **problem_responses(404)}
    ),
)
class ProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Proposals of match runs, for the organisations involved (and coordinators).
    A listing's owner accepts or rejects; full acceptance reserves the quantity.
    ``advance`` records transport, then placement; ``release`` frees a reservation
    that is not transported yet."""

    serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilter
    lookup_value_regex = ID

    @staticmethod
    def object_rule(user: Any, proposal: Proposal) -> bool:
        return rules.can_view_proposal(user, proposal)

    def get_queryset(self) -> QuerySet[Proposal]:
        return selectors.proposal_list(user=self.request.user).order_by("id")

    def _answer(self, request: Request, service: Any) -> Response:
        proposal = self.get_object()
        data = serializers.AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service(actor=request.user, proposal=proposal, **data.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data
        )

    @_answer_schema()
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept for the side(s) of the proposal one answers for."""
        return self._answer(request, services.proposal_accept)

    @_answer_schema()
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject the proposal."""
        return self._answer(request, services.proposal_reject)

    @extend_schema(
        request=serializers.ReleaseSerializer,
        responses={200: serializers.ProposalSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """Release a reserved proposal (an owner of one of its listings, or a
        coordinator), with the reason: its quantity is free again for the next
        match run. A transported proposal cannot be released."""
        proposal = self.get_object()
        data = serializers.ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_release(
            actor=request.user, proposal=proposal, **data.validated_data
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data
        )

    @extend_schema(
        request=None, responses={200: serializers.ProposalSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        """reserved -> transported -> placed."""
        proposal = self.get_object()
        services.proposal_advance(actor=request.user, proposal=proposal)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data
        )
