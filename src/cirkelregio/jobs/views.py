# SPDX-License-Identifier: EUPL-1.2
"""The pages of background jobs: a job's status page (a progress bar that a small
script updates from the JSON endpoint; without JavaScript the page refreshes itself)
and the forms that start a job."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cirkelregio.exchange.rules import can_start_match_run
from cirkelregio.jobs.services import as_dict, enqueue, job_for

REFRESH_SECONDS = 3


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request.user, pk)
    if job is None:
        raise Http404
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "refresh": REFRESH_SECONDS},
    )


@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = job_for(request.user, pk)
    if job is None:
        raise Http404
    return JsonResponse(as_dict(job))


@require_POST
def exchange_match_run_start(request: HttpRequest) -> HttpResponse:
    """Start a match run of the materials exchange as a job (coordinators)."""
    if not can_start_match_run(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    job = enqueue("exchange.match_run", {"parameters": {}}, request.user)  # type: ignore[arg-type]
    return redirect("jobs:detail", pk=job.pk)
