# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.core import backups


class Command(BaseCommand):
    help = (
        "Load a file written by 'cirkelregio backup export', all or nothing, into a "
        "database migrated to the file's migration state. Refuses a database that "
        "holds data unless --replace is given. "
        "Usage: cirkelregio backup import FILE [--replace]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove all data of the database first (in the same transaction)",
        )

    def handle(self, *args: Any, file: Path, replace: bool, **options: Any) -> None:
        try:
            counts = backups.import_(file, replace=replace)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Loaded {sum(counts.values())} rows of {len(counts)} models from {file}."
        )
