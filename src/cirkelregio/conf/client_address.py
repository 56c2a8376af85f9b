# SPDX-License-Identifier: EUPL-1.2
"""The client's address behind a proxy (``CIRKELREGIO_FORWARDED_FOR``), for the login
lock-outs of django-axes and the rate limits (``cirkelregio.core.ratelimit``)."""

from __future__ import annotations

from django.http import HttpRequest


def forwarded_client_address(request: HttpRequest) -> str | None:
    """The last address in ``X-Forwarded-For``: the one our proxy added (a client can
    put anything before it), else ``REMOTE_ADDR``."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.split(",")[-1].strip()
    return last or request.META.get("REMOTE_ADDR")
