# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.roads import services
from cirkelregio.roads.management.commands._base import authority, report


class Command(BaseCommand):
    help = (
        "Offer the tar-free reclaimed asphalt that planned works release as supply "
        "listings on the materials exchange (material class asfaltgranulaat), "
        "update them when the works change and withdraw those of works that are "
        "done or removed. Tar-containing asphalt is never offered. Safe to run "
        "again. Usage: cirkelregio roads publish-forecast [--authority SLUG]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", help="Slug of one road authority.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = services.forecast_publish(
                authority=authority(options.get("authority"))
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        report(self, result)
