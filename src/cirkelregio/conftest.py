# SPDX-License-Identifier: EUPL-1.2
"""Fixtures shared by all tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

import pytest

# Tests that give the same answer on every database: the engine is free of Django,
# and these modules test processes, settings or URL rules, not queries. CI runs them
# on the first database only (`-m "not once"` on the second).
ONCE = (
    "cirkelregio/engine/",
    "cirkelregio/jobs/tests/test_worker.py",
    "cirkelregio/core/tests/test_production_settings.py",
    "cirkelregio/core/tests/test_cli.py",
    "cirkelregio/core/tests/test_permission_walk.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path.as_posix()
        if any(part in path for part in ONCE):
            item.add_marker(pytest.mark.once)


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


@pytest.fixture(autouse=True)
def _fresh_content_type_cache() -> None:
    """Forget the content types Django caches per process. A transactional test that
    flushes the database (or migrates back and forth) gets its content types again with
    new ids, and a stale cache would then make the audit log point at ids that no longer
    exist (a foreign-key error at the next commit)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
