# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.repair.services import ords_import
from cirkelregio.repair.services.impact import (
    ORDS_LICENCE,
    ORDS_LICENCE_URL,
    ORDS_SOURCE_URL,
)


class Command(BaseCommand):
    help = (
        "Import repair records from an Open Repair Data Standard file (ORDS 0.2.1 or "
        "0.3) for the repair-impact statistics. All or nothing; importing the same "
        "file again (same checksum, or same data provider and record ids) replaces "
        "its dataset. Usage: cirkelregio repair import-ords FILE [--provider-name "
        "NAME] [--skip-unchanged] [--background]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an ORDS CSV file")
        parser.add_argument(
            "--provider-name",
            help="The data provider of the dataset, credited with the data. Default: "
            "the data_provider of the records (required when they name several).",
        )
        parser.add_argument(
            "--licence", default=ORDS_LICENCE, help=f"default: {ORDS_LICENCE}"
        )
        parser.add_argument(
            "--licence-url",
            default=ORDS_LICENCE_URL,
            help=f"default: {ORDS_LICENCE_URL}",
        )
        parser.add_argument(
            "--attribution",
            help="How the data must be credited. Default: Open Repair Alliance, data "
            "provider <provider>.",
        )
        parser.add_argument(
            "--source-url", default=ORDS_SOURCE_URL, help=f"default: {ORDS_SOURCE_URL}"
        )
        parser.add_argument(
            "--skip-unchanged",
            action="store_true",
            help="Do nothing when a dataset was imported from a file with the same "
            "checksum (for set-up scripts that run again).",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Run the import as a background job (JOBS_BACKEND) and print the "
            "job's id; `cirkelregio jobs show ID` tells its progress and result.",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        provider_name: str | None,
        licence: str,
        licence_url: str,
        attribution: str | None,
        source_url: str,
        skip_unchanged: bool,
        background: bool = False,
        **options: Any,
    ) -> None:
        if background:
            from cirkelregio.jobs.services import enqueue

            job = enqueue(
                "repair.ords_import",
                {
                    "path": str(file.resolve()),
                    "provider_name": provider_name,
                    "licence": licence,
                    "licence_url": licence_url,
                    "attribution": attribution,
                    "source_url": source_url,
                    "skip_unchanged": skip_unchanged,
                },
                None,
            )
            self.stdout.write(f"Job {job.pk}: {job.status}")
            if job.error:
                raise CommandError(job.error)
            return
        try:
            report = ords_import(
                file,
                provider_name=provider_name,
                licence=licence,
                licence_url=licence_url,
                attribution=attribution,
                source_url=source_url,
                skip_unchanged=skip_unchanged,
            )
        except DataLoadError as exc:
            raise CommandError(
                f"Nothing was imported: {len(exc.problems)} problem(s).\n"
                + exc.summary()
            ) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
