# SPDX-License-Identifier: EUPL-1.2
"""The nightly backup script ``deploy/backup.sh`` (docs/operations.md): a complete set
of three files, or none at all when a step fails; the command after the set gets the
three files; old local sets are pruned. Runs the real script with ``pg_dump`` and the
``cirkelregio`` command against the test database, so only on PostgreSQL."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.db import connection

import pytest

SHELL = shutil.which("sh") or "/bin/sh"
SCRIPT = Path(django_settings.REPO_DIR) / "deploy" / "backup.sh"
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _run(
    tmp_path: Path, var_dir: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DATABASE_URL": (
            f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        ),
        "CIRKELREGIO_VAR_DIR": str(var_dir),
        "CIRKELREGIO_BACKUP_DIR": str(tmp_path / "backups"),
        **extra,
    }
    return subprocess.run(
        [SHELL, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    media = tmp_path / "var" / "media" / "exchange"
    media.mkdir(parents=True)
    (media / "photo.jpg").write_bytes(b"not really a photo")
    (tmp_path / "backups").mkdir()
    return tmp_path / "var"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_complete_set_and_the_command_after_it(
    reference_data: Any, tmp_path: Path, var_dir: Path
) -> None:
    backups = tmp_path / "backups"
    old = backups / "cirkelregio-20000101T000000Z.dump"
    old.write_bytes(b"an old set")
    other = backups / "notes.txt"
    other.write_text("not a backup")
    ten_days_ago = time.time() - 10 * 86400
    for path in (old, other):
        os.utime(path, (ten_days_ago, ten_days_ago))

    after = tmp_path / "after.txt"
    result = _run(
        tmp_path, var_dir, CIRKELREGIO_BACKUP_AFTER=f'printf "%s\\n" "$@" > {after}'
    )
    assert result.returncode == 0, result.stderr

    dumps = sorted(backups.glob("cirkelregio-2*.dump"))
    exports = sorted(backups.glob("cirkelregio-*.json.gz"))
    media = sorted(backups.glob("media-*.tar.gz"))
    assert len(dumps) == len(exports) == len(media) == 1
    assert not old.exists()  # pruned
    assert other.exists()  # not ours: left alone
    assert not list(backups.glob(".partial-*"))
    assert after.read_text().split() == [str(dumps[0]), str(exports[0]), str(media[0])]

    with gzip.open(exports[0], "rt", encoding="utf-8") as handle:
        export = json.load(handle)
    assert export["counts"]["regions.Municipality"] == 26
    with tarfile.open(media[0]) as archive:
        assert "media/exchange/photo.jpg" in archive.getnames()
    assert dumps[0].read_bytes()[:5] == b"PGDMP"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_step_leaves_no_set_behind(tmp_path: Path, var_dir: Path) -> None:
    shutil.rmtree(var_dir / "media")  # tar, the last step, fails
    after = tmp_path / "after.txt"
    result = _run(tmp_path, var_dir, CIRKELREGIO_BACKUP_AFTER=f"touch {after}")
    assert result.returncode != 0
    assert list((tmp_path / "backups").iterdir()) == []
    assert not after.exists()
