# SPDX-License-Identifier: EUPL-1.2
"""Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins the user
name is locked, with the same answer whether or not the account exists."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

import pytest

from cirkelregio.accounts.models import Role, User


def _fail(client: Client, username: str) -> int:
    return client.post(
        "/en/admin/login/", {"username": username, "password": "wrong-password"}
    ).status_code


@pytest.mark.django_db
@pytest.mark.parametrize("exists", [True, False])
def test_repeated_failures_lock_the_login(exists: bool) -> None:
    if exists:
        User.objects.create_user(
            "locked-editor", password="the-right-pass-phrase", role=Role.COORDINATOR
        )
    client = Client()
    statuses = [
        _fail(client, "locked-editor") for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    # Even the right password is refused now, with the same lock-out answer as for a
    # name that has no account.
    response = client.post(
        "/en/admin/login/",
        {"username": "locked-editor", "password": "the-right-pass-phrase"},
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
