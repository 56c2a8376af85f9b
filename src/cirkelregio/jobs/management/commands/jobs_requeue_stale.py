# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import BaseCommand

from cirkelregio.jobs.services import requeue_stale


class Command(BaseCommand):
    help = (
        "Queue again the running jobs whose worker stopped (no heartbeat for "
        "JOBS_STALE_AFTER seconds); fail those that used JOBS_MAX_ATTEMPTS. Every "
        "worker does this when it starts. Usage: cirkelregio jobs requeue-stale"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        requeued, failed = requeue_stale()
        self.stdout.write(f"Queued again: {requeued}; failed: {failed}")
