# SPDX-License-Identifier: EUPL-1.2
"""The ``Prefer: respond-async`` header and the job API's ``result_url``."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient, APIRequestFactory

from cirkelregio.accounts.models import Role, User
from cirkelregio.jobs.api import prefers_async
from cirkelregio.jobs.services import enqueue


@pytest.mark.once
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ("", False),
        ("respond-async", True),
        ("Respond-Async", True),
        ("return=minimal, respond-async, wait=10", True),
        ("wait=10; foo=bar, respond-async; x", True),
        ("return=representation", False),
        ("respond-asynchronously", False),
    ],
)
def test_prefer_header(header: str | None, expected: bool) -> None:
    from rest_framework.request import Request

    extra: dict[str, Any] = {} if header is None else {"HTTP_PREFER": header}
    request = Request(APIRequestFactory().post("/", **extra))
    assert prefers_async(request) is expected


@pytest.mark.django_db
def test_a_job_without_an_api_record_has_no_result_url() -> None:
    user = User.objects.create_user("coord", password="x" * 12, role=Role.COORDINATOR)
    job = enqueue("check", {"steps": 1, "seconds": 0}, user)
    client = APIClient()
    client.force_authenticate(user)
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "done" and body["result_url"] is None
