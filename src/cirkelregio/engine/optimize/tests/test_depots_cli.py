# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio exchange site-depots``: outputs, and input errors of candidates.csv and
the flags with file, line and field, exit code 2 and nothing written."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cirkelregio.engine.optimize.depots import CANDIDATE_COLUMNS
from cirkelregio.engine.optimize.depots_cli import main
from cirkelregio.engine.optimize.exchange import (
    DEMAND_COLUMNS,
    MATERIAL_COLUMNS,
    SUPPLY_COLUMNS,
)
from cirkelregio.engine.optimize.tests.helpers import LAT0, LON0, north, write_csv

MATERIALS = [["klinker", "st", 2.0, 30, 5, 4]]
SUPPLY = [["S1", "klinker", 50, LAT0, LON0, "2024-01-01", "2024-01-07"]]
DEMAND = [["D1", "klinker", 50, north(20), LON0, "2024-01-15", "2024-01-21"]]
CANDIDATES = [
    ["K1", north(10), LON0, 1000, 1000, 0.5, 1.5],
    ["K2", north(10), LON0, 1000, 1200, 0.5, 1.5],
]


def _case(
    directory: Path,
    candidates: list[list[object]] | None = None,
    columns: tuple[str, ...] = CANDIDATE_COLUMNS,
) -> dict[str, Path]:
    return {
        "materials": write_csv(
            directory / "materials.csv", MATERIAL_COLUMNS, MATERIALS
        ),
        "supply": write_csv(directory / "supply.csv", SUPPLY_COLUMNS, SUPPLY),
        "demand": write_csv(directory / "demand.csv", DEMAND_COLUMNS, DEMAND),
        "candidates": write_csv(
            directory / "candidates.csv",
            columns,
            CANDIDATES if candidates is None else candidates,
        ),
    }


def _args(case: dict[str, Path], *extra: str) -> list[str]:
    out: list[str] = []
    for name in ("materials", "supply", "demand", "candidates"):
        out += [f"--{name}", str(case[name])]
    return [*out, *extra]


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_output(tmp_path: Path) -> None:
    """The bridge of test_depots_hand: K1 (1000 a year) opens, K2 (1200) does not."""
    code, out, err = _run(*_args(_case(tmp_path)))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {
        "open_sites",
        "total_cost_eur",
        "site_cost_eur",
        "baseline_eur",
        "savings_eur",
        "gap",
        "years",
        "alternatives",
    }
    assert data["open_sites"] == ["K1"]
    assert data["total_cost_eur"] == pytest.approx(1822.00, abs=0.005)
    assert data["site_cost_eur"] == pytest.approx(1000.00, abs=0.005)
    assert data["baseline_eur"] == pytest.approx(1950.00, abs=0.005)
    assert data["savings_eur"] == pytest.approx(128.00, abs=0.005)
    assert data["gap"] is None
    assert data["years"] == 1.0
    assert [a["sites"] for a in data["alternatives"]] == [[], ["K1"], ["K2"]]
    assert set(data["alternatives"][1]) == {
        "sites",
        "total_cost_eur",
        "site_cost_eur",
        "reused_direct",
        "reused_via_depot",
        "savings_eur",
    }
    assert data["alternatives"][1]["reused_via_depot"] == pytest.approx(100.0)
    assert data["alternatives"][2]["total_cost_eur"] == pytest.approx(2022.0, abs=0.005)


def test_flags_reach_the_model(tmp_path: Path) -> None:
    """--years 2 doubles the site cost: nothing opens. --max-sites 0 likewise. The
    existing column forces K2 open."""
    case = _case(tmp_path)
    for extra in (["--years", "2"], ["--max-sites", "0"]):
        code, out, err = _run(*_args(case, *extra))
        assert code == 0, err
        assert json.loads(out)["open_sites"] == []
        assert json.loads(out)["total_cost_eur"] == pytest.approx(1950.0, abs=0.005)
    rows = [[*CANDIDATES[0], "false"], [*CANDIDATES[1], "true"]]
    case = _case(tmp_path, rows, (*CANDIDATE_COLUMNS, "existing"))
    code, out, err = _run(*_args(case))
    assert code == 0, err
    assert json.loads(out)["open_sites"] == ["K2"]


def test_csv_output_to_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, out, err = _run(
        *_args(_case(tmp_path), "--format", "csv", "--output", str(target))
    )
    assert code == 0, err
    assert out == ""
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    summary = {r["key"]: r["value"] for r in rows if r["record"] == "summary"}
    assert summary["open_sites"] == "K1"
    assert float(summary["total_cost_eur"]) == pytest.approx(1822.0, abs=0.005)
    assert summary["gap"] == ""
    alternatives = [r for r in rows if r["record"] == "alternative"]
    assert [r["sites"] for r in alternatives] == ["", "K1", "K2"]
    assert float(alternatives[2]["savings_eur"]) == pytest.approx(-72.0, abs=0.005)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_output_is_deterministic(tmp_path: Path) -> None:
    case = _case(tmp_path)
    assert _run(*_args(case))[1] == _run(*_args(case))[1]


def test_dispatch_through_the_cirkelregio_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cirkelregio.cli", "exchange", "site-depots"]
        + _args(_case(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["open_sites"] == ["K1"]


@pytest.mark.parametrize(
    ("rows", "columns", "message"),
    [
        (
            [["K1", 95, LON0, 1000, 1000, 0.5, 1.5]],
            CANDIDATE_COLUMNS,
            "candidates.csv, line 2, field 'lat': must be at most 90 (got '95')",
        ),
        (
            [CANDIDATES[0], ["K1", LAT0, LON0, 10, 10, 0.5, 1.5]],
            CANDIDATE_COLUMNS,
            "candidates.csv, line 3, field 'id': duplicate id 'K1' (first on line 2)",
        ),
        (
            [["K1", LAT0, LON0, 1000, -5, 0.5, 1.5]],
            CANDIDATE_COLUMNS,
            "candidates.csv, line 2, field 'yearly_cost_eur': must be at least 0 "
            "(got '-5')",
        ),
        (
            [["K1", LAT0, LON0, "", 1000, 0.5, 1.5]],
            CANDIDATE_COLUMNS,
            "candidates.csv, line 2, field 'capacity_tonnes': a value is required",
        ),
        (
            [[*CANDIDATES[0], "maybe"]],
            (*CANDIDATE_COLUMNS, "existing"),
            "candidates.csv, line 2, field 'existing': must be true or false "
            "(got 'maybe')",
        ),
        (
            [CANDIDATES[0][:-1]],
            CANDIDATE_COLUMNS[:-1],
            "candidates.csv, line 1: missing columns: handling_eur_per_tonne",
        ),
    ],
)
def test_bad_candidates(
    tmp_path: Path,
    rows: list[list[object]],
    columns: tuple[str, ...],
    message: str,
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    case = _case(tmp_path, rows, columns)
    code, out, err = _run(*_args(case, "--output", str(target)))
    assert code == 2
    assert out == ""
    assert err.splitlines() == ["Nothing was calculated or written.", message]
    assert target.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--max-sites", "-1"], "--max-sites: must be at least 0"),
        (["--years", "0"], "--years: must be more than 0"),
        (["--time-limit", "0"], "--time-limit: must be a finite number more than 0"),
        (["--mip-gap", "-1"], "--mip-gap: must be a finite number at least 0"),
        (
            ["--max-sites", "0"],
            "--max-sites: must be at least 1, the existing sites in candidates.csv",
        ),
    ],
)
def test_bad_flags(tmp_path: Path, extra: list[str], message: str) -> None:
    rows = [[*CANDIDATES[0], "yes"], [*CANDIDATES[1], ""]]
    case = _case(tmp_path, rows, (*CANDIDATE_COLUMNS, "existing"))
    target = tmp_path / "out.json"
    code, out, err = _run(*_args(case, *extra, "--output", str(target)))
    assert code == 2
    assert message in err.splitlines()
    assert not target.exists()


def test_solver_failure_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cirkelregio.engine.optimize import depots_cli
    from cirkelregio.engine.optimize.exchange import SolveError

    def fail(*args: object, **kwargs: object) -> None:
        raise SolveError("HiGHS found no optimal site choice")

    monkeypatch.setattr(depots_cli, "site_depots", fail)
    target = tmp_path / "out.json"
    code, out, err = _run(*_args(_case(tmp_path), "--output", str(target)))
    assert code == 3
    assert "HiGHS found no optimal site choice" in err
    assert not target.exists()
