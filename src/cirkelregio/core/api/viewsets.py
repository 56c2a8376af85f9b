# SPDX-License-Identifier: EUPL-1.2
"""Shared API view machinery: reads from a selector, writes through services."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response

ID = r"[0-9]+"


class CrudViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List and retrieve from a selector; create, change and remove through the
    service functions named on the class."""

    lookup_value_regex = ID
    create_serializer: type[drf_serializers.Serializer]
    update_serializer: type[drf_serializers.Serializer]

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_update_service(self, instance: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_delete_service(self, instance: Any) -> None:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.create_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        instance = self.perform_create_service(dict(data.validated_data))
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(
            self.get_serializer(instance).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        data = self.update_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        self.perform_update_service(instance, dict(data.validated_data))
        return Response(
            self.get_serializer(self.get_queryset().get(pk=instance.pk)).data
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.perform_delete_service(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
