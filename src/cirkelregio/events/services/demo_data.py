# SPDX-License-Identifier: EUPL-1.2
"""Load the repair-events demo data (``data/demo/<region>/events/``): an invented
Reparatieweek edition and invented events, recurring Repair Café sessions at the
demo repair places among them. Every record is marked ``is_demo``; never loaded in
production.

Needs the region's reference data, the registry demo data (organisers) and the
repair-map demo data (``cirkelregio repair load-demo``: the places). All or nothing:
both files are checked first, including every recurrence rule and that every
activity of the edition has a session in its days, and nothing is written when there
is a problem. Idempotent: editions are found again by name and events by Dutch title
among the demo records; loading again changes nothing that is already as the files
say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.validators import URLValidator
from django.db import transaction

from cirkelregio.engine.dataio import (
    Collector,
    FieldError,
    boolean,
    choice,
    date,
    pattern,
    read_csv,
    text,
)
from cirkelregio.events import recurrence
from cirkelregio.events.models import (
    EventKind,
    EventStatus,
    RepairEvent,
    ReparatieweekEdition,
)
from cirkelregio.events.services.records import (
    edition_create,
    edition_update,
    event_create,
    event_update,
)
from cirkelregio.regions.models import Municipality, Organisation
from cirkelregio.repair.models import RepairPlace

EDITION_COLUMNS = (
    "name",
    "start_date",
    "end_date",
    "theme_nl",
    "theme_en",
    "description_nl",
    "description_en",
    "is_published",
)
EVENT_COLUMNS = (
    "title_nl",
    "title_en",
    "kind",
    "place",
    "address",
    "municipality",
    "start",
    "end",
    "recurrence",
    "edition",
    "organiser",
    "website",
    "description_nl",
    "description_en",
)
_CBS = pattern(r"GM\d{4}", "a CBS code GM followed by four digits")
_SLUG = pattern(r"[a-z0-9-]+", "a slug (lower-case letters, digits and -)")


@dataclass
class EventsDemoReport:
    editions: int = 0
    events: int = 0
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return (
            f"Repair events demo data: {self.editions} Reparatieweek editions, "
            f"{self.events} events ({self.created} created, {self.updated} updated)."
        )


def _local_time(raw: Any) -> dt.datetime:
    """``2027-03-13 10:00``: a date and time in Amsterdam."""
    try:
        moment = dt.datetime.strptime(str(raw), "%Y-%m-%d %H:%M")  # noqa: DTZ007
    except ValueError:
        raise FieldError("expected a date and time YYYY-MM-DD HH:MM") from None
    return moment.replace(tzinfo=recurrence.AMSTERDAM)


def _url(raw: Any) -> str:
    value = text(500)(raw)
    try:
        URLValidator(schemes=["http", "https"])(value)
    except Exception:
        raise FieldError("not an http(s) URL") from None
    return value


def _read_editions(path: Path, c: Collector) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in read_csv(path, EDITION_COLUMNS, c):
        name = row.get("name", text(200)) or ""
        if name in out:
            row.problem("name", f"a second edition named {name}")
        start, end = row.get("start_date", date), row.get("end_date", date)
        if start and end and end < start:
            row.problem("end_date", "the last day is before the first day")
        out[name] = {
            "name": name,
            "start_date": start,
            "end_date": end,
            "theme_nl": row.get("theme_nl", text(200), required=False) or "",
            "theme_en": row.get("theme_en", text(200), required=False) or "",
            "description_nl": row.get("description_nl", text(), required=False) or "",
            "description_en": row.get("description_en", text(), required=False) or "",
            "is_published": row.get("is_published", boolean),
        }
    return out


def _read_events(
    path: Path, editions: dict[str, dict[str, Any]], c: Collector
) -> list[dict[str, Any]]:
    places = {p.name: p for p in RepairPlace.objects.filter(is_demo=True)}
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in read_csv(path, EVENT_COLUMNS, c):
        title = row.get("title_nl", text(200)) or ""
        if title in seen:
            row.problem("title_nl", f"a second event titled {title}")
        seen.add(title)
        place_name = row.get("place", text(200), required=False)
        place = places.get(place_name) if place_name else None
        if place_name and place is None:
            row.problem(
                "place",
                f"unknown demo repair place {place_name} (load the repair demo "
                "data first: cirkelregio repair load-demo)",
            )
        address = row.get("address", text(300), required=False) or ""
        cbs = row.get("municipality", _CBS, required=place_name is None)
        if cbs and cbs not in municipalities:
            row.problem("municipality", f"unknown CBS code {cbs}")
        if not place_name and not address:
            row.problem("address", "give a repair place or an address")
        start, end = row.get("start", _local_time), row.get("end", _local_time)
        rule = row.get("recurrence", text(500), required=False) or ""
        edition_name = row.get("edition", text(200), required=False)
        if edition_name and edition_name not in editions:
            row.problem("edition", f"unknown edition {edition_name}")
        if start and end:
            if end <= start:
                row.problem("end", "the end is not after the start")
            else:
                try:
                    rule = recurrence.normalise(rule, start)
                except recurrence.RecurrenceError as exc:
                    row.problem("recurrence", str(exc))
                else:
                    edition = editions.get(edition_name or "")
                    if edition and edition["start_date"] and edition["end_date"]:
                        after, before = recurrence.day_range(
                            edition["start_date"], edition["end_date"]
                        )
                        if not recurrence.occurrences(
                            start, end, rule, after=after, before=before
                        ):
                            row.problem("edition", "no session during the edition")
        organiser = row.get("organiser", _SLUG, required=False)
        if organiser and organiser not in organisations:
            row.problem("organiser", f"unknown organisation {organiser}")
        out.append(
            {
                "title_nl": title,
                "title_en": row.get("title_en", text(200), required=False) or "",
                "kind": row.get("kind", choice(EventKind.values)),
                "place": place,
                "address": address,
                "municipality": municipalities.get(cbs or "")
                or (place.municipality if place else None),
                "start": start,
                "end": end,
                "recurrence": rule,
                "edition_name": edition_name,
                "organiser": organisations.get(organiser or ""),
                "website": row.get("website", _url, required=False) or "",
                "description_nl": row.get("description_nl", text(), required=False)
                or "",
                "description_en": row.get("description_en", text(), required=False)
                or "",
                "status": EventStatus.PUBLISHED,
            }
        )
    return out


def events_demo_load(*, directory: Path) -> EventsDemoReport:
    """Check both files, then write them in one transaction through the services
    (as the system), which check every record once more."""
    c = Collector()
    editions = _read_editions(directory / "editions.csv", c)
    events = _read_events(directory / "events.csv", editions, c)
    c.raise_if_any()

    report = EventsDemoReport()
    with transaction.atomic():
        stored: dict[str, ReparatieweekEdition] = {}
        for name, values in editions.items():
            edition = ReparatieweekEdition.objects.filter(
                name=name, is_demo=True
            ).first()
            if edition is None:
                edition = edition_create(actor=None, is_demo=True, **values)
                report.created += 1
            else:
                changed = {k: v for k, v in values.items() if getattr(edition, k) != v}
                if changed:
                    edition = edition_update(actor=None, edition=edition, **changed)
                    report.updated += 1
            stored[name] = edition
            report.editions += 1
        for values in events:
            edition_name = values.pop("edition_name")
            values["edition"] = stored[edition_name] if edition_name else None
            event = RepairEvent.objects.filter(
                title_nl=values["title_nl"], is_demo=True
            ).first()
            if event is None:
                event_create(actor=None, is_demo=True, **values)
                report.created += 1
            else:
                changed = {k: v for k, v in values.items() if getattr(event, k) != v}
                if changed:
                    event_update(actor=None, event=event, **changed)
                    report.updated += 1
            report.events += 1
    return report
