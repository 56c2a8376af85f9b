# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.test import Client

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "language", "reason"),
    [
        ("", "nl", "Selecteer een geldige keuze"),
        ("en", "en", "Select a valid choice"),
        ("nl,en;q=0.5", "nl", "Selecteer een geldige keuze"),
    ],
)
def test_api_messages_follow_accept_language(
    client: Client, accept: str, language: str, reason: str, reference_data: Any
) -> None:
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/api/v1/participations/?phase=dromen", **headers)
    assert response.status_code == 400
    assert response["Content-Language"] == language
    assert response.json()["invalid_params"][0]["reason"].startswith(reason)


@pytest.mark.django_db
def test_public_pages_still_take_the_language_from_the_url(client: Client) -> None:
    response = client.get("/health/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = client.get("/gemeenten/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "nl"
