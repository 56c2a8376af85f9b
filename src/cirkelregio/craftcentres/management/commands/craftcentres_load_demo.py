# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.craftcentres.services import DataLoadError, craftcentres_demo_load


class Command(BaseCommand):
    help = (
        "Load the craft-centres demo: the CBS bulky-waste default, invented candidate "
        "sites and demo network scenarios, solved and published (never in "
        "production). Needs the region's reference data. Safe to run again. "
        "Usage: cirkelregio craftcentres load-demo DIR"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="e.g. data/demo/nl-utrecht/craftcentres"
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = craftcentres_demo_load(directory=directory)
        except DataLoadError as exc:
            raise CommandError("Nothing was loaded.\n" + exc.summary()) from exc
        except ValidationError as exc:
            raise CommandError(
                "Nothing was loaded.\n" + "; ".join(exc.messages)
            ) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
