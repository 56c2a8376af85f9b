# SPDX-License-Identifier: EUPL-1.2
"""GET /api/v1/jobs/<id>/: a background job's status, progress and result, for who
started it and for coordinators (everyone else: 404, as if it did not exist)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.jobs.models import JobStatus
from cirkelregio.jobs.services import as_dict, job_for


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    message = serializers.CharField()
    result = serializers.JSONField(allow_null=True)
    error = serializers.CharField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class JobView(GenericAPIView):
    """A background job: ``status`` (queued, running, done, failed), ``progress``
    0-100 with a ``message``, the ``result`` once done (stored at the end, never
    in part) and the ``error`` of a failed job."""

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
        return Response(JobSerializer(as_dict(job)).data)


urlpatterns = [path("<int:pk>/", JobView.as_view(), name="job-detail")]
