# SPDX-License-Identifier: EUPL-1.2
"""RFC 9457 problem details for every API error.

Body: ``type``, ``title``, ``status``, ``detail``, ``instance`` and, for validation
errors, ``invalid_params``: one ``{"name": <field path>, "reason": <message>}`` per
problem, field paths joined with dots (``activities.0.title_nl``).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cirkelregio.engine.dataio import DataLoadError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://cirkelregio.example/problems/"


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text="The field, nested names joined with dots "
        "(activities.0.title_nl); empty for the request as a whole."
    )
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Problem details (RFC 9457): the body of every error of the API."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(help_text="The path of the request.")
    invalid_params = InvalidParamSerializer(
        many=True, required=False, help_text="One entry per invalid field."
    )


def problem_responses(*status_codes: int) -> dict[Any, OpenApiResponse]:
    """OpenAPI responses for ``extend_schema``: problem details for these codes."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description="Problem details (RFC 9457)."
        )
        for code in status_codes
    }


# Keys under which DRF and Django report errors that belong to no single field.
NON_FIELD_KEYS = {"non_field_errors", NON_FIELD_ERRORS}


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            # Keys may be list indexes (int, including 0) from DRF's ListSerializer.
            name = "" if key in NON_FIELD_KEYS else str(key)
            params += _flatten(
                value, f"{prefix}.{name}" if prefix and name else prefix or name
            )
    elif isinstance(detail, list):
        if detail and all(not isinstance(v, (dict, list)) for v in detail):
            params += [{"name": prefix, "reason": str(v)} for v in detail]
        else:
            for index, value in enumerate(detail):
                params += _flatten(value, f"{prefix}.{index}" if prefix else str(index))
    else:
        params.append({"name": prefix, "reason": str(detail)})
    return params


def problem_body(
    status_code: int,
    *,
    instance: str,
    detail: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    title = HTTPStatus(status_code).phrase
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or title.lower().replace(" ", "-")),
        "title": title,
        "status": status_code,
        "detail": detail or title,
        "instance": instance,
    }
    if invalid_params:
        body["invalid_params"] = invalid_params
    return body


def problem_response(request: HttpRequest, status_code: int) -> HttpResponse:
    body = problem_body(status_code, instance=request.path)
    return HttpResponse(
        json.dumps(body), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        body = problem_body(
            response.status_code,
            instance=instance,
            detail="The request has invalid fields.",
            invalid_params=_flatten(exc.detail),
            kind="invalid-params",
        )
    else:
        detail = getattr(exc, "detail", None)
        body = problem_body(
            response.status_code,
            instance=instance,
            detail=str(detail) if detail else None,
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response.headers.setdefault("WWW-Authenticate", 'Session realm="api"')
    return response


class FileProblemSerializer(ProblemSerializer):
    """Problem details for a data file with problems: ``invalid_params`` and, for
    programs, ``problems`` with the file, line and field of each."""

    problems = inline_serializer(
        "FileProblemEntry",
        {
            "file": serializers.CharField(),
            "line": serializers.IntegerField(allow_null=True),
            "field": serializers.CharField(allow_null=True),
            "message": serializers.CharField(),
        },
        many=True,
    )


FILE_ERRORS = {
    (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        FileProblemSerializer,
        description="Problem details (RFC 9457); for a file with problems one entry "
        "per problem. Nothing was written.",
    ),
    **problem_responses(401, 403, 404),
}


def file_problems(request: Request, exc: DataLoadError) -> Response:
    body = problem_body(
        400,
        instance=request.path,
        detail=_("The file has problems; nothing was imported."),
        invalid_params=[{"name": "file", "reason": str(p)} for p in exc.problems],
        kind="invalid-file",
    )
    body["problems"] = [
        {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
        for p in exc.problems
    ]
    return Response(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
