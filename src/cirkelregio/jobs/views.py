# SPDX-License-Identifier: EUPL-1.2
"""The pages of background jobs: a job's status page (a progress bar that a small
script updates from the JSON endpoint; without JavaScript the page refreshes itself)
and the forms that start a job."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cirkelregio.exchange.rules import can_start_match_run
from cirkelregio.jobs.kinds import kind_label, result_link
from cirkelregio.jobs.models import JobStatus
from cirkelregio.jobs.services import as_dict, enqueue, immediate, job_for

REFRESH_SECONDS = 3


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request.user, pk)
    if job is None:
        raise Http404
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "refresh": REFRESH_SECONDS,
            "link": result_link(job),
            "kind": kind_label(job),
        },
    )


@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = job_for(request.user, pk)
    if job is None:
        raise Http404
    link = result_link(job)
    return JsonResponse(as_dict(job) | {"result_url": link[0] if link else ""})


@require_GET
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file a done job stored (a report), for those who may see the job."""
    job = job_for(request.user, pk)
    result = job.result if job is not None else None
    if job is None or job.status != JobStatus.DONE or not (result or {}).get("file"):
        raise Http404
    assert result is not None
    try:
        handle = default_storage.open(result["file"], "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=result["filename"],
        content_type=result.get("content_type") or "application/octet-stream",
    )


def start_job(
    request: HttpRequest, kind: str, parameters: dict[str, Any]
) -> tuple[HttpResponse | None, str]:
    """Start a job from a page's form. With the immediate backend it has run when
    this returns: done, the answer is a redirect to the page of its result (the
    kind's link in ``kinds.LINKS``), so the page works as before; failed, the
    answer is ``(None, error)`` for the page to show with its form. Queued for a
    worker, the answer is a redirect to the job's page, which shows its progress
    and links to the result when done."""
    job = enqueue(kind, parameters, request.user)  # type: ignore[arg-type]
    if immediate() and job.status == JobStatus.FAILED:
        return None, job.error
    link = result_link(job)
    if immediate() and link is not None:
        return redirect(link[0]), ""
    return redirect("jobs:detail", pk=job.pk), ""


@require_POST
def exchange_match_run_start(request: HttpRequest) -> HttpResponse:
    """Start a match run of the materials exchange as a job (coordinators)."""
    if not can_start_match_run(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    job = enqueue("exchange.match_run", {"parameters": {}}, request.user)  # type: ignore[arg-type]
    return redirect("jobs:detail", pk=job.pk)
