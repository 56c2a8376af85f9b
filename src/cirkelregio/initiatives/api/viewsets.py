# SPDX-License-Identifier: EUPL-1.2
"""Initiatives endpoints under /api/v1/initiatives/. Reads use selectors; writes call
services. Errors are RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cirkelregio.accounts.permissions import RegistryPermission
from cirkelregio.core.api.problems import problem_responses
from cirkelregio.core.api.viewsets import CrudViewSet
from cirkelregio.core.ratelimit import client_address
from cirkelregio.initiatives import rules, selectors, services
from cirkelregio.initiatives.api import filters, serializers
from cirkelregio.initiatives.models import ContactPoint, Initiative

WRITE_ERRORS = problem_responses(400, 401, 403, 404)


def _crud(
    serializer: type, write: type, create_errors: dict[Any, Any] | None = None
) -> dict[str, Any]:
    return {
        "list": extend_schema(responses={200: serializer, **problem_responses(400)}),
        "retrieve": extend_schema(
            responses={200: serializer, **problem_responses(404)}
        ),
        "create": extend_schema(
            request=write,
            responses={201: serializer, **(create_errors or WRITE_ERRORS)},
        ),
        "partial_update": extend_schema(
            request=write, responses={200: serializer, **WRITE_ERRORS}
        ),
        "destroy": extend_schema(responses={204: None, **WRITE_ERRORS}),
    }


class InitiativePermission(RegistryPermission):
    """As in the registry, except that anyone may POST a new initiative: from the
    public it is a suggestion, which waits for a coordinator."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if getattr(view, "action", None) == "create":
            return True
        return super().has_permission(request, view)


class SuggestionThrottle(BaseThrottle):
    """The limit on suggestions per client address, shared with the form on the
    site (``services.suggestion_wait``); the suggestion service counts them."""

    def __init__(self) -> None:
        self._wait = 0

    def allow_request(self, request: Request, view: APIView) -> bool:
        address = client_address(request._request)
        self._wait = services.suggestion_wait(client=address)
        return self._wait == 0

    def wait(self) -> float | None:
        return float(self._wait) if self._wait else None


def _manages_initiatives(user: Any) -> bool:
    return bool(user and user.is_authenticated) and (
        rules.can_review_initiatives(user)
        or bool(getattr(user, "is_organisation_editor", False))
    )


@extend_schema_view(
    **_crud(
        serializers.InitiativeSerializer,
        serializers.InitiativeWriteSerializer,
        create_errors=problem_responses(400, 403, 429),
    )
)
class InitiativeViewSet(CrudViewSet):
    """Circular resident initiatives. Everyone reads the published ones; the owner
    organisation's editors change theirs; coordinators review suggestions.

    Anyone may POST a new initiative without ``owner``: it is stored as a
    suggestion (``suggested``, not shown until a coordinator publishes it), needs a
    contact e-mail address, and is limited per client address (429 with
    Retry-After). Coordinators, and editors for their own organisation as
    ``owner``, create initiatives directly. Filters: municipality (CBS code), type,
    stage, needs (any of), status, owner."""

    serializer_class = serializers.InitiativeSerializer
    filterset_class = filters.InitiativeFilter
    create_serializer = serializers.InitiativeWriteSerializer
    update_serializer = serializers.InitiativeWriteSerializer
    permission_classes = [InitiativePermission]
    object_rule = staticmethod(rules.can_change_initiative)

    def get_queryset(self) -> QuerySet[Initiative]:
        return selectors.initiative_list(user=self.request.user).order_by("id")

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = list(super().get_throttles())
        if self.action == "create" and not _manages_initiatives(self.request.user):
            throttles.append(SuggestionThrottle())
        return throttles

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.create_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        user = request.user
        if rules.can_review_initiatives(user) or fields.get("owner") is not None:
            instance = services.initiative_create(actor=user, **fields)
            instance = self.get_queryset().get(pk=instance.pk)
        else:
            if "status" in fields:
                raise exceptions.PermissionDenied(
                    _("Only a coordinator sets the status.")
                )
            fields.pop("owner", None)
            try:
                instance = services.initiative_suggest(
                    client=client_address(request._request), **fields
                )
            except services.SuggestionRateLimitedError as exc:
                raise exceptions.Throttled(
                    wait=exc.retry_after, detail=str(exc)
                ) from exc
        # A suggestion is not in the submitter's list; they get back what they sent.
        return Response(
            self.get_serializer(instance).data, status=status.HTTP_201_CREATED
        )

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.initiative_update(
            actor=self.request.user, initiative=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.initiative_delete(actor=self.request.user, initiative=instance)


@extend_schema_view(
    **_crud(serializers.ContactPointSerializer, serializers.ContactPointWriteSerializer)
)
class ContactPointViewSet(CrudViewSet):
    """The contact point (aanspreekpunt) for resident initiatives per municipality:
    a department or role with public e-mail, phone, website and hours. At most one
    is active per municipality. Everyone reads the active ones; coordinators manage
    them, and an organisation's editors those their organisation runs in its own
    municipality. Filters: municipality (CBS code), is_active."""

    serializer_class = serializers.ContactPointSerializer
    filterset_class = filters.ContactPointFilter
    create_serializer = serializers.ContactPointWriteSerializer
    update_serializer = serializers.ContactPointWriteSerializer
    object_rule = staticmethod(rules.can_change_contact_point)

    def get_queryset(self) -> QuerySet[ContactPoint]:
        return selectors.contact_point_list(user=self.request.user).order_by("id")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.contact_point_create(actor=self.request.user, **data)

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        return services.contact_point_update(
            actor=self.request.user, contact_point=instance, **data
        )

    def perform_delete_service(self, instance: Any) -> None:
        services.contact_point_delete(actor=self.request.user, contact_point=instance)
