# SPDX-License-Identifier: EUPL-1.2
"""/.well-known/security.txt follows RFC 9116: the required fields, a future Expires
and a Canonical URL of the host asked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.test import Client, override_settings

FIELD = re.compile(r"^([A-Za-z-]+): (.+)$")


def _fields(body: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in body.splitlines():
        if not line or line.startswith("#"):
            continue
        match = FIELD.match(line)
        assert match, f"not a field line: {line!r}"
        fields.setdefault(match[1].lower(), []).append(match[2])
    return fields


def test_security_txt_has_the_rfc_9116_fields(client: Client) -> None:
    response = client.get("/.well-known/security.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = _fields(response.content.decode())
    assert fields["contact"] == ["mailto:security@cirkelregio.example"]
    assert fields["preferred-languages"] == ["nl, en"]
    assert fields["canonical"] == ["http://localhost/.well-known/security.txt"]
    assert fields["policy"][0].startswith("https://")
    # Exactly one Expires (RFC 9116 2.5.5), RFC 3339, in the future, < 1 year ahead.
    (raw,) = fields["expires"]
    expires = datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(tz=UTC)
    assert now + timedelta(days=179) < expires <= now + timedelta(days=181)
    # The placeholders say they are placeholders.
    assert "# Placeholder" in response.content.decode()


@override_settings(
    SECURITY_CONTACT="mailto:security@example.nl",
    SECURITY_POLICY_URL="https://example.nl/security",
    SECURITY_TXT_EXPIRES="2099-01-31",
)
def test_security_txt_uses_the_settings(client: Client) -> None:
    body = client.get("/.well-known/security.txt").content.decode()
    fields = _fields(body)
    assert fields["contact"] == ["mailto:security@example.nl"]
    assert fields["policy"] == ["https://example.nl/security"]
    assert fields["expires"] == ["2099-01-31T00:00:00Z"]
    assert "Placeholder" not in body


def test_security_txt_refuses_writes(client: Client) -> None:
    assert client.post("/.well-known/security.txt").status_code == 405
