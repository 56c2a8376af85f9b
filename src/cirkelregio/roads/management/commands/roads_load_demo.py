# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.roads import services


class Command(BaseCommand):
    help = (
        "Load the roads demo data: the mixture catalogue, then invented sections, "
        "passports and works (names start with 'Demo', marked as demo) of two road "
        "authorities; never in production. Needs the region's reference data. "
        "Usage: cirkelregio roads load-demo DIR"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="e.g. data/demo/nl-utrecht/roads"
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            result = services.roads_demo_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(result)))
