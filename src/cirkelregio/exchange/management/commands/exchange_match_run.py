# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.exchange import selectors
from cirkelregio.exchange.services import match_run_start


class Command(BaseCommand):
    help = (
        "Run the matcher over all open listings and active depots and store the "
        "proposals, as a coordinator's match run does. "
        "Usage: cirkelregio exchange match-run"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="only when no match run has succeeded yet (for set-up scripts)",
        )

    def handle(self, *args: Any, if_none: bool = False, **options: Any) -> None:
        if if_none and selectors.match_run_list().filter(status="succeeded").exists():
            self.stdout.write("A match run exists already; nothing to do.")
            return
        run = match_run_start(actor=None)
        if run.status != "succeeded":
            raise CommandError(f"The match run failed: {run.message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Match run {run.pk}: {run.proposals.count()} proposals, savings "
                f"EUR {run.savings_eur:,.2f} against buying new and disposing."
            )
        )
