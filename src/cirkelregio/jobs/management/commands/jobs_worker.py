# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cirkelregio.jobs.services import requeue_stale


class Command(BaseCommand):
    help = (
        "Run background jobs from the Redis queue (JOBS_BACKEND=rq): first queue "
        "again the jobs a stopped worker left, then work (RQ's worker). Usage: "
        "cirkelregio jobs worker [--burst]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="stop when the queue is empty"
        )
        parser.add_argument("--name", help="the worker's name (default: RQ's)")

    def handle(self, *args: Any, burst: bool, name: str | None, **options: Any) -> None:
        if settings.JOBS_BACKEND != "rq":
            raise CommandError(
                "JOBS_BACKEND is 'immediate': jobs run at once, in the request; there "
                "is nothing for a worker to do. Set JOBS_BACKEND=rq and REDIS_URL."
            )
        requeued, failed = requeue_stale()
        if requeued or failed:
            self.stdout.write(f"Queued again: {requeued}; failed: {failed}")
        call_command(
            "rqworker",
            settings.JOBS_QUEUE,
            burst=burst,
            name=name,
            job_class="django_tasks_rq.Job",
            with_scheduler=False,
        )
