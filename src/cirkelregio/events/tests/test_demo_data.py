# SPDX-License-Identifier: EUPL-1.2
"""The events demo data: loaded by the command on top of the reference, registry
and repair demo data, marked as demo, idempotent, and all or nothing on bad
input."""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command

import pytest
from auditlog.models import LogEntry

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
from cirkelregio.events.recurrence import AMSTERDAM
from cirkelregio.events.services import events_demo_load
from cirkelregio.repair.services import repair_demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def events_dir(demo_dir: Path) -> Path:
    return demo_dir / "events"


@pytest.fixture
def repair_demo(demo_data: Any, demo_dir: Path) -> Any:
    return repair_demo_load(directory=demo_dir / "repair")


def test_command_loads_the_demo_data_once(repair_demo: Any, events_dir: Path) -> None:
    out = StringIO()
    call_command("events_load_demo", str(events_dir), stdout=out)
    assert "2 Reparatieweek editions, 18 events (20 created, 0 updated)" in (
        out.getvalue()
    )
    autumn, edition = ReparatieweekEdition.objects.order_by("start_date")
    assert autumn.name == "Reparatieweek najaar 2026 (demo)"
    assert (autumn.start_date, autumn.end_date) == (
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 17),
    )
    assert autumn.is_demo and autumn.is_published
    assert edition.is_demo and edition.is_published
    assert edition.name == "Reparatieweek voorjaar 2027 (demo)"
    assert (edition.start_date, edition.end_date) == (
        dt.date(2027, 3, 15),
        dt.date(2027, 3, 20),
    )
    assert (edition.theme_nl, edition.theme_en) == ("Kleding", "Clothing")

    events = RepairEvent.objects.all()
    assert events.count() == 18
    assert all(e.is_demo and e.is_published for e in events)
    assert all(e.title_nl.endswith("(demo)") for e in events)
    assert events.filter(edition=edition).count() == 8
    assert sorted(e.municipality.name for e in events.filter(edition=autumn)) == [
        "De Bilt",
        "Nieuwegein",
        "Utrecht",
    ]
    sessions = events.exclude(recurrence="").filter(edition=None)
    assert sessions.count() == 7
    assert all(s.place is not None and s.place.is_demo for s in sessions)
    assert all(s.kind == "repair_cafe" for s in sessions)

    baarn = events.get(title_nl="Repair Café Baarn (demo)")
    assert baarn.place.name == "Demo Repair Café Baarn"
    assert baarn.place.opening_hours.startswith("Sa[2] 10:00-13:00")
    assert baarn.recurrence == "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231T225959Z"
    assert baarn.municipality == baarn.place.municipality
    nieuwegein = events.get(title_nl="Repair Café Nieuwegein (demo)")
    assert nieuwegein.organiser.slug == "repair-cafe-de-voorbeeldwijk-demo"
    woerden = events.get(title_nl="Kledingspreekuur Woerden (demo)")
    assert woerden.last_end == dt.datetime(2027, 3, 19, 18, 0, tzinfo=AMSTERDAM)

    logged = LogEntry.objects.count()
    out = StringIO()
    call_command("events_load_demo", str(events_dir), stdout=out)
    assert "(0 created, 0 updated)" in out.getvalue()
    assert RepairEvent.objects.count() == 18
    assert LogEntry.objects.count() == logged


def test_a_changed_file_updates_the_demo_records(
    repair_demo: Any, events_dir: Path, tmp_path: Path
) -> None:
    events_demo_load(directory=events_dir)
    shutil.copytree(events_dir, tmp_path / "events")
    path = tmp_path / "events" / "events.csv"
    path.write_text(
        path.read_text().replace(
            "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231", "FREQ=MONTHLY;BYDAY=2SA;COUNT=3"
        )
    )
    report = events_demo_load(directory=tmp_path / "events")
    assert (report.created, report.updated) == (0, 1)
    baarn = RepairEvent.objects.get(title_nl="Repair Café Baarn (demo)")
    assert baarn.recurrence == "FREQ=MONTHLY;BYDAY=2SA;COUNT=3"
    assert baarn.last_end == dt.datetime(2026, 11, 14, 13, 0, tzinfo=AMSTERDAM)


def test_bad_files_load_nothing_and_name_every_problem(
    repair_demo: Any, events_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(events_dir, tmp_path / "events")
    path = tmp_path / "events" / "events.csv"
    text = path.read_text()
    text = text.replace("FREQ=MONTHLY;BYDAY=1SA;UNTIL=20271231", "FREQ=MONTHLY")
    text = text.replace("2027-03-17 21:30", "2027-03-17 18:00")
    text = text.replace("Demo Repair Café Houten", "Demo Repair Café Nergens")
    path.write_text(text)
    with pytest.raises(DataLoadError) as caught:
        events_demo_load(directory=tmp_path / "events")
    summary = caught.value.summary()
    assert "events.csv" in summary
    assert "recurrence" in summary and "must end" in summary
    assert "the end is not after the start" in summary
    assert "unknown demo repair place Demo Repair Café Nergens" in summary
    assert not RepairEvent.objects.exists()
    assert not ReparatieweekEdition.objects.exists()


def test_without_the_repair_demo_data_the_command_says_what_to_load_first(
    demo_data: Any, events_dir: Path
) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("events_load_demo", str(events_dir), stdout=StringIO())
    assert "Nothing was loaded" in str(caught.value)
    assert "cirkelregio repair load-demo" in str(caught.value)
    assert not RepairEvent.objects.exists()
