# SPDX-License-Identifier: EUPL-1.2
"""Writes to the repair map. The API, the admin, commands and other apps call these;
they never save repair models themselves."""

from cirkelregio.repair.services.demo_data import repair_demo_load
from cirkelregio.repair.services.impact import (
    OrdsImportReport,
    ords_import,
    own_record_create,
)
from cirkelregio.repair.services.imports import PlaceImportReport, import_places
from cirkelregio.repair.services.places import (
    place_create,
    place_delete,
    place_location_check,
    place_update,
)
from cirkelregio.repair.services.suggestions import (
    SuggestionHoneypotError,
    SuggestionRateLimitedError,
    place_suggestion_approve,
    place_suggestion_reject,
    place_suggestion_submit,
    place_suggestion_wait,
)

__all__ = [
    "OrdsImportReport",
    "PlaceImportReport",
    "SuggestionHoneypotError",
    "SuggestionRateLimitedError",
    "import_places",
    "ords_import",
    "own_record_create",
    "place_create",
    "place_delete",
    "place_location_check",
    "place_suggestion_approve",
    "place_suggestion_reject",
    "place_suggestion_submit",
    "place_suggestion_wait",
    "place_update",
    "repair_demo_load",
]
