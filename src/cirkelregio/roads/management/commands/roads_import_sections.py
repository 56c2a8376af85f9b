# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.roads import services
from cirkelregio.roads.management.commands._base import authority, report


class Command(BaseCommand):
    help = (
        "Import road sections (file formats: docs/roads.md). All or nothing; "
        "importing again updates. Usage: cirkelregio roads import-sections FILE "
        "[--authority SLUG]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--authority",
            help="Slug of the road authority (municipality, province or water board); "
            "otherwise the file's authority column.",
        )
        parser.add_argument(
            "--crs",
            default="EPSG:4326",
            help="Coordinates where the file does not say: EPSG:4326 (WGS84, default) "
            "or EPSG:28992 (RD New).",
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        extra = {"crs": options["crs"]} if "crs" in options else {}
        try:
            result = services.import_sections(
                file, authority=authority(options["authority"]), **extra
            )
        except DataLoadError as exc:
            raise CommandError("Nothing was imported.\n" + exc.summary()) from exc
        report(self, result)
