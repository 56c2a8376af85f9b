# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio config reference [--check]``: write the table of environment variables
in docs/configuration.md from the settings registry, or check that it is current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.conf.env import ENV_VARS
from cirkelregio.conf.reference import update


class Command(BaseCommand):
    help = "Write the table of docs/configuration.md from the settings registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail when the file is out of date instead of writing it.",
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=settings.REPO_DIR / "docs" / "configuration.md",
            help="The Markdown file with the table markers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["check"]:
            if not update(path, ENV_VARS.values(), check=True):
                raise CommandError(
                    f"{path.name} is out of date: run `cirkelregio config reference` "
                    "and commit the result."
                )
            self.stdout.write(f"{path.name} is up to date")
            return
        update(path, ENV_VARS.values(), check=False)
        self.stdout.write(f"{path.name} written")
