# SPDX-License-Identifier: EUPL-1.2
"""The API of background jobs:

- ``GET /api/v1/jobs/<id>/``: a job's status, progress and result, with
  ``result_url`` (the API record of the result) once done, for who started it and
  for coordinators (everyone else: 404, as if it did not exist).
- ``Prefer: respond-async`` (RFC 7240) on the endpoints that start a run: the run
  is queued as the same job the web page starts and the answer is 202 Accepted
  with ``Location`` at the job (``accepted``, ``prefers_async``, ``start_schema``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path, reverse

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.jobs.kinds import result_api_path
from cirkelregio.jobs.models import JobStatus
from cirkelregio.jobs.services import as_dict, enqueue, job_for

RESPOND_ASYNC = "respond-async"


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    message = serializers.CharField()
    result = serializers.JSONField(allow_null=True)
    result_url = serializers.URLField(
        allow_null=True,
        help_text="The API record of the result (a run, a scenario) once the job "
        "is done; null before, and for kinds without such a record.",
    )
    error = serializers.CharField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class JobAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    status_url = serializers.URLField(
        help_text="GET it for the job's progress and, once done, its result_url."
    )


def prefers_async(request: Request) -> bool:
    """Whether the request's ``Prefer`` header asks for ``respond-async``."""
    for header in request.headers.get("Prefer", "").split(","):
        token = header.split(";", 1)[0].split("=", 1)[0].strip().lower()
        if token == RESPOND_ASYNC:
            return True
    return False


def accepted(request: Request, kind: str, parameters: dict[str, Any]) -> Response:
    """Queue a job of ``kind`` for the request's user, once the caller has checked
    the input and the permission, and answer 202 Accepted with ``Location`` at the
    job. (With the immediate backend the job has run when this answers.)"""
    job = enqueue(kind, parameters, request.user)  # type: ignore[arg-type]
    url = request.build_absolute_uri(reverse("job-detail", kwargs={"pk": job.pk}))
    body = {"id": job.pk, "kind": job.kind, "status": job.status, "status_url": url}
    return Response(
        JobAcceptedSerializer(body).data,
        status=status.HTTP_202_ACCEPTED,
        headers={
            "Location": url,
            "Preference-Applied": RESPOND_ASYNC,
            "Vary": "Prefer",
        },
    )


PREFER = OpenApiParameter(
    "Prefer",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    enum=[RESPOND_ASYNC],
    description="`respond-async` (RFC 7240): after the same checks of the input "
    "and the permission, queue the run as a background job and answer 202 "
    "Accepted at once; without it the run is made in the request.",
)

ACCEPTED = OpenApiResponse(
    JobAcceptedSerializer,
    description="Queued as a background job (with `Prefer: respond-async`). "
    "`Location` is the job's status URL, `GET /api/v1/jobs/{id}/`; once done, its "
    "`result_url` is the record of the result.",
)

ACCEPTED_HEADERS = [
    OpenApiParameter(
        "Location",
        OpenApiTypes.URI,
        OpenApiParameter.HEADER,
        description="The job's status URL.",
        response=[202],
    ),
    OpenApiParameter(
        "Preference-Applied",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="`respond-async`.",
        response=[202],
    ),
]


def start_schema(
    request: Any,
    created: Any,
    errors: dict[Any, Any],
    *,
    done: int = 201,
    **options: Any,
) -> Any:
    """``extend_schema`` of an endpoint that starts a run: ``done`` (201) with the
    record, or 202 with the job under ``Prefer: respond-async``, and the given
    errors; ``options`` go to ``extend_schema`` (an ``operation_id``)."""
    return extend_schema(
        request=request,
        parameters=[PREFER, *ACCEPTED_HEADERS],
        responses={done: created, 202: ACCEPTED, **errors},
        **options,
    )


class JobView(GenericAPIView):
    """A background job: ``status`` (queued, running, done, failed), ``progress``
    0-100 with a ``message``, the ``result`` once done (stored at the end, never
    in part) with ``result_url``, the API record of the result, and the ``error``
    of a failed job."""

    serializer_class = JobSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="jobs_retrieve",
        responses={200: JobSerializer, **problem_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = job_for(request.user, pk)
        if job is None:
            raise Http404
        found = result_api_path(job)
        url = request.build_absolute_uri(found) if found else None
        return Response(JobSerializer(as_dict(job) | {"result_url": url}).data)


urlpatterns = [path("<int:pk>/", JobView.as_view(), name="job-detail")]
