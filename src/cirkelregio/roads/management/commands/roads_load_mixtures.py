# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.roads import services


class Command(BaseCommand):
    help = (
        "Load the asphalt mixture catalogue (default data/roads/mixtures.csv). "
        "All or nothing; safe to run again. Usage: cirkelregio roads load-mixtures "
        "[FILE]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?")

    def handle(self, *args: Any, file: Path | None, **options: Any) -> None:
        path = file or Path(settings.DATA_DIR) / "roads" / "mixtures.csv"
        try:
            result = services.mixtures_load(path=path)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(result)))
