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

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://cirkelregio.example/problems/"


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
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
