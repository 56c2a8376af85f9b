# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.roads import services
from cirkelregio.roads.management.commands._base import authority, report


class Command(BaseCommand):
    help = (
        "Import road works (file formats: docs/roads.md). All or nothing; "
        "importing again updates. Usage: cirkelregio roads import-works FILE "
        "[--authority SLUG]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--authority",
            help="Slug of the road authority (municipality, province or water board); "
            "otherwise the file's authority column.",
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        extra = {"crs": options["crs"]} if "crs" in options else {}
        try:
            result = services.import_works(
                file, authority=authority(options["authority"]), **extra
            )
        except DataLoadError as exc:
            raise CommandError("Nothing was imported.\n" + exc.summary()) from exc
        report(self, result)
