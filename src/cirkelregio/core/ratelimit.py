# SPDX-License-Identifier: EUPL-1.2
"""A limit per client address on what the public sends (suggestions of an
initiative, of a repair place or a correction), shared by every app that takes such
posts from anyone.

A limit counts what one address sent in fixed windows (an hour by default), in
Django's cache; each kind of post has its own count (``RateLimit.scope``). The
address is hashed with the secret key before it becomes a cache key, so no address
is kept in the cache. With the default local-memory cache each server process
counts for itself; a shared cache (configured in ``CACHES``) makes the limit hold
across processes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from axes.helpers import get_client_ip_address

__all__ = ["RateLimit", "SuggestionRateLimitedError", "client_address"]


class SuggestionRateLimitedError(Exception):
    """Too many suggestions from one address; ``retry_after`` in seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            ngettext(
                "You have sent several suggestions in a short time. Please try "
                "again in %(minutes)d minute.",
                "You have sent several suggestions in a short time. Please try "
                "again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )


def client_address(request: HttpRequest) -> str:
    """The client's address as the login throttling (django-axes) determines it, so
    that one setting (``AXES_CLIENT_IP_CALLABLE``) serves both behind a proxy."""
    return str(get_client_ip_address(request) or "")


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class RateLimit:
    """At most ``per_window`` posts of one kind (``scope``, e.g.
    ``"initiatives:suggestions"``) from one client address per window of
    ``window_seconds``."""

    scope: str
    per_window: int
    window_seconds: int = 3600

    def _key(self, client: str, window: int) -> str:
        salt = "cirkelregio." + self.scope.replace(":", ".")
        digest = salted_hmac(salt, client, algorithm="sha256").hexdigest()[:40]
        return f"{self.scope}:{digest}:{window}"

    def wait(self, *, client: str) -> int:
        """Seconds until ``client`` may send again; 0 when it may now."""
        now = _now()
        window = int(now // self.window_seconds)
        if cache.get(self._key(client, window), 0) < self.per_window:
            return 0
        return max(1, math.ceil((window + 1) * self.window_seconds - now))

    def check(self, *, client: str) -> None:
        """Raise ``SuggestionRateLimitedError`` when ``client`` must wait."""
        wait = self.wait(client=client)
        if wait:
            raise SuggestionRateLimitedError(wait)

    def count(self, *, client: str) -> None:
        """Count one post of ``client`` in the current window."""
        key = self._key(client, int(_now() // self.window_seconds))
        if not cache.add(key, 1, timeout=self.window_seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=self.window_seconds)
