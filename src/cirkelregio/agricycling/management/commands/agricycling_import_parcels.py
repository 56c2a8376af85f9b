# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.agricycling import services
from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.regions import selectors as region_selectors


class Command(BaseCommand):
    help = (
        "Import mowing parcels (GeoJSON, or CSV with WKT; formats: "
        "docs/agricycling.md). "
        "All or nothing; importing again updates. Usage: cirkelregio agricycling "
        "import-parcels FILE [--owner SLUG] [--crs EPSG:4326|EPSG:28992]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--owner", help="Slug of the owner; else the file's owner.")
        parser.add_argument("--crs", default="EPSG:4326")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        owner = None
        if options["owner"]:
            owner = (
                region_selectors.organisation_list()
                .filter(slug=options["owner"])
                .first()
            )
            if owner is None:
                raise CommandError(f"Unknown organisation {options['owner']!r}.")
        try:
            report = services.import_parcels(file, owner=owner, crs=options["crs"])
        except DataLoadError as exc:
            raise CommandError("Nothing was imported.\n" + exc.summary()) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
