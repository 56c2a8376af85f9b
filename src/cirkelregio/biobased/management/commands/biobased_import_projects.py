# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.biobased.services import DataLoadError, projects_import


class Command(BaseCommand):
    help = (
        "Import insulation projects from a CSV or XLSX file (columns in "
        "docs/biobased.md). All or nothing. Usage: cirkelregio biobased "
        "import-projects FILE"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path.name}: cannot be read ({exc.strerror})") from exc
        try:
            report = projects_import(actor=None, content=content, file_name=path.name)
        except DataLoadError as exc:
            raise CommandError("Nothing was imported.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
