# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.biobased.services import DataLoadError, materials_load


class Command(BaseCommand):
    help = (
        "Load the insulation-material catalogue with its sourced figures. All or "
        "nothing; safe to run again. Usage: cirkelregio biobased load-materials "
        "data/biobased/materials.csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="e.g. data/biobased/materials.csv")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            report = materials_load(path=path)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
