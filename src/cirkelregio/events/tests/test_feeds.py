# SPDX-License-Identifier: EUPL-1.2
"""The iCalendar feeds (RFC 5545) per repair place, municipality, edition and
event: parsed back with the icalendar package and checked field by field; the
recurrence of the feed expanded by dateutil from the feed's own text; escaping and
line folding; published events only."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.test import Client
from django.utils import translation

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from cirkelregio.events.models import EventKind, RepairEvent
from cirkelregio.events.recurrence import AMSTERDAM
from cirkelregio.events.tests.conftest import World, at
from cirkelregio.events.tests.factories import RepairEventFactory

pytestmark = pytest.mark.django_db


def _get(path: str) -> Any:
    response = Client().get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def _calendar(path: str) -> Calendar:
    return Calendar.from_ical(_get(path).content)


def _events(cal: Calendar) -> dict[str, Any]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _label(kind: str, language: str) -> str:
    """The kind's label in the language of the feed's URL."""
    with translation.override(language):
        return str(EventKind(kind).label)


def _uid(event: RepairEvent) -> str:
    return f"repair-event-{event.pk}@nl-utrecht.cirkelregio"


def test_place_feed_has_every_field_of_the_event(world: World) -> None:
    response = _get(f"/agenda/plaats/{world.place.pk}.ics")
    assert response["Content-Disposition"] == (
        f'attachment; filename="repair-place-{world.place.pk}.ics"'
    )
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    cal = Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Cirkelregio//Repair events//NL"
    assert str(cal["X-WR-CALNAME"]) == "Repair Café Centrum"
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}

    event = RepairEvent.objects.get(pk=world.monthly.pk)
    [item] = cal.walk("VEVENT")
    assert str(item["UID"]) == _uid(event)
    # iCalendar times have whole seconds.
    assert item.decoded("DTSTAMP") == event.updated_at.replace(microsecond=0)
    assert item.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)
    assert item.decoded("CREATED") == event.created_at.replace(microsecond=0)
    assert item["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert item["DTEND"].params["TZID"] == "Europe/Amsterdam"
    start, end = item.decoded("DTSTART"), item.decoded("DTEND")
    assert (start, end) == (at("2027-01-09", "10:00"), at("2027-01-09", "13:00"))
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert item["RRULE"].to_ical().decode().split(";") == [
        "FREQ=MONTHLY",
        "UNTIL=20271231T225959Z",
        "BYDAY=2SA",
    ]
    assert str(item["SUMMARY"]) == "Repair Café Centrum"
    assert str(item["DESCRIPTION"]) == "Elke tweede zaterdag."
    assert str(item["LOCATION"]) == "Repair Café Centrum, Kerkstraat 1, 3511 AA Een"
    assert item.decoded("GEO") == (52.05, 5.05)
    assert str(item["URL"]) == "https://example.org/repair-cafe-centrum"
    assert [str(c) for c in item["CATEGORIES"].cats] == [_label("repair_cafe", "nl")]
    assert str(item["STATUS"]) == "CONFIRMED"


def test_the_feed_expands_to_the_second_saturday_of_every_month(
    world: World,
) -> None:
    """Expanded by dateutil from the feed's own DTSTART and RRULE, as a calendar
    application would."""
    [item] = _calendar(f"/agenda/plaats/{world.place.pk}.ics").walk("VEVENT")
    rule = rrulestr(item["RRULE"].to_ical().decode(), dtstart=item.decoded("DTSTART"))
    expected = []
    for month in range(1, 13):
        weeks = calendar.monthcalendar(2027, month)
        saturdays = [w[calendar.SATURDAY] for w in weeks if w[calendar.SATURDAY]]
        expected.append(dt.datetime(2027, month, saturdays[1], 10, tzinfo=AMSTERDAM))
    assert list(rule) == expected
    assert [d.hour for d in rule] == [10] * 12  # 10:00 in winter and in summer


def test_english_feed_uses_the_english_texts(world: World) -> None:
    [item] = _calendar(f"/en/agenda/plaats/{world.place.pk}.ics").walk("VEVENT")
    assert str(item["SUMMARY"]) == "Repair Café Centre"
    assert str(item["DESCRIPTION"]) == "Every second Saturday."
    assert str(item["UID"]) == _uid(world.monthly)


def test_uid_stays_and_dtstamp_follows_a_change(world: World) -> None:
    path = f"/agenda/plaats/{world.place.pk}.ics"
    [first] = _calendar(path).walk("VEVENT")
    RepairEvent.objects.filter(pk=world.monthly.pk).update(
        title_nl="Repair Café Centrum (nieuw)",
        updated_at=dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC),
    )
    [second] = _calendar(path).walk("VEVENT")
    assert str(first["UID"]) == str(second["UID"]) == _uid(world.monthly)
    assert second.decoded("DTSTAMP") == dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)
    assert str(second["SUMMARY"]) == "Repair Café Centrum (nieuw)"


def test_text_is_escaped_and_long_lines_are_folded(world: World) -> None:
    title = "Repareren; lijmen, naaien \\ solderen"
    description = "Eerste regel.\nTweede regel: " + "lang " * 40
    event = RepairEventFactory(
        title_nl=title,
        description_nl=description,
        municipality=world.m1,
        address="Plein 3, 3511 Een",
    )
    response = _get(f"/agenda/activiteit/{event.pk}.ics")
    raw = response.content
    assert b"SUMMARY:Repareren\\; lijmen\\, naaien \\\\ solderen\r\n" in raw
    assert b"Eerste regel.\\nTweede regel:" in raw
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # folded
    [item] = Calendar.from_ical(raw).walk("VEVENT")
    assert str(item["SUMMARY"]) == title
    assert str(item["DESCRIPTION"]) == description
    assert str(item["LOCATION"]) == "Plein 3, 3511 Een"
    assert "RRULE" not in item and "GEO" not in item and "URL" not in item


def test_municipality_feed_holds_its_published_events(world: World) -> None:
    cal = _calendar(f"/en/agenda/gemeente/{world.m1.slug}.ics")
    assert set(_events(cal)) == {_uid(world.monthly)}  # not the draft
    assert str(cal["X-WR-CALNAME"]) == "Repair events in Gemeente Een"
    cal = _calendar(f"/agenda/gemeente/{world.m2.slug}.ics")
    # Not the event of the unpublished edition.
    assert set(_events(cal)) == {_uid(world.workshop)}


def test_edition_feed_holds_its_activities(world: World) -> None:
    cal = _calendar(f"/agenda/reparatieweek/{world.edition.pk}.ics")
    assert str(cal["X-WR-CALNAME"]) == "Reparatieweek voorjaar 2027"
    assert set(_events(cal)) == {_uid(world.workshop)}
    [item] = cal.walk("VEVENT")
    assert item.decoded("DTSTART") == at("2027-03-17", "19:00")
    assert [str(c) for c in item["CATEGORIES"].cats] == [_label("workshop", "nl")]
    [item] = _calendar(f"/en/agenda/reparatieweek/{world.edition.pk}.ics").walk(
        "VEVENT"
    )
    assert [str(c) for c in item["CATEGORIES"].cats] == ["Repair workshop"]


def test_an_empty_feed_is_a_valid_calendar(world: World) -> None:
    RepairEvent.objects.filter(municipality=world.m1).delete()
    cal = _calendar(f"/agenda/gemeente/{world.m1.slug}.ics")
    assert not cal.walk("VEVENT") and not cal.walk("VTIMEZONE")
    assert str(cal["VERSION"]) == "2.0"


@pytest.mark.parametrize(
    "path",
    [
        "/agenda/plaats/999999.ics",
        "/agenda/gemeente/nergens.ics",
        "/agenda/reparatieweek/999999.ics",
        "/agenda/activiteit/999999.ics",
    ],
)
def test_unknown_feeds_are_not_found(world: World, path: str) -> None:
    assert Client().get(path).status_code == 404


def test_unpublished_things_have_no_feed(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)  # even a coordinator: feeds are public
    assert client.get(f"/agenda/activiteit/{world.draft.pk}.ics").status_code == 404
    assert client.get(f"/agenda/activiteit/{world.hidden.pk}.ics").status_code == 404
    edition = f"/agenda/reparatieweek/{world.draft_edition.pk}.ics"
    assert client.get(edition).status_code == 404
