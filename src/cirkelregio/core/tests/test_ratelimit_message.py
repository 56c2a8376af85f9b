# SPDX-License-Identifier: EUPL-1.2
"""The message of a client that must wait (``core.ratelimit``): the wait in whole
minutes, rounded up and at least one, in the singular for one minute."""

from __future__ import annotations

from django.utils import translation

import pytest

from cirkelregio.core.ratelimit import SuggestionRateLimitedError

START = "You have sent several suggestions in a short time. Please try again in "


@pytest.mark.parametrize(
    ("seconds", "wait"),
    [
        (1, "1 minute."),
        (60, "1 minute."),
        (61, "2 minutes."),
        (120, "2 minutes."),
        (3000, "50 minutes."),
    ],
)
def test_the_wait_in_minutes(seconds: int, wait: str) -> None:
    with translation.override("en"):
        error = SuggestionRateLimitedError(seconds)
    assert str(error) == START + wait
    assert error.retry_after == seconds
