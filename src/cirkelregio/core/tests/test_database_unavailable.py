# SPDX-License-Identifier: EUPL-1.2
"""A database that cannot be reached gives 503 with Retry-After: problem details under
/api/, a plain Dutch page elsewhere; never a 500. Here every query fails (the cursor
raises as psycopg does when the server is gone); the real outage, with a PostgreSQL
server stopped and restarted under load, is test_database_outage.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from unittest import mock

from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

import pytest

from cirkelregio.core.unavailable import RETRY_AFTER_SECONDS, is_database_unavailable
from cirkelregio.web.views import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


def _database_down(error: type[Exception] = OperationalError) -> Any:
    message = "connection to server at 127.0.0.1 failed: Connection refused"
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=error(message)
    )


@pytest.fixture
def down() -> Iterator[None]:
    with _database_down():
        yield


def _assert_problem(response: Any, path: str) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = json.loads(response.content)
    assert body["status"] == 503
    assert body["type"].endswith("/database-unavailable")
    assert body["title"] == "Service Unavailable"
    assert body["instance"] == path
    assert "Connection refused" not in response.content.decode()


def _assert_page(response: Any) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Even niet beschikbaar" in page
    assert "Connection refused" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/municipalities/",
        "/api/v1/repair/places/?near=3511&radius_km=5",
        "/api/v1/exchange/match-runs/",
    ],
)
def test_api_answers_503_problem_details(
    anonymous: Client, down: None, path: str
) -> None:
    _assert_problem(anonymous.get(path), path.split("?")[0])


@pytest.mark.parametrize("path", ["/", "/reparatiekaart/", "/gemeenten/"])
def test_pages_answer_a_plain_503_page(
    anonymous: Client, down: None, path: str
) -> None:
    _assert_page(anonymous.get(path))


def test_a_closed_connection_is_503_too(anonymous: Client) -> None:
    with _database_down(InterfaceError):
        _assert_page(anonymous.get("/"))
        _assert_problem(
            anonymous.get("/api/v1/municipalities/"), "/api/v1/municipalities/"
        )


def test_a_signed_in_user_whose_session_cannot_be_read_gets_503(
    django_user_model: Any,
) -> None:
    # The session and the user are read by middleware, before any view runs.
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    with _database_down():
        _assert_page(client.get("/"))
        _assert_problem(
            client.get("/api/v1/municipalities/"), "/api/v1/municipalities/"
        )
        response = client.post(
            "/api/v1/organisations/",
            {"name": "Nieuw", "kind": "company"},
            content_type="application/json",
        )
        _assert_problem(response, "/api/v1/organisations/")


def test_the_error_handler_answers_503_only_for_database_errors() -> None:
    request = RequestFactory().get("/api/v1/municipalities/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        _assert_problem(server_error(request), "/api/v1/municipalities/")
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(RequestFactory().get("/")).status_code == 500


def test_database_errors_are_recognised_through_their_causes() -> None:
    try:
        try:
            raise OperationalError("gone")
        except OperationalError as exc:
            raise RuntimeError("while loading") from exc
    except RuntimeError as wrapped:
        assert is_database_unavailable(wrapped)
    assert not is_database_unavailable(ValueError("no"))
    assert not is_database_unavailable(None)


def test_the_site_answers_again_when_the_database_is_back(anonymous: Client) -> None:
    with _database_down():
        assert anonymous.get("/api/v1/municipalities/").status_code == 503
    assert anonymous.get("/api/v1/municipalities/").status_code == 200
    assert anonymous.get("/").status_code == 200
