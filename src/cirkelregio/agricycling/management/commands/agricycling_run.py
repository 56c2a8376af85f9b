# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.agricycling import selectors, services


class Command(BaseCommand):
    help = (
        "Allocate a season's mowings to the farms and store the run (the season's "
        "tariffs give the transport cost). Usage: cirkelregio agricycling run "
        "--season LABEL [--mode split|whole] [--max-distance-km 5] [--detour 1.3] "
        "[--time-limit 20]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--season", required=True)
        parser.add_argument("--mode", choices=["split", "whole"], default="split")
        parser.add_argument("--max-distance-km", type=float, default=5.0)
        parser.add_argument("--detour", type=float, default=1.3)
        parser.add_argument("--time-limit", type=float, default=20.0)

    def handle(self, *args: Any, **options: Any) -> None:
        season = selectors.season_pick(options["season"])
        if season is None:
            raise CommandError(f"Unknown season {options['season']!r}.")
        try:
            run = services.allocation_run(
                actor=None,
                season=season,
                mode=options["mode"],
                max_distance_km=options["max_distance_km"],
                detour_factor=options["detour"],
                time_limit=options["time_limit"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Run #{run.pk}: {run.status}, {run.placed_tonnes:g} t placed, "
                f"{run.unplaced_tonnes:g} t not placed"
            )
        )
