# SPDX-License-Identifier: EUPL-1.2
"""Suggestions of new initiatives by the public (the form on the site and anonymous
POSTs to the API): the same validation as every initiative, a honeypot field, and
a limit per client address (``cirkelregio.core.ratelimit``).

The limit counts the suggestions received from one address (stored ones and those
caught by the honeypot; a request with invalid fields stores nothing and is not
counted) in fixed windows of an hour.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.core.ratelimit import RateLimit
from cirkelregio.initiatives.models import Initiative, InitiativeStatus
from cirkelregio.initiatives.services._common import check_fields, save
from cirkelregio.initiatives.services.records import (
    CONTENT_FIELDS,
    normalise_fields,
    validate_initiative,
)

SUGGESTIONS_PER_WINDOW = 5
WINDOW_SECONDS = 3600
LIMIT = RateLimit("initiatives:suggestions", SUGGESTIONS_PER_WINDOW, WINDOW_SECONDS)


def suggestion_wait(*, client: str) -> int:
    """Seconds until ``client`` may suggest again; 0 when it may now."""
    return LIMIT.wait(client=client)


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
    LIMIT.check(client=client)
    if honeypot:
        LIMIT.count(client=client)
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
    LIMIT.count(client=client)
    return initiative
