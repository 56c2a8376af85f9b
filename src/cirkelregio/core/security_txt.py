# SPDX-License-Identifier: EUPL-1.2
"""``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability.

The contact and the policy come from the settings ``SECURITY_CONTACT`` and
``SECURITY_POLICY_URL``; their defaults are the placeholders of ``SECURITY.md`` and
``publiccode.yml``, and the file says so in a comment until the operator sets them.
``Expires`` is ``SECURITY_TXT_EXPIRES`` (an ISO date) when set, otherwise 180 days
after the request, so the file never goes stale on a running site.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

DEFAULT_CONTACT = "mailto:security@cirkelregio.example"
DEFAULT_POLICY_URL = "https://example.org/cirkelregio/SECURITY.md"
EXPIRES_AFTER = timedelta(days=180)


def expires(now: datetime | None = None) -> datetime:
    configured = settings.SECURITY_TXT_EXPIRES.strip()
    if configured:
        return datetime.combine(date.fromisoformat(configured), time.min, tzinfo=UTC)
    now = now or datetime.now(tz=UTC)
    return (now + EXPIRES_AFTER).replace(microsecond=0)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    contact = settings.SECURITY_CONTACT.strip() or DEFAULT_CONTACT
    policy = settings.SECURITY_POLICY_URL.strip() or DEFAULT_POLICY_URL
    lines = []
    if contact == DEFAULT_CONTACT or policy == DEFAULT_POLICY_URL:
        lines += [
            "# Placeholder: the operator of this site must set SECURITY_CONTACT and",
            "# SECURITY_POLICY_URL to a monitored address and the published policy.",
        ]
    lines += [
        f"Contact: {contact}",
        f"Expires: {_rfc3339(expires())}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
        f"Policy: {policy}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
