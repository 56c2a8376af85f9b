# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.monitoring.services import ComputeError, indicators_compute


class Command(BaseCommand):
    help = (
        "Recompute the computed monitoring indicators from the modules and replace "
        "their values, all or nothing. Usage: cirkelregio monitoring compute "
        "[--year 2025 ...] [--indicator CODE ...]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", dest="years")
        parser.add_argument("--indicator", action="append", dest="codes")

    def handle(self, *args: Any, years: Any, codes: Any, **options: Any) -> None:
        try:
            report = indicators_compute(years=years, codes=codes)
        except ComputeError as exc:
            raise CommandError(f"Nothing was replaced. {exc}") from exc
        total = sum(report.values.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} values of {len(report.values)} indicators stored "
                f"({report.removed} replaced)."
            )
        )
