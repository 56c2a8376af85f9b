# SPDX-License-Identifier: EUPL-1.2
"""No personal data in logs (AVG/GDPR): the audit log keeps no request address, and
the log handler takes e-mail and IP addresses out of every record."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.core.cache import cache
from django.test import Client

import pytest
from auditlog.models import LogEntry

from cirkelregio.conf.logging import RedactPersonalData
from cirkelregio.repair.models import RepairPlaceSuggestion


@pytest.mark.django_db
def test_an_anonymous_suggestion_leaves_no_address_in_the_audit_log(
    client: Client, reference_data: Any
) -> None:
    cache.clear()
    response = client.post(
        "/reparatiekaart/voorstellen/",
        {
            "name": "Repair Café Oost",
            "kind": "repair_cafe",
            "categories": ["bicycle"],
            "repairs": "Fietsen.",
            "opening_hours": "",
            "street": "Oostweg 1",
            "postcode": "3581ab",
            "city": "Utrecht",
            "submitter_name": "Jantje",
            "submitter_email": "jantje@example.org",
        },
        REMOTE_ADDR="192.0.2.44",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_FORWARDED_PORT="4431",
    )
    cache.clear()
    assert response.status_code == 302, response.content.decode()[:2000]
    suggestion = RepairPlaceSuggestion.objects.get()
    entries = LogEntry.objects.get_for_object(suggestion)
    assert entries.exists()
    for entry in entries:
        assert entry.remote_addr is None
        assert "jantje" not in str(entry.changes)


def _console_handler() -> logging.Handler:
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactPersonalData) for f in handler.filters)
    ]
    assert handlers, "the root logger has no handler with RedactPersonalData"
    return handlers[0]


def test_the_root_handler_redacts_e_mail_and_ip_addresses() -> None:
    handler = _console_handler()
    stream = io.StringIO()
    copy = logging.StreamHandler(stream)
    copy.setFormatter(handler.formatter)
    for log_filter in handler.filters:
        copy.addFilter(log_filter)
    logger = logging.getLogger("cirkelregio.tests.redaction")
    logger.addHandler(copy)
    try:
        logger.warning(
            "Sign-in of %s from %s failed (%s)",
            "jan.de.vries@gemeente.example.nl",
            "192.0.2.17",
            "2001:db8::8a2e:370:7334",
        )
        try:
            raise ValueError("no account for piet@example.org at 10.1.2.3")
        except ValueError:
            logger.exception("Import at 12:30:45 of version 1.2.3 failed")
    finally:
        logger.removeHandler(copy)
    output = stream.getvalue()
    for personal in ("jan.de.vries", "192.0.2.17", "2001:db8", "piet@", "10.1.2.3"):
        assert personal not in output
    assert "Sign-in of [e-mail] from [ip] failed ([ip])" in output
    assert "ValueError: no account for [e-mail] at [ip]" in output
    # Times and version numbers are not addresses.
    assert "Import at 12:30:45 of version 1.2.3 failed" in output
