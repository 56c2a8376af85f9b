# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.roads import services
from cirkelregio.roads.management.commands._base import report


class Command(BaseCommand):
    help = (
        "Load the mixture substitutions of mixture harmonisation from a "
        "CSV file (docs/roads.md). All or nothing; safe to run again. Usage: "
        "cirkelregio roads load-substitutions FILE"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            result = services.substitutions_load(path=file)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        report(self, result)
