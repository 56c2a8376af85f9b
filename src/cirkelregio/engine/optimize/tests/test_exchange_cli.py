# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio exchange match``: outputs, and every input error of
docs/exchange-model.md with file, line and field, exit code 2 and nothing written."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cirkelregio.engine.optimize.exchange import read_problem
from cirkelregio.engine.optimize.exchange_cli import main
from cirkelregio.engine.optimize.tests.helpers import LAT0, LON0, north, write_case

MATERIALS = [["klinker", "st", 2.0, 30, 5, 4], ["tegel", "st", 1.0, 10, 1, 2]]
SUPPLY = [
    ["S1", "klinker", 100, LAT0, LON0, "2024-01-01", "2024-01-07"],
    ["S2", "klinker", 50, LAT0, LON0, "2024-01-01", "2024-01-14"],
]
DEMAND = [
    ["D1", "klinker", 100, north(10), LON0, "2024-01-01", "2024-01-07"],
    ["D2", "klinker", 50, north(20), LON0, "2024-01-15", "2024-01-21"],
]
DEPOTS = [["K1", north(10), LON0, 1000, 0.5, 1.5]]


@pytest.fixture
def case(tmp_path: Path) -> dict[str, Path]:
    return write_case(tmp_path, MATERIALS, SUPPLY, DEMAND, DEPOTS)


def _args(case: dict[str, Path], *extra: str) -> list[str]:
    out: list[str] = []
    for name in ("materials", "supply", "demand", "depots"):
        out += [f"--{name}", str(case[name])]
    return [*out, *extra]


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_dispatch_through_the_cirkelregio_command(case: dict[str, Path]) -> None:
    """``cirkelregio exchange match`` reaches this module (in a subprocess: the engine
    tests import nothing that imports Django)."""
    done = subprocess.run(
        [sys.executable, "-m", "cirkelregio.cli", "exchange", "match", *_args(case)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["objective_eur"] == pytest.approx(1344.0, abs=0.005)
    bad = subprocess.run(
        [sys.executable, "-m", "cirkelregio.cli", "exchange", "match", *_args(case)]
        + ["--max-distance-km", "-1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[1:] == ["--max-distance-km: must be at least 0"]


def test_json_output(case: dict[str, Path]) -> None:
    """S1 (week 0) -> D1 direct: 100 x 2 x 13 x 0.22 = 572.00. S2 (weeks 0-1) -> K1 in
    week 1 -> D2 in week 2: per unit 2 x (13 x 0.22 + 1.5) = 8.72 in, one week held
    2 x 0.5 = 1.00, 2 x 13 x 0.22 = 5.72 out: 50 x 15.44 = 772.00 (sending S2 to D1
    and S1 to the depot in week 0 would cost a second week of storage). Tiles: none.
    objective 1344.00; baseline 150 x 4 + 150 x 35 = 5850.00; savings 4506.00."""
    code, out, err = _run(*_args(case))
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == [
        "objective_eur",
        "baseline_eur",
        "savings_eur",
        "reused",
        "tonne_km",
        "transport_mki_eur",
        "new_mki_avoided_eur",
        "transport_co2_kg",
        "flows",
    ]
    assert data["objective_eur"] == pytest.approx(1344.00, abs=0.005)
    assert data["baseline_eur"] == pytest.approx(5850.00, abs=0.005)
    assert data["savings_eur"] == pytest.approx(4506.00, abs=0.005)
    assert data["reused"] == {
        "klinker": {"direct": pytest.approx(100.0), "via_depot": pytest.approx(50.0)},
        "tegel": {"direct": 0.0, "via_depot": 0.0},
    }
    assert data["tonne_km"] == pytest.approx(2600 + 2600)
    assert data["transport_mki_eur"] == pytest.approx(104.0)
    assert data["new_mki_avoided_eur"] == pytest.approx(750.0)
    assert data["transport_co2_kg"] is None
    assert [set(f) for f in data["flows"]] == [
        {"supply", "demand", "depot", "week_out", "week_in", "quantity"}
    ] * 3
    assert [
        (f["supply"], f["demand"], f["depot"], f["week_out"], f["week_in"])
        for f in data["flows"]
    ] == [
        ("S1", "D1", None, 0, 0),
        ("S2", None, "K1", 1, 1),
        (None, "D2", "K1", 2, 2),
    ]


def test_csv_output(case: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    code, out, _ = _run(*_args(case, "--format", "csv", "--output", str(target)))
    assert code == 0 and out == ""
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    summary = {r["key"]: r["value"] for r in rows if r["record"] == "summary"}
    assert summary["week0_monday"] == "2024-01-01"
    assert float(summary["objective_eur"]) == pytest.approx(1344.00, abs=0.005)
    flows = [r for r in rows if r["record"] == "flow"]
    assert [(r["supply"], r["demand"], r["depot"]) for r in flows] == [
        ("S1", "D1", ""),
        ("S2", "", "K1"),
        ("", "D2", "K1"),
    ]
    reused = {
        (r["record"], r["key"]): float(r["value"])
        for r in rows
        if r["record"].startswith("reused")
    }
    assert reused[("reused_via_depot", "klinker")] == pytest.approx(50.0)
    assert summary["transport_co2_kg"] == ""


def test_transport_co2_with_a_given_factor(case: dict[str, Path]) -> None:
    """5200 tonne-km x 0.1 kg/tkm = 520 kg; the plan itself does not change. A
    negative factor is refused, named by its flag."""
    code, out, err = _run(*_args(case, "--transport-co2-kg-per-tkm", "0.1"))
    assert code == 0, err
    data = json.loads(out)
    assert data["transport_co2_kg"] == pytest.approx(520.0)
    assert data["objective_eur"] == pytest.approx(1344.00, abs=0.005)
    code, out, err = _run(*_args(case, "--transport-co2-kg-per-tkm", "-1"))
    assert code == 2 and out == ""
    assert "--transport-co2-kg-per-tkm: must be at least 0" in err


def test_parameters_are_passed(case: dict[str, Path]) -> None:
    """--max-distance-km 10: every leg is 13 km, nothing moves: objective = baseline."""
    code, out, _ = _run(*_args(case, "--max-distance-km", "10"))
    assert code == 0
    data = json.loads(out)
    assert data["objective_eur"] == pytest.approx(5850.00, abs=0.005)
    assert data["flows"] == []


def test_deterministic(case: dict[str, Path], tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert _run(*_args(case, "--output", str(a)))[0] == 0
    assert _run(*_args(case, "--output", str(b)))[0] == 0
    assert a.read_bytes() == b.read_bytes()


BAD = [
    (
        "materials",
        [["klinker", "st", 2.0, 30, 5, 4], ["klinker", "st", 2.0, 30, 5, 4]],
        "materials.csv, line 3, field 'material': duplicate material 'klinker' "
        "(first on line 2)",
    ),
    (
        "supply",
        [["S1", "grind", 1, LAT0, LON0, "2024-01-01", "2024-01-07"]],
        "supply.csv, line 2, field 'material': unknown material 'grind' "
        "(not in materials.csv)",
    ),
    (
        "supply",
        [["S1", "klinker", -5, LAT0, LON0, "2024-01-01", "2024-01-07"]],
        "supply.csv, line 2, field 'quantity': must be at least 0 (got '-5')",
    ),
    (
        "demand",
        [["D1", "klinker", 1, LAT0, LON0, "2024-01-08", "2024-01-07"]],
        "demand.csv, line 2, field 'needed_until': lies before needed_from "
        "(2024-01-08)",
    ),
    (
        "demand",
        [["D1", "klinker", 1, 95, LON0, "2024-01-01", "2024-01-07"]],
        "demand.csv, line 2, field 'lat': must be at most 90 (got '95')",
    ),
    (
        "depots",
        [["K1", LAT0, -181, 10, 1, 1]],
        "depots.csv, line 2, field 'lon': must be at least -180 (got '-181')",
    ),
    (
        "supply",
        [
            ["S1", "klinker", 1, LAT0, LON0, "2024-01-01", "2024-01-07"],
            ["S1", "klinker", 1, LAT0, LON0, "2024-01-01", "2024-01-07"],
        ],
        "supply.csv, line 3, field 'id': duplicate id 'S1' (first on line 2)",
    ),
    (
        "demand",
        [["D1", "klinker", 1, LAT0, LON0, "2024-01-01", "2024/01/07"]],
        "demand.csv, line 2, field 'needed_until': must be a date YYYY-MM-DD "
        "(got '2024/01/07')",
    ),
]


@pytest.mark.parametrize(("which", "rows", "message"), BAD)
def test_bad_input(
    tmp_path: Path, which: str, rows: list[list[object]], message: str
) -> None:
    data = {
        "materials": MATERIALS,
        "supply": SUPPLY,
        "demand": DEMAND,
        "depots": DEPOTS,
    }
    data[which] = rows
    case = write_case(
        tmp_path, data["materials"], data["supply"], data["demand"], data["depots"]
    )
    target = tmp_path / "out.json"
    code, out, err = _run(*_args(case, "--output", str(target)))
    assert code == 2
    assert out == ""
    assert err == f"Nothing was calculated or written.\n{message}\n"
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "demand.csv",
        "depots.csv",
        "materials.csv",
        "supply.csv",
    ]


def test_missing_columns(case: dict[str, Path], tmp_path: Path) -> None:
    case["demand"].write_text(
        "id,material,lat,lon,needed_from,needed_until\n", encoding="utf-8"
    )
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    code, _, err = _run(*_args(case, "--output", str(target)))
    assert code == 2
    assert err.splitlines()[1:] == ["demand.csv, line 1: missing columns: quantity"]
    assert target.read_text(encoding="utf-8") == "previous"


def test_all_problems_are_collected(case: dict[str, Path]) -> None:
    case["supply"].write_text(
        "id,material,quantity,lat,lon,available_from,available_until\n"
        "S1,klinker,-5,52.0,5.0,2024-01-01,2023-12-31\n"
        "S1,tegel,5,95,5.0,2024-01-01,2024-01-07\n",
        encoding="utf-8",
    )
    code, _, err = _run(*_args(case, "--detour-factor", "0"))
    assert code == 2
    assert err.splitlines()[1:] == [
        "--detour-factor: must be more than 0",
        "supply.csv, line 2, field 'quantity': must be at least 0 (got '-5')",
        "supply.csv, line 2, field 'available_until': lies before available_from "
        "(2024-01-01)",
        "supply.csv, line 3, field 'id': duplicate id 'S1' (first on line 2)",
        "supply.csv, line 3, field 'lat': must be at most 90 (got '95')",
    ]


def test_missing_file(case: dict[str, Path], tmp_path: Path) -> None:
    case["depots"] = tmp_path / "nowhere.csv"
    code, _, err = _run(*_args(case))
    assert code == 2
    assert "nowhere.csv: cannot be read" in err


def test_read_problem_round_trip(case: dict[str, Path]) -> None:
    problem = read_problem(
        case["materials"], case["supply"], case["demand"], case["depots"]
    )
    assert [s.id for s in problem.supplies] == ["S1", "S2"]
    assert problem.material("klinker").tonnes_per_unit == 2.0
    assert problem.weeks == 3
