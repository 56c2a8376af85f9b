# SPDX-License-Identifier: EUPL-1.2
"""Suggestions of new initiatives by the public (the form on the site and anonymous
POSTs to the API): the same validation as every initiative, a honeypot field, and
a limit per client address.

The limit counts the suggestions received from one address (stored ones and those
caught by the honeypot; a request with invalid fields stores nothing and is not
counted) in fixed windows of an hour, in Django's cache. The address is hashed with
the secret key before it becomes a cache key, so no address is kept in the cache.
With the default local-memory cache each server process counts for itself; a
shared cache (configured in ``CACHES``) makes the limit hold across processes.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from axes.helpers import get_client_ip_address

from cirkelregio.initiatives.models import Initiative, InitiativeStatus
from cirkelregio.initiatives.services._common import check_fields, save
from cirkelregio.initiatives.services.records import (
    CONTENT_FIELDS,
    normalise_fields,
    validate_initiative,
)

SUGGESTIONS_PER_WINDOW = 5
WINDOW_SECONDS = 3600
_KEY_SALT = "cirkelregio.initiatives.suggestions"


class SuggestionRateLimitedError(Exception):
    """Too many suggestions from one address; ``retry_after`` in seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            _(
                "You have sent several suggestions in a short time. Please try "
                "again in %(minutes)d minutes."
            )
            % {"minutes": max(1, math.ceil(retry_after / 60))}
        )


def client_address(request: HttpRequest) -> str:
    """The client's address as the login throttling (django-axes) determines it, so
    that one setting (``AXES_CLIENT_IP_CALLABLE``) serves both behind a proxy."""
    return str(get_client_ip_address(request) or "")


def _now() -> float:
    return time.time()


def _key(client: str, window: int) -> str:
    digest = salted_hmac(_KEY_SALT, client, algorithm="sha256").hexdigest()[:40]
    return f"initiatives:suggestions:{digest}:{window}"


def suggestion_wait(*, client: str) -> int:
    """Seconds until ``client`` may suggest again; 0 when it may now."""
    now = _now()
    window = int(now // WINDOW_SECONDS)
    if cache.get(_key(client, window), 0) < SUGGESTIONS_PER_WINDOW:
        return 0
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def _count(client: str) -> None:
    key = _key(client, int(_now() // WINDOW_SECONDS))
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS)


def initiative_suggest(
    *,
    client: str,
    honeypot: str = "",
    **fields: Any,
) -> Initiative | None:
    """Store a suggestion from the public as ``suggested``, without an owner. It
    needs a contact e-mail address, so that a coordinator can ask about it (shown
    publicly only with ``contact_consent``).

    Raises ``SuggestionRateLimitedError`` when the client has sent too many, and a
    ValidationError naming the fields. A filled-in honeypot returns None and
    stores nothing (the caller answers as if it had worked, to tell a robot
    nothing)."""
    wait = suggestion_wait(client=client)
    if wait:
        raise SuggestionRateLimitedError(wait)
    if honeypot:
        _count(client)
        return None
    check_fields(fields, CONTENT_FIELDS)
    initiative = Initiative(
        status=InitiativeStatus.SUGGESTED, **normalise_fields(fields)
    )
    errors: dict[str, Any] = {}
    if not (initiative.contact_email or "").strip():
        errors["contact_email"] = [
            _("Give an e-mail address, so that a coordinator can ask about it.")
        ]
    validate_initiative(initiative, errors)
    with transaction.atomic():
        save(initiative)
    _count(client)
    return initiative
