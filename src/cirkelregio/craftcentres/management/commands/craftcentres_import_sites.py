# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.craftcentres.services import DataLoadError, sites_import


class Command(BaseCommand):
    help = (
        "Import craft-centre sites (existing centres and candidate sites) from a CSV "
        "file (columns in docs/craftcentres.md). All or nothing. Usage: cirkelregio "
        "craftcentres import-sites FILE"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path.name}: cannot be read ({exc.strerror})") from exc
        try:
            report = sites_import(actor=None, content=content, file_name=path.name)
        except DataLoadError as exc:
            raise CommandError("Nothing was imported.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
