# SPDX-License-Identifier: EUPL-1.2
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.jobs.models import Job
from cirkelregio.jobs.services import as_dict


class Command(BaseCommand):
    help = "Show a background job as JSON. Usage: cirkelregio jobs show ID"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)

    def handle(self, *args: Any, id: int, **options: Any) -> None:
        job = Job.objects.filter(pk=id).first()
        if job is None:
            raise CommandError(f"No job {id}")
        body = as_dict(job) | {"checkpoint": job.checkpoint}
        self.stdout.write(json.dumps(body, default=str))
