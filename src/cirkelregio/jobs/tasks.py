# SPDX-License-Identifier: EUPL-1.2
"""The one task of the Django Tasks API this project defines: run a stored job."""

from __future__ import annotations

from django.conf import settings

from django_tasks import task


@task(queue_name=settings.JOBS_QUEUE)
def run_job(job_id: int) -> str:
    from cirkelregio.jobs.services import run

    return run(job_id)
