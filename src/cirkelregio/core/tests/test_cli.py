# SPDX-License-Identifier: EUPL-1.2
"""The ``cirkelregio`` console script: Django's commands and grouped subcommands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cirkelregio.cli import _rewrite_grouped

REPO = Path(__file__).resolve().parents[4]


def test_grouped_words_map_to_management_commands() -> None:
    assert _rewrite_grouped(["cirkelregio", "regions", "load-reference", "x"]) == [
        "cirkelregio",
        "regions_load_reference",
        "x",
    ]
    # Django's own commands pass through unchanged.
    assert _rewrite_grouped(["cirkelregio", "migrate", "regions"]) == [
        "cirkelregio",
        "migrate",
        "regions",
    ]
    assert _rewrite_grouped(["cirkelregio", "regions", "--help"]) == [
        "cirkelregio",
        "regions",
        "--help",
    ]


def _run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "cirkelregio.conf.test",
    }
    return subprocess.run(
        [sys.executable, "-m", "cirkelregio", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_console_script_loads_and_refuses_bad_input(tmp_path: Path) -> None:
    database = tmp_path / "cli.sqlite3"
    assert _run("migrate", "-v0", database=database).returncode == 0
    ok = _run("regions", "load-reference", "data/regions/nl-utrecht", database=database)
    assert ok.returncode == 0, ok.stderr
    assert "26 municipalities" in ok.stdout

    broken = tmp_path / "broken"
    shutil.copytree(REPO / "data" / "regions" / "nl-utrecht", broken)
    csv = broken / "municipalities.csv"
    csv.write_text(csv.read_text().replace(",161852,", ",veel,", 1))
    bad = _run("regions", "load-reference", str(broken), database=database)
    assert bad.returncode != 0
    assert "Nothing was loaded." in bad.stderr
    assert "municipalities.csv, line 2, field 'population': must be a whole number" in (
        bad.stderr
    )


def test_call_command_error_is_a_command_error(db: Any, tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="is not a folder"):
        call_command("regions_load_reference", str(tmp_path / "missing"))
