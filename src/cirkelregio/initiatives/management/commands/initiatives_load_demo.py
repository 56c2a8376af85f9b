# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.initiatives.services import initiatives_demo_load


class Command(BaseCommand):
    help = (
        "Load the resident-initiatives demo data: invented initiatives and a contact "
        "point for a few municipalities (never in production). Needs the region's "
        "reference data and the registry demo data. All or nothing; safe to run "
        "again. Usage: cirkelregio initiatives load-demo DIR"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="e.g. data/demo/nl-utrecht/initiatives"
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = initiatives_demo_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
