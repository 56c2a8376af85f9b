# SPDX-License-Identifier: EUPL-1.2
"""Security headers on pages and API answers, and the flags of the session and CSRF
cookies (Secure where the site is served over HTTPS)."""

from __future__ import annotations

from typing import Any

from django.test import Client, override_settings

import pytest

from cirkelregio.accounts.models import Role, User


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/en/", "/admin/login/", "/api/v1/"])
def test_security_headers(client: Client, path: str) -> None:
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";")
    )
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy


def _sign_in(client: Client) -> Any:
    User.objects.create_user(
        "cookie-editor", password="a-long-pass-phrase", role=Role.COORDINATOR
    )
    client.get("/admin/login/")
    return client.post(
        "/admin/login/",
        {"username": "cookie-editor", "password": "a-long-pass-phrase"},
    )


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly_and_samesite(client: Client) -> None:
    response = _sign_in(client)
    assert response.status_code == 302
    session = client.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert not session["secure"]  # plain HTTP in development and tests
    csrf = client.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_over_https(client: Client) -> None:
    _sign_in(client)
    assert client.cookies["sessionid"]["secure"]
    assert client.cookies["csrftoken"]["secure"]


def test_session_lifetime_is_limited() -> None:
    from django.conf import settings

    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
