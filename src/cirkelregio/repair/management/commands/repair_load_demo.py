# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.repair.services import repair_demo_load


class Command(BaseCommand):
    help = (
        "Load the repair-map demo data: invented repair places (names start with "
        "'Demo') in the region's municipalities, never in production. Needs the "
        "region's reference data. All or nothing; safe to run again. "
        "Usage: cirkelregio repair load-demo DIR"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="e.g. data/demo/nl-utrecht/repair"
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = repair_demo_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(str(report)))
