# SPDX-License-Identifier: EUPL-1.2
"""Shared by the roads commands: the authority option and the import report."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cirkelregio.regions import selectors as region_selectors


def authority(slug: str | None) -> Any:
    if slug is None:
        return None
    found = region_selectors.organisation_list().filter(slug=slug).first()
    if found is None:
        raise CommandError(f"Unknown organisation {slug!r}.")
    return found


def report(command: BaseCommand, result: Any) -> None:
    command.stdout.write(command.style.SUCCESS(str(result)))
