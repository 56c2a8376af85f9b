# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.monitoring.services import DataLoadError, indicators_load


class Command(BaseCommand):
    help = (
        "Load the indicator definitions (default data/monitoring/indicators.csv), all "
        "or nothing; safe to run again. Usage: cirkelregio monitoring "
        "load-indicators [FILE]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?")

    def handle(self, *args: Any, path: Path | None, **options: Any) -> None:
        try:
            n = indicators_load(path=path)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(f"{n} indicators loaded."))
