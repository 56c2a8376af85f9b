# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.agricycling import services
from cirkelregio.engine.dataio import DataLoadError


class Command(BaseCommand):
    help = (
        "Load the Agricycling demo (invented season, tariffs, farms, parcels and "
        "batches, and one allocation run). Needs the region's reference and registry "
        "demo data. Usage: cirkelregio agricycling load-demo DIRECTORY"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = services.agricycling_demo_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
