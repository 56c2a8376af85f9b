# SPDX-License-Identifier: EUPL-1.2
"""Writes to initiatives and contact points. The API, the admin, the site, commands
and other apps call these; they never save initiatives models themselves."""

from cirkelregio.core.ratelimit import SuggestionRateLimitedError
from cirkelregio.initiatives.services.demo_data import (
    InitiativesDemoReport,
    initiatives_demo_load,
)
from cirkelregio.initiatives.services.records import (
    contact_point_create,
    contact_point_delete,
    contact_point_update,
    initiative_approve,
    initiative_create,
    initiative_delete,
    initiative_reject,
    initiative_update,
)
from cirkelregio.initiatives.services.suggestions import (
    initiative_suggest,
    suggestion_wait,
)

__all__ = [
    "InitiativesDemoReport",
    "SuggestionRateLimitedError",
    "contact_point_create",
    "contact_point_delete",
    "contact_point_update",
    "initiative_approve",
    "initiative_create",
    "initiative_delete",
    "initiative_reject",
    "initiative_suggest",
    "initiative_update",
    "initiatives_demo_load",
    "suggestion_wait",
]
