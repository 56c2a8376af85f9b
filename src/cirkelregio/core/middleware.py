# SPDX-License-Identifier: EUPL-1.2
"""Errors under /api/ that Django itself raises (no such URL, server error) are
answered as RFC 9457 problem details too, not as HTML pages. A database that cannot
be reached is answered with 503 everywhere (``cirkelregio.core.unavailable``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from cirkelregio.core.api.problems import problem_response
from cirkelregio.core.unavailable import (
    database_unavailable_response,
    is_database_unavailable,
)


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405, 500)
            and not response.get("Content-Type", "").startswith("application/")
        ):
            return problem_response(request, response.status_code)
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return database_unavailable_response(request, exception)
        if request.path.startswith("/api/"):
            import logging

            logging.getLogger(__name__).exception("Unhandled error in %s", request.path)
            return problem_response(request, 500)
        return None


class ApiLocaleMiddleware:
    """The API speaks the language the client asks for (Accept-Language), Dutch by
    default. The public site takes its language from the URL instead (/en/); Django's
    LocaleMiddleware applies that rule to every unprefixed path, /api/ included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response.headers["Content-Language"] = translation.get_language()
        return response


class PermissionsPolicyMiddleware:
    """Switches off browser features the site never uses (camera, microphone,
    geolocation, payment and the like), also for anything a page might embed."""

    POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
        "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response
