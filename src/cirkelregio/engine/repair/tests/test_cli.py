# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio repair ords-stats``: outputs, grouping, and bad input (exit 2, the
problems with file, line and field, nothing written)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cirkelregio.engine.repair.cli import EXIT_INPUT, main
from cirkelregio.engine.repair.tests.conftest import (
    REPO,
    V021_HEADER,
    V021_ROWS,
    V03_HEADER,
    V03_ROWS,
)

Write = Callable[[str, str], Path]


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_overall(write: Write) -> None:
    code, out, err = _run(str(write("rc.csv", V021_HEADER + V021_ROWS)))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"file", "ords_version", "by", "method", "overall", "groups"}
    assert (data["file"], data["ords_version"], data["by"]) == ("rc.csv", "0.2.1", [])
    assert data["method"]["displacement"] == 0.5
    overall = data["overall"]
    assert (overall["records"], overall["fixed"], overall["unknown"]) == (5, 2, 1)
    assert overall["fix_rate"] == 0.5
    # One fixed coffee maker: 1.28 kg and 17.5 x 0.5 kg CO2e; the fixed Misc item
    # has no weight.
    assert overall["waste_prevented_kg"] == 1.28
    assert overall["co2e_averted_kg"] == 8.75
    assert overall["fixed_without_factor"] == 1
    assert overall["barriers"]["not recorded"] == 1
    assert data["groups"] == []


def test_json_grouped_by_two_fields(write: Write) -> None:
    code, out, _ = _run(
        str(write("clinic.csv", V03_HEADER + V03_ROWS)), "--by", "group", "year"
    )
    assert code == 0
    groups = json.loads(out)["groups"]
    assert [(g["group"], g["year"], g["records"]) for g in groups] == [
        ("Clinic A", 2021, 2),
        ("Clinic B", 2022, 2),
    ]
    assert groups[0]["barriers"]["Item too worn out"] == 1


def test_csv_to_a_file(write: Write, tmp_path: Path) -> None:
    target = tmp_path / "stats.csv"
    path = write("rc.csv", V021_HEADER + V021_ROWS)
    code, out, _ = _run(
        str(path), "--by", "country", "--format", "csv", "--output", str(target)
    )
    assert (code, out) == (0, "")
    rows = list(csv.DictReader(target.open(newline="", encoding="utf-8")))
    assert [(r["scope"], r["country"], r["records"]) for r in rows] == [
        ("overall", "", "5"),
        ("group", "DEU", "1"),
        ("group", "NLD", "4"),
    ]
    assert rows[0]["fix_rate"] == "0.5"
    assert rows[0]["barrier_not_recorded"] == "1"
    assert rows[0]["barrier_item_too_worn_out"] == "0"
    assert float(rows[2]["waste_prevented_kg"]) == 1.28


def test_bad_input_exit_2_and_nothing_written(write: Write, tmp_path: Path) -> None:
    bad = V021_ROWS.replace("NLD,Lamp", "NL,Lamp").replace(
        "Repairable,,0112", "Gemaakt,,0112"
    )
    path = write("bad.csv", V021_HEADER + bad)
    target = tmp_path / "out.json"
    code, out, err = _run(str(path), "--output", str(target))
    assert (code, out) == (EXIT_INPUT, "")
    assert not target.exists()
    assert "Nothing was calculated or written: 2 problem(s)." in err
    assert (
        "bad.csv, line 3, field 'country': must be an ISO 3166-1 alpha-3 country "
        "code such as NLD (got 'NL')"
    ) in err
    assert (
        "bad.csv, line 4, field 'repair_status': must be 0-3 or Unknown, Fixed, "
        "Repairable, End of life (got 'Gemaakt')"
    ) in err
    # An existing output stays as it was.
    target.write_text("earlier", encoding="utf-8")
    assert _run(str(path), "--output", str(target))[0] == EXIT_INPUT
    assert target.read_text(encoding="utf-8") == "earlier"


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "nope.csv"))
    assert code == EXIT_INPUT
    assert "nope.csv: cannot be read" in err


def test_a_field_twice_is_a_usage_error(write: Write) -> None:
    with pytest.raises(SystemExit) as info:
        _run(str(write("rc.csv", V021_HEADER + V021_ROWS)), "--by", "year", "year")
    assert info.value.code == 2


def test_dispatched_by_the_cirkelregio_command_without_django(write: Write) -> None:
    """``cirkelregio repair ords-stats`` goes to this engine command and never imports
    Django (run in a fresh interpreter: the engine's tests may not import the
    cirkelregio.cli module, which can start Django)."""
    path = write("rc.csv", V021_HEADER + V021_ROWS)
    script = (
        "import sys\n"
        "from cirkelregio.cli import ENGINE_COMMANDS, main\n"
        "assert ENGINE_COMMANDS[('repair', 'ords-stats')] == "
        "'cirkelregio.engine.repair.cli'\n"
        "try:\n"
        f"    main(['cirkelregio', 'repair', 'ords-stats', {str(path)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "assert 'django' not in sys.modules, 'django was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["overall"]["records"] == 5
