# SPDX-License-Identifier: EUPL-1.2
"""Repair-event endpoints under /api/v1/events/. Reads use selectors; writes call
services. Errors are RFC 9457 problem details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from django_filters import utils as filter_utils
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.core.api.viewsets import CrudViewSet
from cirkelregio.events import rules, selectors, services
from cirkelregio.events.api import filters, serializers
from cirkelregio.events.models import RepairEvent, ReparatieweekEdition

WRITE_ERRORS = problem_responses(400, 401, 403, 404)
PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, description=filters.FROM_HELP),
    OpenApiParameter("until", OpenApiTypes.DATE, description=filters.UNTIL_HELP),
]


def _crud(serializer: type, write: type, **retrieve: Any) -> dict[str, Any]:
    return {
        "list": extend_schema(responses={200: serializer, **problem_responses(400)}),
        "retrieve": extend_schema(
            **retrieve, responses={200: serializer, **problem_responses(400, 404)}
        ),
        "create": extend_schema(
            request=write, responses={201: serializer, **WRITE_ERRORS}
        ),
        "partial_update": extend_schema(
            request=write, responses={200: serializer, **WRITE_ERRORS}
        ),
        "destroy": extend_schema(responses={204: None, **WRITE_ERRORS}),
    }


@extend_schema_view(
    **_crud(
        serializers.RepairEventSerializer,
        serializers.RepairEventWriteSerializer,
        parameters=PERIOD,
    )
)
class RepairEventViewSet(CrudViewSet):
    """Repair events: Repair Café sessions, repair workshops, swap and share events,
    at a repair place or an address, once or recurring (an iCalendar RRULE). Everyone
    reads the published ones; the organiser's editors and coordinators manage them.

    Filters: municipality (CBS code), place, edition, kind, organiser, status, and
    a period ``from`` and ``until`` (dates, both included, Amsterdam time): only the
    events with a session in it, each with those sessions in ``occurrences``
    (recurring events expanded). Without a period, ``occurrences`` holds every
    session."""

    serializer_class = serializers.RepairEventSerializer
    filterset_class = filters.EventFilter
    create_serializer = serializers.RepairEventWriteSerializer
    update_serializer = serializers.RepairEventWriteSerializer
    object_rule = staticmethod(rules.can_change_event)

    def get_queryset(self) -> QuerySet[RepairEvent]:
        return selectors.event_list(user=self.request.user).order_by("start", "id")

    def _period(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        filterset = filters.EventFilter(
            data=self.request.query_params,
            queryset=RepairEvent.objects.none(),
            request=self.request,
        )
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        return filterset.form.period

    def _with_sessions(self, events: list[RepairEvent]) -> list[RepairEvent]:
        after, before = self._period()
        for event in events:
            event.sessions = selectors.event_occurrences(  # type: ignore[attr-defined]
                event, after=after, before=before
            )
        return events

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        page = self._with_sessions(list(self.paginate_queryset(qs) or []))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self._with_sessions([self.get_object()])[0]
        return Response(self.get_serializer(event).data)

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.event_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.event_update(actor=self.request.user, event=instance, **data)

    def perform_delete_service(self, instance: Any) -> None:
        services.event_delete(actor=self.request.user, event=instance)


@extend_schema_view(
    **_crud(
        serializers.ReparatieweekEditionSerializer,
        serializers.ReparatieweekEditionWriteSerializer,
    )
)
class ReparatieweekEditionViewSet(CrudViewSet):
    """Editions of the Reparatieweek, held twice a year: name, first and last day,
    theme and description in Dutch and English. Everyone reads the published ones;
    coordinators manage them. The activities of an edition are the events with
    ``edition`` set to it (``/api/v1/events/events/?edition=<id>``)."""

    serializer_class = serializers.ReparatieweekEditionSerializer
    create_serializer = serializers.ReparatieweekEditionWriteSerializer
    update_serializer = serializers.ReparatieweekEditionWriteSerializer
    object_rule = staticmethod(lambda user, obj: rules.can_manage_editions(user))

    def get_queryset(self) -> QuerySet[ReparatieweekEdition]:
        return selectors.edition_list(user=self.request.user).order_by(
            "-start_date", "id"
        )

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.edition_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.edition_update(
            actor=self.request.user, edition=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.edition_delete(actor=self.request.user, edition=instance)
