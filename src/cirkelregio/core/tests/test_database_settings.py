# SPDX-License-Identifier: EUPL-1.2
"""The database connection settings: persistent connections with a health check by
default (``DATABASE_CONN_MAX_AGE`` 60), a connection per request when it is 0, a
clear error for a value that is not a whole number; the test settings keep a
connection per request. Each reading of the settings runs in a fresh interpreter,
with only the variables given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

import pytest

READ = (
    "import json; from cirkelregio.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    return subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", READ],
        env={
            **keep,
            "CIRKELREGIO_VAR_DIR": str(tmp_path),
            "DJANGO_SECRET_KEY": "test-" + "x" * 50,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _database(tmp_path: Path, **env: str) -> Any:
    done = _run(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_persistent_connections_with_a_health_check_by_default(tmp_path: Path) -> None:
    assert _database(tmp_path) == ["django.db.backends.sqlite3", 60, True]
    url = {"DATABASE_URL": "postgres://user@127.0.0.1:5432/cirkelregio"}
    assert _database(tmp_path, **url) == ["django.db.backends.postgresql", 60, True]


def test_a_connection_per_request_when_asked(tmp_path: Path) -> None:
    assert _database(tmp_path, DATABASE_CONN_MAX_AGE="0")[1:] == [0, True]
    assert _database(tmp_path, DATABASE_CONN_MAX_AGE=" 300 ")[1] == 300


@pytest.mark.parametrize("bad", ["sixty", "1.5"])
def test_a_bad_value_names_the_variable(tmp_path: Path, bad: str) -> None:
    done = _run(tmp_path, DATABASE_CONN_MAX_AGE=bad)
    assert done.returncode != 0
    assert "DATABASE_CONN_MAX_AGE" in done.stderr


def test_the_tests_keep_a_connection_per_request() -> None:
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
