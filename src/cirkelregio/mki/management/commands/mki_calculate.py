# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio mki calculate``: a thin wrapper around the engine's command line.

The console script runs the engine directly, without starting Django; this command
makes the same tool appear in ``cirkelregio help`` and ``call_command``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cirkelregio.engine.mki import cli


class Command(BaseCommand):
    help = cli.build_parser().description or ""

    def run_from_argv(self, argv: list[str]) -> None:
        code = cli.main(argv[2:], stdout=self.stdout, stderr=self.stderr)
        if code:
            raise SystemExit(code)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        code = cli.main(list(args), stdout=self.stdout, stderr=self.stderr)
        if code:
            raise CommandError(
                "The MKI calculation stopped on bad input.", returncode=code
            )
