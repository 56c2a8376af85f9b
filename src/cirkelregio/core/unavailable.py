# SPDX-License-Identifier: EUPL-1.2
"""While the database cannot be reached (restarting, stopped, the network gone), every
request that needs it is answered with 503 Service Unavailable and ``Retry-After``,
never with a 500 or a hang: under /api/ as RFC 9457 problem details, elsewhere as a
plain page that needs neither the database nor the site's context processors.

Django raises ``OperationalError`` when it cannot connect or the server closes the
connection, and ``InterfaceError`` when a connection it still holds was closed. The
request in which that happens fails; Django marks the connection unusable and closes
it at the end of the request, and the health check of persistent connections
(``CONN_HEALTH_CHECKS``) replaces a closed one before the next request uses it, so
the site answers again as soon as the database is back. A transaction that was cut
off is rolled back by the database: nothing half-written is kept.
"""

from __future__ import annotations

import json
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cirkelregio.core.api.problems import PROBLEM_CONTENT_TYPE, problem_body

#: Seconds a client is asked to wait before it tries again.
RETRY_AFTER_SECONDS = 10

logger = logging.getLogger(__name__)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) says the database
    cannot be reached."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def database_unavailable_response(
    request: HttpRequest, exc: BaseException | None = None
) -> HttpResponse:
    """503 with ``Retry-After``: problem details under /api/, a plain page elsewhere."""
    logger.warning(
        "Database unavailable during %s %s: %s",
        request.method,
        request.path,
        type(exc).__name__ if exc is not None else "",
    )
    if request.path.startswith("/api/"):
        body = problem_body(
            503,
            instance=request.path,
            detail=_(
                "The database is unavailable for a moment. Please try again later."
            ),
            kind="database-unavailable",
        )
        response = HttpResponse(
            json.dumps(body), status=503, content_type=PROBLEM_CONTENT_TYPE
        )
    else:
        response = HttpResponse(render_to_string("core/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
