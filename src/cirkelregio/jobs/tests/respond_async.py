# SPDX-License-Identifier: EUPL-1.2
"""Checks shared by the tests of the endpoints that start a run as a background job
under ``Prefer: respond-async``."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from cirkelregio.jobs.models import Job, JobStatus

PREFER = {"HTTP_PREFER": "respond-async"}


def accepted_job(response: Any, kind: str) -> Job:
    """The job a 202 answer names, checked: headers, body and the stored job."""
    assert response.status_code == 202, response.content
    assert response["Preference-Applied"] == "respond-async"
    body = response.json()
    job = Job.objects.get(pk=body["id"])
    status_url = f"/api/v1/jobs/{job.pk}/"
    assert response["Location"].endswith(status_url)
    assert body["status_url"] == response["Location"]
    assert body["kind"] == job.kind == kind
    assert body["status"] == job.status
    return job


def result_of(client: APIClient, response: Any, record_path: str) -> dict[str, Any]:
    """Follow a 202 answer to the job (done with the immediate backend) and its
    ``result_url`` (which must end with ``record_path``) to the stored record."""
    job = client.get(response["Location"])
    assert job.status_code == 200, job.content
    body = job.json()
    assert body["status"] == JobStatus.DONE, body["error"]
    assert body["result_url"].endswith(record_path)
    record = client.get(body["result_url"])
    assert record.status_code == 200
    return record.json()
