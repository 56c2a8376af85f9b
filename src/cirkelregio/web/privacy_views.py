# SPDX-License-Identifier: EUPL-1.2
"""The privacy statement (AVG/GDPR art. 13): what the platform processes and why."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/privacy.html",
        {
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            "map_tiles": bool(settings.MAP_TILE_URL),
        },
    )
