# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import time

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cirkelregio import __version__


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database status, for monitoring. Public, holds no data."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
        code = 200
    except DatabaseError:
        database = {"status": "unavailable", "vendor": connection.vendor}
        code = 503
    database["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return JsonResponse(
        {
            "status": "ok" if code == 200 else "degraded",
            "version": __version__,
            "database": database,
        },
        status=code,
    )
