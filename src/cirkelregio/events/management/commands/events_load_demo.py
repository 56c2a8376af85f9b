# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.events.services import events_demo_load


class Command(BaseCommand):
    help = (
        "Load the repair-events demo data: an invented Reparatieweek edition and "
        "invented events, among them recurring Repair Café sessions at the demo "
        "repair places (never in production). Needs the region's reference data, "
        "the registry demo data and the repair demo data (cirkelregio repair "
        "load-demo). All or nothing; safe to run again. "
        "Usage: cirkelregio events load-demo DIR"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="e.g. data/demo/nl-utrecht/events"
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = events_demo_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
