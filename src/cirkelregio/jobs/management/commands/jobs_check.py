# SPDX-License-Identifier: EUPL-1.2
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cirkelregio.jobs.services import enqueue


class Command(BaseCommand):
    help = (
        "Queue a job that only waits, step by step, to see that a worker runs jobs; "
        "prints its id. Usage: cirkelregio jobs check [--steps N] [--seconds S]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--steps", type=int, default=3)
        parser.add_argument("--seconds", type=float, default=0.1)

    def handle(self, *args: Any, steps: int, seconds: float, **options: Any) -> None:
        job = enqueue("check", {"steps": steps, "seconds": seconds}, None)
        self.stdout.write(json.dumps({"id": job.pk, "status": job.status}))
