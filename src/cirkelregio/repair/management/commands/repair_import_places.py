# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.repair.services import import_places


class Command(BaseCommand):
    help = (
        "Import repair places from a CSV file (name,kind,street,postcode,city,lat,"
        "lon,categories,opening_hours,website,email,phone) or an OpenStreetMap "
        "GeoJSON export. All or nothing; importing again updates the places it "
        "imported before. Usage: cirkelregio repair import-places FILE "
        "[--source NAME]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv, .geojson or .json file")
        parser.add_argument(
            "--source",
            help="Where the data comes from; part of the key that finds a record "
            "without an id again. Default: the file name for CSV, OpenStreetMap "
            "for GeoJSON. Use the same name on every import of the same data.",
        )

    def handle(
        self, *args: Any, file: Path, source: str | None, **options: Any
    ) -> None:
        try:
            report = import_places(file, source=source)
        except DataLoadError as exc:
            raise CommandError("Nothing was imported.\n" + exc.summary()) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(str(report)))
