# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio craftcentres plan`` end to end: the example file, the PC4 CSV, and
input problems named by file, JSON path or CSV line, with exit code 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cirkelregio.engine.craftcentres.cli import EXIT_INPUT, main, parse_p

ROOT = Path(__file__).resolve().parents[5]
EXAMPLE = ROOT / "data" / "examples" / "craftcentres" / "network-small.json"
PC4 = ROOT / "data" / "regions" / "nl-utrecht" / "pc4_centroids.csv"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_parse_p() -> None:
    assert parse_p("3") == [3]
    assert parse_p("1-4") == [1, 2, 3, 4]
    assert parse_p("5,1-2, 2") == [1, 2, 5]
    for bad in ("0", "3-1", "a", "1-"):
        with pytest.raises(ValueError):
            parse_p(bad)


def test_example_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    geo = tmp_path / "map.geojson"
    code, stdout, err = run(
        str(EXAMPLE), "--model", "both", "--p", "1-3", "--harvest", "--heuristics",
        "--output", str(out), "--geojson", str(geo),
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["points"] == 10 and doc["sites"] == 5
    assert doc["parameters"]["reusable_fraction"] == 0.03
    # 2 models x 3 p x (exact, greedy, greedy+swap)
    assert len(doc["networks"]) == 18 == len(doc["comparison"])
    first = doc["networks"][0]
    assert (first["model"], first["method"], first["p"]) == ("p-median", "highs", 1)
    assert first["open_sites"] == ["A"]  # the existing site; p = 1 leaves no choice
    assert first["population"] == 205000
    # 205,000 inhabitants x 146 kg = 29,930 t of bulky waste, 3 % of it 897.9 t.
    assert first["bulky_waste_tonnes"] == pytest.approx(29930.0)
    assert first["harvestable_tonnes"] == pytest.approx(897.9)
    assert len(first["assignment"]) == 10
    assert all(n["status"] in ("optimal", "heuristic") for n in doc["networks"])
    assert "covered %" in stdout
    features = json.loads(geo.read_text(encoding="utf-8"))["features"]
    assert len(features) == 18 * (5 + 10)


def test_stdout_and_default_p(tmp_path: Path) -> None:
    code, stdout, _ = run(str(EXAMPLE), "--model", "coverage", "--coverage-km", "5")
    assert code == 0
    doc = json.loads(stdout)
    assert [n["p"] for n in doc["networks"]] == [1, 2, 3, 4, 5]
    assert doc["parameters"]["coverage_km"] == 5
    assert doc["networks"][-1]["harvestable_tonnes"] == pytest.approx(897.9)


def test_points_from_the_pc4_csv(tmp_path: Path) -> None:
    data = {
        "sites": [
            {"id": "U", "name": "Utrecht (test)", "lat": 52.09, "lon": 5.12},
            {"id": "A", "name": "Amersfoort (test)", "lat": 52.16, "lon": 5.39},
        ]
    }
    code, stdout, err = run(
        str(write(tmp_path, data)), "--points", str(PC4), "--p", "2"
    )
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["points"] == 231
    # The 231 Utrecht PC4s hold 1,360,955 inhabitants (data/regions README).
    assert doc["networks"][0]["population"] == 1360955
    assert len(doc["networks"][0]["municipality_site"]) == 26


def test_via_the_cirkelregio_command() -> None:
    # In a fresh interpreter through the top-level command (no Django needed).
    done = subprocess.run(
        [sys.executable, "-m", "cirkelregio.cli", "craftcentres", "plan",
         str(EXAMPLE), "--p", "2"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["networks"][0]["p"] == 2


def test_bad_json_fields_are_named(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["points"][3]["population"] = -1
    doc["sites"][1]["lat"] = "north"
    doc["sites"][2]["colour"] = "red"
    out = tmp_path / "out.json"
    code, _, err = run(str(write(tmp_path, doc)), "--output", str(out))
    assert code == EXIT_INPUT
    assert (
        "in.json, $.points[3].population: must be a finite number of at least 0" in err
    )
    assert "in.json, $.sites[1].lat: must be a number" in err
    assert "in.json, $.sites[2]: unknown fields: colour" in err
    assert not out.exists()


def test_semantic_problems_and_flags(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del doc["parameters"]["reusable_fraction"]
    del doc["parameters"]["reusable_fraction_source"]
    doc["points"][0]["lat"] = 48.0
    code, _, err = run(str(write(tmp_path, doc)), "--harvest", "--p", "6")
    assert code == EXIT_INPUT
    assert "in.json, $.points[0]: (48.0, 5.12) lies outside the region box" in err
    assert "in.json, $.parameters.reusable_fraction: harvestable tonnes" in err
    assert "--p: p = 6 is more than the 5 candidate sites" in err
    code, _, err = run(str(EXAMPLE), "--p", "2-x", "--detour", "0.5")
    assert code == EXIT_INPUT
    assert "--p: '2-x' is not a number" in err and "--detour: must be" in err


def test_fraction_needs_its_source(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del doc["parameters"]["reusable_fraction_source"]
    code, _, err = run(str(write(tmp_path, doc)))
    assert code == EXIT_INPUT
    assert "$.parameters.reusable_fraction_source: is required" in err


def test_csv_problems_name_the_line(tmp_path: Path) -> None:
    csv = tmp_path / "pc4.csv"
    csv.write_text(
        "pc4,lat,lon,cbs_code,population\n"
        "3511,52.09,5.11,GM0344,5000\n"
        "3512,52.09,5.12,GM0344,-3\n"
        "35x3,52.09,5.13,Utrecht,10\n",
        encoding="utf-8",
    )
    data = {"sites": [{"id": "U", "lat": 52.09, "lon": 5.12}]}
    code, _, err = run(str(write(tmp_path, data)), "--points", str(csv), "--p", "1")
    assert code == EXIT_INPUT
    assert "pc4.csv, line 3, field 'population': must be at least 0" in err
    assert "pc4.csv, line 4, field 'pc4': must be a four-digit postcode" in err
    assert "pc4.csv, line 4, field 'cbs_code'" in err
    # A semantic problem of a CSV point is named by its line too.
    csv.write_text(
        "pc4,lat,lon,cbs_code,population\n3511,5.11,52.09,GM0344,5000\n",
        encoding="utf-8",
    )
    code, _, err = run(str(write(tmp_path, data)), "--points", str(csv), "--p", "1")
    assert code == EXIT_INPUT
    assert "pc4.csv, line 2: (5.11, 52.09) lies outside the region box" in err


def test_points_twice_and_not_json(tmp_path: Path) -> None:
    code, _, err = run(str(EXAMPLE), "--points", str(PC4))
    assert (
        code == EXIT_INPUT and "$.points: the demand points come from --points" in err
    )
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  nope", encoding="utf-8")
    code, _, err = run(str(bad))
    assert code == EXIT_INPUT and "bad.json, line 2: is not valid JSON" in err
