# SPDX-License-Identifier: EUPL-1.2
"""Registry endpoints under /api/v1/. Reads use selectors; writes call services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.accounts import rules
from cirkelregio.core.api.problems import problem_responses
from cirkelregio.regions import selectors, services
from cirkelregio.regions.api import filters, serializers
from cirkelregio.regions.models import (
    ActionLine,
    AnnualPlan,
    Municipality,
    Organisation,
    Participation,
    PlannedActivity,
)

WRITE_ERRORS = problem_responses(400, 401, 403, 404)
# A slug in a URL (Django's SlugField): anything else is no such page.
SLUG = r"[-a-zA-Z0-9_]+"


def _read_schemas(serializer: type, *, filtered: bool = False) -> dict[str, Any]:
    """List (400 for an invalid filter value) and retrieve (404) with their errors."""
    list_errors = problem_responses(400) if filtered else {}
    retrieve_errors = problem_responses(404)
    return {
        "list": extend_schema(responses={200: serializer, **list_errors}),
        "retrieve": extend_schema(responses={200: serializer, **retrieve_errors}),
    }


@extend_schema_view(**_read_schemas(serializers.MunicipalitySerializer))
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """The municipalities of the region, with population and boundary."""

    serializer_class = serializers.MunicipalitySerializer
    lookup_field = "cbs_code"
    lookup_value_regex = r"GM\d{4}"

    def get_queryset(self) -> QuerySet[Municipality]:
        return selectors.municipality_list()


@extend_schema_view(**_read_schemas(serializers.ActionLineSerializer))
class ActionLineViewSet(viewsets.ReadOnlyModelViewSet):
    """The action lines (actielijnen) of the alliance."""

    serializer_class = serializers.ActionLineSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    pagination_class = None

    def get_queryset(self) -> QuerySet[ActionLine]:
        return selectors.action_line_list().prefetch_related("subgoals", "activities")


@extend_schema_view(
    **_read_schemas(serializers.OrganisationSerializer, filtered=True),
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
    lookup_value_regex = SLUG
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
    **_read_schemas(serializers.ParticipationSerializer, filtered=True),
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
    **_read_schemas(serializers.AnnualPlanSerializer, filtered=True),
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


@extend_schema_view(
    **_read_schemas(serializers.PlannedActivityDetailSerializer),
    partial_update=extend_schema(
        request=serializers.PlannedActivityUpdateSerializer,
        responses={200: serializers.PlannedActivityDetailSerializer, **WRITE_ERRORS},
    ),
)
class PlannedActivityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The activities of the published annual plans. The lead organisation's editors
    report progress (status, description); coordinators change everything."""

    serializer_class = serializers.PlannedActivityDetailSerializer
    object_rule = staticmethod(rules.can_change_planned_activity)

    def get_queryset(self) -> QuerySet[PlannedActivity]:
        return selectors.planned_activity_list(user=self.request.user).order_by("id")

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        data = serializers.PlannedActivityUpdateSerializer(
            data=request.data, partial=True
        )
        data.is_valid(raise_exception=True)
        services.planned_activity_update(
            actor=request.user, activity=activity, **data.validated_data
        )
        return Response(self.get_serializer(activity).data)
