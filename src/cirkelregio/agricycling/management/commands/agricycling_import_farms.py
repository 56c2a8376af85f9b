# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.agricycling import selectors, services
from cirkelregio.engine.dataio import DataLoadError


class Command(BaseCommand):
    help = (
        "Import farms with their composting capacity in a season (CSV; format: "
        "docs/agricycling.md). All or nothing. Usage: cirkelregio agricycling "
        "import-farms FILE --season LABEL"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--season", required=True)

    def handle(self, *args: Any, file: Path, season: str, **options: Any) -> None:
        found = selectors.season_pick(season)
        if found is None:
            raise CommandError(f"Unknown season {season!r}.")
        try:
            report = services.import_farms(file, season=found)
        except DataLoadError as exc:
            raise CommandError("Nothing was imported.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
