# SPDX-License-Identifier: EUPL-1.2
"""Signing in: throttled after repeated failures (django-axes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-2026"


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR="192.0.2.10",
    )


def test_coordinator_signs_in() -> None:
    user = CoordinatorFactory()
    client = Client()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_even_with_the_right_password() -> None:
    user = CoordinatorFactory()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.username, "fout").status_code == 200
    assert _login(client, user.username, "fout").status_code == 429
    locked = _login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_a_failure_below_the_limit_does_not_lock() -> None:
    user = CoordinatorFactory()
    client = Client()
    _login(client, user.username, "fout")
    assert _login(client, user.username, PASSWORD).status_code == 302
