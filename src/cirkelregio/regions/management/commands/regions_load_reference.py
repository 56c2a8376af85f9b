# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.regions.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load or update a region's reference data (region, municipalities with "
        "boundaries, PC4 postcodes, action lines) from its folder. All or nothing; "
        "safe to run again. Usage: cirkelregio regions load-reference DIR"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="e.g. data/regions/nl-utrecht")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = reference_data_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
