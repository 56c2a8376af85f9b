# SPDX-License-Identifier: EUPL-1.2
"""The monitoring tests check the services' English messages: the default language of
the site is Dutch, so each test runs with English active."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import translation

import pytest


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield
