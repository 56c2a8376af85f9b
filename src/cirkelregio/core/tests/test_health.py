# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any
from unittest import mock

from django.db import DatabaseError
from django.test import Client

import pytest

from cirkelregio import __version__


@pytest.mark.django_db
def test_health_reports_the_database(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["database"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch(
        "cirkelregio.core.views.connection.cursor", side_effect=DatabaseError("gone")
    ):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "unavailable"


def test_health_only_answers_reads(client: Client, db: Any) -> None:
    assert client.post("/health/").status_code == 405
