# SPDX-License-Identifier: EUPL-1.2
"""Fixtures shared by all tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

import pytest


@pytest.fixture
def region_dir() -> Path:
    return Path(settings.DATA_DIR) / "regions" / "nl-utrecht"


@pytest.fixture
def demo_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo" / "nl-utrecht"


@pytest.fixture
def reference_data(db: Any, region_dir: Path) -> Any:
    """The real reference data of the region, loaded as the set-up command does."""
    from cirkelregio.regions.services import reference_data_load

    return reference_data_load(directory=region_dir)


@pytest.fixture
def demo_data(reference_data: Any, demo_dir: Path) -> Any:
    from cirkelregio.regions.services import demo_data_load

    return demo_data_load(directory=demo_dir)
