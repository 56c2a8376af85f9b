# SPDX-License-Identifier: EUPL-1.2
"""Writes to repair events and Reparatieweek editions. The API, the admin, commands
and other apps call these; they never save events models themselves."""

from cirkelregio.events.services.demo_data import EventsDemoReport, events_demo_load
from cirkelregio.events.services.records import (
    edition_create,
    edition_delete,
    edition_update,
    event_create,
    event_delete,
    event_update,
)

__all__ = [
    "EventsDemoReport",
    "edition_create",
    "edition_delete",
    "edition_update",
    "event_create",
    "event_delete",
    "event_update",
    "events_demo_load",
]
