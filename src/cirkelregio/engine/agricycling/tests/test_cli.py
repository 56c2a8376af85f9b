# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio agricycling allocate`` and ``settle`` end to end on the example files,
and their messages on bad input (file, JSON path and field; exit code 2)."""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from cirkelregio.engine.agricycling.cli import EXIT_INPUT, allocate_main, settle_main

EXAMPLES = Path(__file__).resolve().parents[5] / "data/examples/agricycling"
MOWINGS = EXAMPLES / "mowings-example.json"
TARIFFS = EXAMPLES / "tariffs-example.json"


def run(main: Any, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_allocate_and_settle_the_example(tmp_path: Path) -> None:
    alloc_file = tmp_path / "allocation.json"
    code, _, err = run(
        allocate_main, [str(MOWINGS), "--mode", "whole", "--output", str(alloc_file)]
    )
    assert code == 0, err
    alloc = json.loads(alloc_file.read_text(encoding="utf-8"))
    assert alloc["mode"] == "whole" and alloc["status"] == "optimal"
    reasons = {u["parcel"]: u["reason"] for u in alloc["unplaced"]}
    # B-006 lies some 30 km from every farm.
    assert reasons["B-006"] == "no_farm_within_distance"
    assert alloc["parameters"]["transport_eur_per_tkm"] == 0.35
    statements = tmp_path / "statements"
    statements.mkdir()
    code, out, err = run(
        settle_main,
        [str(alloc_file), str(TARIFFS), "--statements-dir", str(statements)],
    )
    assert code == 0, err
    s = json.loads(out)
    placed = sum(Decimal(repr(p["tonnes"])) for p in alloc["placements"])
    # 32.50 EUR per placed tonne, to the cent.
    assert Decimal(s["fees_eur"]) == (placed * Decimal("32.5")).quantize(
        Decimal("0.01")
    )
    assert sum(Decimal(o["eur"]) for o in s["owners_pay"]) == Decimal(s["fees_eur"])
    assert sum(Decimal(m["eur"]) for m in s["member_shares"]) == Decimal(
        s["result_eur"]
    )
    files = sorted(p.name for p in statements.iterdir())
    assert "cooperative-cooperative.csv" in files
    assert "owner-Waterschap_Voorbeeld.csv" in files
    with (statements / "owner-Waterschap_Voorbeeld.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[-1]["description"] == "total"


def test_split_flags_override_the_file() -> None:
    code, out, _ = run(
        allocate_main, [str(MOWINGS), "--max-distance-km", "40", "--detour", "1"]
    )
    assert code == 0
    alloc = json.loads(out)
    assert alloc["parameters"]["max_distance_km"] == 40
    assert "no_farm_within_distance" not in {u["reason"] for u in alloc["unplaced"]}


def bad_copy(tmp_path: Path, change: Any) -> Path:
    data = json.loads(MOWINGS.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_bad_allocation_input(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["parcels"]["features"][0]["geometry"] = None
        d["parcels"]["features"][1]["properties"]["tonnes"] = -3
        d["farms"]["features"][2]["properties"]["capacity_t"] = 0
        del d["parameters"]["transport_eur_per_tkm"]

    path = bad_copy(tmp_path, change)
    out_file = tmp_path / "out.json"
    code, _, err = run(allocate_main, [str(path), "--output", str(out_file)])
    assert code == EXIT_INPUT
    assert not out_file.exists()
    assert "bad.json, $.parcels.features[0].geometry: has no geometry" in err
    assert (
        "bad.json, $.parcels.features[1].properties, field 'tonnes': must be at "
        "least 0 (got -3)" in err
    )
    assert (
        "bad.json, $.farms.features[2].properties, field 'capacity_t': must be more "
        "than 0 (got 0)" in err
    )
    assert (
        "bad.json, $.parameters, field 'transport_eur_per_tkm': a value is required"
        in err
    )


def test_duplicate_ids_and_bad_flag(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["farms"]["features"][1]["properties"]["id"] = "Farm Zuidkant"

    path = bad_copy(tmp_path, change)
    code, _, err = run(allocate_main, [str(path), "--time-limit", "0"])
    assert code == EXIT_INPUT
    assert "--time-limit: must be a finite number more than 0" in err
    code, _, err = run(allocate_main, [str(path)])
    assert code == EXIT_INPUT
    assert "$.farms.features[2].properties.id: duplicate id 'Farm Zuidkant'" in err


def test_missing_tariffs(tmp_path: Path) -> None:
    alloc_file = tmp_path / "allocation.json"
    assert run(allocate_main, [str(MOWINGS), "--output", str(alloc_file)])[0] == 0
    tariffs = tmp_path / "tariffs.json"
    tariffs.write_text(json.dumps({"season": "2026", "fee_eur_per_t": 30}))
    code, out, err = run(settle_main, [str(alloc_file), str(tariffs)])
    assert code == EXIT_INPUT and out == ""
    assert (
        "tariffs.json, $.composting_eur_per_t: is missing (a tariff is needed)" in err
    )
    assert "tariffs.json, $.transport_eur_per_tkm: is missing" in err


def test_the_cirkelregio_command(tmp_path: Path) -> None:
    """Through the ``cirkelregio`` entry point (ENGINE_COMMANDS), in a fresh
    interpreter: allocate, then settle."""
    alloc_file = tmp_path / "a.json"
    base = [sys.executable, "-m", "cirkelregio.cli", "agricycling"]
    proc = subprocess.run(
        [*base, "allocate", str(MOWINGS), "--output", str(alloc_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [*base, "settle", str(alloc_file), str(TARIFFS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["season"] == "2026"
    proc = subprocess.run(
        [*base, "settle", str(alloc_file), str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == EXIT_INPUT
    assert "missing.json: cannot be read" in proc.stderr
