# SPDX-License-Identifier: EUPL-1.2
"""Registry endpoints under /api/v1/. Reads use selectors; writes call services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.accounts import rules
from cirkelregio.regions import selectors, services
from cirkelregio.regions.api import filters, serializers
from cirkelregio.regions.models import (
    ActionLine,
    AnnualPlan,
    Municipality,
    Organisation,
    Participation,
)

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457).")
WRITE_ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM}


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """The municipalities of the region, with population and boundary."""

    serializer_class = serializers.MunicipalitySerializer
    lookup_field = "cbs_code"
    lookup_value_regex = r"GM\d{4}"

    def get_queryset(self) -> QuerySet[Municipality]:
        return selectors.municipality_list()


class ActionLineViewSet(viewsets.ReadOnlyModelViewSet):
    """The action lines (actielijnen) of the alliance."""

    serializer_class = serializers.ActionLineSerializer
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self) -> QuerySet[ActionLine]:
        return selectors.action_line_list().prefetch_related("subgoals", "activities")


@extend_schema_view(
    create=extend_schema(
        request=serializers.OrganisationWriteSerializer,
        responses={201: serializers.OrganisationSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        request=serializers.OrganisationWriteSerializer,
        responses={200: serializers.OrganisationSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(responses={204: None, **WRITE_ERRORS}),
)
class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Organisations of the alliance. Coordinators create and remove them; an
    organisation's editors may change its name and website."""

    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    lookup_field = "slug"
    object_rule = staticmethod(rules.can_change_organisation)
    delete_rule = staticmethod(rules.can_delete_organisation)

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisation_list(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = serializers.OrganisationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_create(
            actor=request.user, **data.validated_data
        )
        return Response(
            self.get_serializer(organisation).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = self.get_object()
        data = serializers.OrganisationWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.organisation_update(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        return Response(self.get_serializer(organisation).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.organisation_delete(actor=request.user, organisation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=serializers.ParticipationCreateSerializer,
        responses={201: serializers.ParticipationSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        request=serializers.ParticipationUpdateSerializer,
        responses={200: serializers.ParticipationSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(responses={204: None, **WRITE_ERRORS}),
)
class ParticipationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Who takes part in which action line, in which phase and role. Filter by line,
    municipality, organisation, phase and role."""

    serializer_class = serializers.ParticipationSerializer
    filterset_class = filters.ParticipationFilter
    object_rule = staticmethod(rules.can_change_participation)

    def get_queryset(self) -> QuerySet[Participation]:
        return selectors.participation_list(user=self.request.user).order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = serializers.ParticipationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participation = services.participation_create(
            actor=request.user, **data.validated_data
        )
        return Response(
            self.get_serializer(participation).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        participation = self.get_object()
        data = serializers.ParticipationUpdateSerializer(
            data=request.data, partial=True
        )
        data.is_valid(raise_exception=True)
        services.participation_update(
            actor=request.user, participation=participation, **data.validated_data
        )
        participation = self.get_queryset().get(pk=participation.pk)
        return Response(self.get_serializer(participation).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.participation_delete(
            actor=request.user, participation=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        responses={201: serializers.AnnualPlanSerializer, **WRITE_ERRORS}
    ),
    partial_update=extend_schema(
        request=serializers.AnnualPlanUpdateSerializer,
        responses={200: serializers.AnnualPlanSerializer, **WRITE_ERRORS},
    ),
)
class AnnualPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Annual plans (jaarplannen) per action line and year, with planned activities.
    Drafts are visible to coordinators only."""

    serializer_class = serializers.AnnualPlanSerializer
    filterset_class = filters.AnnualPlanFilter
    object_rule = staticmethod(rules.can_change_annual_plan)

    def get_queryset(self) -> QuerySet[AnnualPlan]:
        return selectors.annual_plan_list(user=self.request.user).order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = serializers.AnnualPlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        plan = services.annual_plan_create(
            actor=request.user, activities=values.pop("activities", []), **values
        )
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        data = serializers.AnnualPlanUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.annual_plan_update(
            actor=request.user, plan=plan, **data.validated_data
        )
        return Response(self.get_serializer(plan).data)
