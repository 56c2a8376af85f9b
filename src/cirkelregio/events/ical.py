# SPDX-License-Identifier: EUPL-1.2
"""Repair events as an iCalendar file (RFC 5545), written with the maintained
``icalendar`` package: escaping, line folding and the VTIMEZONE of Europe/Amsterdam
come from it.

Per event: a UID that stays the same as long as the event exists, DTSTAMP and
LAST-MODIFIED (the last change: a feed has no METHOD, so DTSTAMP is the revision
time), DTSTART and DTEND in Amsterdam time with TZID, the recurrence rule, the title
and description in the active language, the location (and GEO when the repair
place's point is its address, not a postcode centroid), the kind as category and a
link when the event has a website.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar, Event, vRecur

from cirkelregio.events import recurrence
from cirkelregio.events.models import RepairEvent

PRODID = "-//Cirkelregio//Repair events//NL"


def event_uid(event: RepairEvent, namespace: str) -> str:
    return f"repair-event-{event.pk}@{namespace}"


def location(event: RepairEvent) -> str:
    if event.place is not None:
        place = event.place
        town = " ".join(p for p in (place.postcode, place.city) if p)
        return ", ".join(p for p in (place.name, place.street, town) if p)
    return event.address


def _component(event: RepairEvent, namespace: str) -> Event:
    item = Event()
    item.add("uid", event_uid(event, namespace))
    item.add("dtstamp", event.updated_at.astimezone(dt.UTC))
    item.add("created", event.created_at.astimezone(dt.UTC))
    item.add("last-modified", event.updated_at.astimezone(dt.UTC))
    item.add("dtstart", event.start.astimezone(recurrence.AMSTERDAM))
    item.add("dtend", event.end.astimezone(recurrence.AMSTERDAM))
    if event.recurrence:
        item.add("rrule", vRecur.from_ical(event.recurrence))
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    where = location(event)
    if where:
        item.add("location", where)
    if event.place is not None and not event.place.coordinates_derived:
        item.add("geo", (event.place.lat, event.place.lon))
    item.add("categories", [str(event.get_kind_display())])
    if event.website:
        item.add("url", event.website)
    item.add("status", "CONFIRMED")
    return item


def calendar(events: Sequence[RepairEvent], *, name: str, namespace: str) -> bytes:
    """The events as one calendar named ``name``. ``namespace`` makes the UIDs
    unique across installations (e.g. the region's code)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(recurrence.AMSTERDAM.key))
    for event in events:
        cal.add_component(_component(event, namespace))
    if events:
        first = min(e.start for e in events).astimezone(recurrence.AMSTERDAM)
        last = max(e.last_end for e in events).astimezone(recurrence.AMSTERDAM)
        cal.add_missing_timezones(
            first_date=first.date() - dt.timedelta(days=1),
            last_date=last.date() + dt.timedelta(days=366),
        )
    return bytes(cal.to_ical())
