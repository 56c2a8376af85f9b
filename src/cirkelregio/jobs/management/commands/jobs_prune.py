# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import BaseCommand

from cirkelregio.jobs.services import prune_files


class Command(BaseCommand):
    help = (
        "Remove the files of jobs that finished more than JOBS_KEEP_FILES_DAYS ago "
        "and the uploads that no queued or running job needs. Every job does this "
        "when it has finished. Usage: cirkelregio jobs prune"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        files, uploads = prune_files()
        self.stdout.write(f"Removed: {files} job files, {uploads} uploads")
