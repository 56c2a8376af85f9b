# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.monitoring.services import DataLoadError, values_import


class Command(BaseCommand):
    help = (
        "Enter indicator values from a CSV file (indicator, municipality, year, "
        "value, source, note), all or nothing. Usage: cirkelregio monitoring "
        "import-values FILE"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            n = values_import(user=None, content=path.read_bytes(), file_name=path.name)
        except DataLoadError as exc:
            raise CommandError("Nothing was stored.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(f"{n} values stored."))
