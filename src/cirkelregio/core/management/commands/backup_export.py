# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cirkelregio.core import backups


class Command(BaseCommand):
    help = (
        "Write all data (user accounts with their password hashes included: keep the "
        "file confidential) to a JSON file, gzip-compressed when its name ends in "
        ".gz. Usage: cirkelregio backup export FILE.json[.gz]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="e.g. cirkelregio.json.gz")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        counts = backups.export(file)
        self.stdout.write(
            f"Wrote {sum(counts.values())} rows of {len(counts)} models to {file}."
        )
