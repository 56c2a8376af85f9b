# SPDX-License-Identifier: EUPL-1.2
"""The command line: outputs, comparison, and every input error of docs/mki-method.md
with file, line and field, a non-zero exit code and nothing written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cirkelregio.engine.mki.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _base(case: dict[str, Path]) -> list[str]:
    return ["--profiles", str(case["profiles"]), "--weights", str(case["weights"])]


def test_json_output(case: dict[str, Path]) -> None:
    code, out, err = _run(*_base(case), "--bill", str(case["bill"]))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {
        "method",
        "reference_period",
        "replacement_rule",
        "include_module_d",
        "total_eur",
        "by_line",
        "by_element",
        "by_module",
        "by_indicator",
    }
    assert data["total_eur"] == pytest.approx(2724.00)
    assert data["by_module"]["D"] == pytest.approx(-250.00)


def test_options_change_the_result(case: dict[str, Path]) -> None:
    code, out, _ = _run(
        *_base(case),
        "--bill",
        str(case["bill"]),
        "--exclude-module-d",
        "--replacement-rule",
        "fractional",
        "--reference-period",
        "50",
    )
    assert code == 0
    # L1: 50/12 * 100 * 5.22 = 2175.00; L2: 364.00
    assert json.loads(out)["total_eur"] == pytest.approx(2175.00 + 364.00)


def test_csv_and_xlsx_outputs(case: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "uit.csv"
    assert (
        _run(
            *_base(case),
            "--bill",
            str(case["bill"]),
            "--format",
            "csv",
            "--output",
            str(target),
        )[0]
        == 0
    )
    rows = list(csv.DictReader(target.open()))
    assert rows[0] == {"breakdown": "total", "key": "", "mki_eur": "2724.0"}
    assert {
        r["key"]: float(r["mki_eur"]) for r in rows if r["breakdown"] == "element"
    } == {"Deklaag": 2360.0, "Opsluiting": 364.0}
    book = tmp_path / "uit.xlsx"
    assert (
        _run(
            *_base(case),
            "--bill",
            str(case["bill"]),
            "--format",
            "xlsx",
            "--output",
            str(book),
        )[0]
        == 0
    )
    sheet = load_workbook(book)["MKI"]
    assert [c.value for c in sheet[2]] == ["total", None, pytest.approx(2724.0)]


def test_compare_variants(case: dict[str, Path], tmp_path: Path) -> None:
    variant = tmp_path / "met-hergebruik.csv"
    variant.write_text(
        case["bill"].read_text().replace("L1,Deklaag,P1,100,12", "L1,Deklaag,P1,60,12")
    )
    code, out, err = _run(*_base(case), "--compare", str(case["bill"]), str(variant))
    assert code == 0, err
    data = json.loads(out)
    assert data["reference"] == "bill"
    # 40 t less: 5 * 40 * 4.72 = 944.00 less
    assert data["difference_eur"] == pytest.approx(
        {"bill": 0.0, "met-hergebruik": -944.00}
    )
    assert data["by_element"]["Deklaag"] == pytest.approx(
        {"bill": 2360.00, "met-hergebruik": 1416.00}
    )


def _fails(case: dict[str, Path], tmp_path: Path, *extra: str) -> str:
    target = tmp_path / "result.json"
    code, out, err = _run(
        *_base(case), "--bill", str(case["bill"]), "--output", str(target), *extra
    )
    assert code == 2
    assert out == ""
    assert not target.exists(), "nothing may be written on bad input"
    assert err.startswith("Nothing was calculated or written.")
    return err


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_unknown_profile(case: dict[str, Path], tmp_path: Path) -> None:
    _edit(case["bill"], "L2,Opsluiting,P2", "L2,Opsluiting,P9")
    assert "bill.csv, line 3, field 'profile_id': unknown profile 'P9'" in _fails(
        case, tmp_path
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "field 'quantity': must be 0 or more (got '-5')"),
        ("veel", "field 'quantity': must be a number (got 'veel')"),
    ],
)
def test_bad_quantity(
    case: dict[str, Path], tmp_path: Path, value: str, message: str
) -> None:
    _edit(case["bill"], "P2,200,", f"P2,{value},")
    assert f"bill.csv, line 3, {message}" in _fails(case, tmp_path)


@pytest.mark.parametrize("value", ["0", "-3"])
def test_bad_service_life(case: dict[str, Path], tmp_path: Path, value: str) -> None:
    _edit(case["bill"], "P1,100,12", f"P1,100,{value}")
    assert (
        f"bill.csv, line 2, field 'service_life_years': must be more than 0 years "
        f"(got '{value}')"
    ) in _fails(case, tmp_path)


def test_unknown_module(case: dict[str, Path], tmp_path: Path) -> None:
    _edit(case["profiles"], "t,1,C3,GWP", "t,1,C9,GWP")
    assert "profiles.csv, line 6, field 'module': unknown module 'C9'" in _fails(
        case, tmp_path
    )


def test_indicator_not_in_the_set(case: dict[str, Path], tmp_path: Path) -> None:
    _edit(case["profiles"], "A1-A3,HTP,10", "A1-A3,PM,10")
    assert (
        "profiles.csv, line 5, field 'indicator': indicator 'PM' is not defined by "
        "weighting set weights"
    ) in _fails(case, tmp_path)


def test_indicator_without_verified_factor(
    case: dict[str, Path], tmp_path: Path
) -> None:
    _edit(case["weights"], "HTP,kg 1.4-DB eq,0.09", "HTP,kg 1.4-DB eq,")
    assert "no verified factor for HTP" in _fails(case, tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("P1,Asfalt AC surf (test),t,1,C3", "P1,Asfalt AC surf (test),m2,1,C3", "unit"),
        ("P1,Asfalt AC surf (test),t,1,C3", "P1,Ander asfalt,t,1,C3", "name"),
        (
            "P1,Asfalt AC surf (test),t,1,C3",
            "P1,Asfalt AC surf (test),t,3,C3",
            "data_category",
        ),
    ],
)
def test_profile_rows_disagree(
    case: dict[str, Path], tmp_path: Path, old: str, new: str, field: str
) -> None:
    _edit(case["profiles"], old, new)
    assert f"profiles.csv, line 6, field '{field}': profile P1 has {field}" in _fails(
        case, tmp_path
    )


def test_missing_columns(case: dict[str, Path], tmp_path: Path) -> None:
    _edit(case["bill"], "quantity", "amount")
    assert "bill.csv, line 1: missing columns: quantity" in _fails(case, tmp_path)


def test_builtin_set_without_factors_asks_for_a_weights_file(
    case: dict[str, Path],
) -> None:
    """The shipped A1 set has no verified factors yet: the tool says so and how to
    continue, instead of calculating with guessed numbers."""
    code, _, err = _run(
        "--profiles",
        str(case["profiles"]),
        "--bill",
        str(case["bill"]),
        "--method",
        "nmd-a1",
    )
    assert code == 2
    assert "weighting set nmd-a1 has no verified factor for GWP" in err
    assert "--weights" in err
