# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.biobased.services import DataLoadError, biobased_demo_load


class Command(BaseCommand):
    help = (
        "Load the biobased-insulation demo data: invented insulation projects in "
        "every municipality over several years (never in production). Needs the "
        "region's reference data and the material catalogue. All or nothing; safe "
        "to run again. Usage: cirkelregio biobased load-demo DIR"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="e.g. data/demo/nl-utrecht/biobased"
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = biobased_demo_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
