# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.exchange import services
from cirkelregio.regions import selectors as region_selectors


class Command(BaseCommand):
    help = (
        "Import supply and demand listings of the materials exchange from a CSV or "
        "XLSX file (columns: docs/exchange.md). All or nothing; importing again "
        "updates by owner and reference. Usage: cirkelregio exchange "
        "import-listings FILE [--owner SLUG] [--background]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--owner", help="Slug of the owner; else each row's owner column."
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Run the import as a background job (JOBS_BACKEND) and print the "
            "job's id; `cirkelregio jobs show ID` tells its progress and result.",
        )

    def handle(
        self, *args: Any, file: Path, background: bool = False, **options: Any
    ) -> None:
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
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                f"{file.name}: cannot be read ({exc.strerror})."
            ) from exc
        if background:
            from cirkelregio.jobs.kinds import listing_import_parameters
            from cirkelregio.jobs.services import enqueue

            job = enqueue(
                "exchange.listing_import",
                listing_import_parameters(file.name, [content], owner),
                None,
            )
            self.stdout.write(f"Job {job.pk}: {job.status}")
            if job.error:
                raise CommandError(job.error)
            return
        try:
            report = services.import_listings(content, file.name, owner=owner)
        except DataLoadError as exc:
            raise CommandError(
                f"Nothing was imported: {len(exc.problems)} problem(s).\n"
                + exc.summary()
            ) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
