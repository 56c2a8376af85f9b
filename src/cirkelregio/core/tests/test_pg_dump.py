# SPDX-License-Identifier: EUPL-1.2
"""The PostgreSQL backup of docs/operations.md: ``pg_dump -Fc`` of the test database,
``pg_restore`` into a new database, and every table holds as many rows as before.
Runs only on PostgreSQL with pg_dump and pg_restore installed (CI's second run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

from django.db import connection

import pytest

PG_DUMP = shutil.which("pg_dump")
PG_RESTORE = shutil.which("pg_restore")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (PG_DUMP and PG_RESTORE),
        reason="needs pg_dump and pg_restore",
    ),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _client_env(settings: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def _row_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pg_dump_and_pg_restore_keep_every_row(demo_data: Any, tmp_path: Path) -> None:
    import psycopg

    settings = connection.settings_dict
    env = _client_env(settings)
    dump = tmp_path / "cirkelregio.dump"
    subprocess.run(
        [str(PG_DUMP), "-Fc", "--no-owner", "-f", str(dump), settings["NAME"]],
        env=env,
        check=True,
    )
    with connection.cursor() as cursor:
        before = _row_counts(cursor)
    assert before["regions_municipality"] > 0

    restored = f"cirkelregio_restore_{uuid.uuid4().hex[:12]}"
    params = {
        key.lower(): settings[key]
        for key in ("HOST", "PORT", "USER", "PASSWORD")
        if settings.get(key)
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
        try:
            subprocess.run(
                [str(PG_RESTORE), "--no-owner", "--exit-on-error", "-d", restored]
                + [str(dump)],
                env=env,
                check=True,
            )
            with (
                psycopg.connect(dbname=restored, **params) as copy,
                copy.cursor() as cursor,
            ):
                after = _row_counts(cursor)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert after == before
