# SPDX-License-Identifier: EUPL-1.2
"""The MKI arithmetic of docs/mki-method.md, pinned by hand-computed numbers.

Per tonne of P1 (test weights GWP 0.05, AP 4, EP 9, HTP 0.09):
  A1-A3: 60*0.05 + 0.2*4 + 0.03*9 + 10*0.09 = 3.00 + 0.80 + 0.27 + 0.90 = 4.97
  C3:    5*0.05 = 0.25;  D: -10*0.05 = -0.50;  whole profile 4.72, without D 5.22
Per metre of P2 (category 3, uplift 1.3): 20*0.05 + 0.1*4 = 1.40, uplifted 1.82
Bill, R = 50:
  L1 100 t, life 12: ceil(50/12) = 5 placements -> 5 * 100 * 4.72 = 2360.00
  L2 200 m, no life: 1 placement -> 200 * 1.3 * 1.40 = 364.00
  L3 0 t -> 0.00                                  total 2724.00
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cirkelregio.engine.dataio import Collector
from cirkelregio.engine.mki import (
    MODULES,
    Bill,
    MissingFactorError,
    Options,
    ProfileLibrary,
    WeightingSet,
    calculate,
    calculate_portfolio,
    placements,
    read_bill,
    read_profiles,
    read_weighting_set,
)


def _load(case: dict[str, Path]) -> tuple[WeightingSet, ProfileLibrary, Bill]:
    c = Collector()
    weights = read_weighting_set(case["weights"], "test", c)
    assert weights is not None
    library = read_profiles(case["profiles"], weights, c)
    assert library is not None
    bill = read_bill(case["bill"], library, c)
    assert bill is not None and not c.problems
    return weights, library, bill


def test_hand_computed_total_and_breakdowns(case: dict[str, Path]) -> None:
    weights, library, bill = _load(case)
    result = calculate(library, bill, weights)
    assert result.total_eur == pytest.approx(2724.00, abs=0.005)
    assert [round(line.mki_eur, 2) for line in result.by_line] == [
        2360.00,
        364.00,
        0.00,
    ]
    assert [line.placements for line in result.by_line] == [5, 1, 1]
    assert [line.uplift for line in result.by_line] == [1.0, 1.3, 1.0]
    assert result.by_element == pytest.approx(
        {"Deklaag": 2360.00, "Opsluiting": 364.00}
    )
    assert result.by_module == pytest.approx(
        {"A1-A3": 2849.00, "C3": 125.00, "D": -250.00}
    )
    assert result.by_indicator == pytest.approx(
        {"GWP": 1635.00, "AP": 504.00, "EP": 135.00, "HTP": 450.00}
    )


def test_without_module_d(case: dict[str, Path]) -> None:
    weights, library, bill = _load(case)
    result = calculate(library, bill, weights, Options(include_module_d=False))
    # L1: 5 * 100 * 5.22 = 2610.00
    assert result.total_eur == pytest.approx(2974.00, abs=0.005)
    assert "D" not in result.by_module


def test_fractional_replacement(case: dict[str, Path]) -> None:
    weights, library, bill = _load(case)
    result = calculate(library, bill, weights, Options(replacement_rule="fractional"))
    # L1: 50/12 * 100 * 4.72 = 1966.67; total 1966.67 + 364.00
    assert result.by_line[0].mki_eur == pytest.approx(50 / 12 * 472, abs=1e-9)
    assert result.total_eur == pytest.approx(2330.67, abs=0.005)


def test_reference_period_shorter_than_the_life(case: dict[str, Path]) -> None:
    weights, library, bill = _load(case)
    result = calculate(library, bill, weights, Options(reference_period=10))
    assert result.by_line[0].placements == 1
    assert result.total_eur == pytest.approx(472.00 + 364.00)


@pytest.mark.parametrize(
    ("life", "rule", "expected"),
    [
        (math.nan, "ceil", 1),
        (50, "ceil", 1),
        (60, "ceil", 1),
        (25, "ceil", 2),
        (20, "ceil", 3),
        (20, "fractional", 2.5),
        (7, "ceil", 8),
        (100, "fractional", 1),
    ],
)
def test_placements(life: float, rule: str, expected: float) -> None:
    assert placements(np.array([life]), 50, rule)[0] == pytest.approx(expected)  # type: ignore[arg-type]


def test_absent_factor_stops_the_calculation(case: dict[str, Path]) -> None:
    case["weights"].write_text(
        "indicator,unit,eur_per_unit,weighted,source\n"
        "GWP,kg CO2 eq,0.05,yes,test\nAP,kg SO2 eq,,yes,NOT VERIFIED\n"
        "EP,kg PO4 eq,9,yes,test\nHTP,kg 1.4-DB eq,0.09,yes,test\n"
    )
    weights, library, bill = _load(case)
    with pytest.raises(MissingFactorError, match="no verified factor for AP") as info:
        calculate(library, bill, weights)
    assert "--weights" in str(info.value)


def test_unweighted_indicators_count_zero(case: dict[str, Path]) -> None:
    case["weights"].write_text(
        "indicator,unit,eur_per_unit,weighted\nGWP,kg CO2 eq,0.05,yes\n"
        "AP,kg SO2 eq,4,no\nEP,kg PO4 eq,9,yes\nHTP,kg 1.4-DB eq,0.09,yes\n"
    )
    weights, library, bill = _load(case)
    result = calculate(library, bill, weights)
    assert result.by_indicator["AP"] == 0.0
    assert result.total_eur == pytest.approx(2724.00 - 504.00)


# Property tests against an independent, plain per-line implementation ---------------


def _plain(
    values: dict[tuple[str, str, str], float],
    category: dict[str, str],
    weights: dict[str, float],
    lines: list[tuple[str, float, float | None]],
    period: float,
    rule: str,
    with_d: bool,
) -> float:
    total = 0.0
    for profile, quantity, life in lines:
        if life is None or life >= period:
            n = 1.0
        else:
            n = math.ceil(period / life) if rule == "ceil" else period / life
        u = 1.3 if category[profile] == "3" else 1.0
        s = sum(
            v * weights[i]
            for (p, m, i), v in values.items()
            if p == profile and (with_d or m != "D")
        )
        total += n * quantity * u * s
    return total


@st.composite
def cases(draw: st.DrawFn) -> tuple:
    indicators = ["GWP", "AP", "EP"]
    weights = {i: draw(st.floats(0, 50)) for i in indicators}
    n_profiles = draw(st.integers(1, 4))
    values: dict[tuple[str, str, str], float] = {}
    category = {}
    for p in range(n_profiles):
        category[f"P{p}"] = draw(st.sampled_from(["1", "2", "3", "3a"]))
        for m in draw(
            st.lists(st.sampled_from(MODULES), min_size=1, max_size=4, unique=True)
        ):
            for i in indicators:
                values[(f"P{p}", m, i)] = draw(st.floats(-1e3, 1e3))
    lines = draw(
        st.lists(
            st.tuples(
                st.sampled_from(sorted(category)),
                st.floats(0, 1e4),
                st.one_of(st.none(), st.floats(0.5, 120)),
            ),
            min_size=1,
            max_size=12,
        )
    )
    period = draw(st.sampled_from([1.0, 30.0, 50.0, 75.0]))
    rule = draw(st.sampled_from(["ceil", "fractional"]))
    with_d = draw(st.booleans())
    return weights, values, category, lines, period, rule, with_d


@settings(max_examples=150, deadline=None)
@given(cases())
def test_agrees_with_a_plain_implementation(
    tmp_path_factory: pytest.TempPathFactory, data: tuple
) -> None:
    weights, values, category, lines, period, rule, with_d = data
    folder = tmp_path_factory.mktemp("mki")
    (folder / "w.csv").write_text(
        "indicator,unit,eur_per_unit\n"
        + "".join(f"{i},u,{w!r}\n" for i, w in weights.items())
    )
    (folder / "p.csv").write_text(
        "profile_id,name,unit,data_category,module,indicator,value\n"
        + "".join(
            f"{p},{p},t,{category[p]},{m},{i},{v!r}\n"
            for (p, m, i), v in values.items()
        )
    )
    (folder / "b.csv").write_text(
        "line_id,element,profile_id,quantity,service_life_years\n"
        + "".join(
            f"L{k},E{k % 3},{p},{q!r},{'' if life is None else repr(life)}\n"
            for k, (p, q, life) in enumerate(lines)
        )
    )
    weights_set, library, bill = _load(
        {
            "weights": folder / "w.csv",
            "profiles": folder / "p.csv",
            "bill": folder / "b.csv",
        }
    )
    options = Options(period, rule, with_d)  # type: ignore[arg-type]
    result = calculate(library, bill, weights_set, options)
    expected = _plain(values, category, weights, lines, period, rule, with_d)
    tolerance = 1e-9 * max(1.0, sum(abs(v) for v in values.values()) * 1e4 * 50 * 120)
    assert result.total_eur == pytest.approx(expected, rel=1e-9, abs=tolerance)
    for breakdown in (result.by_element, result.by_module, result.by_indicator):
        assert sum(breakdown.values()) == pytest.approx(
            result.total_eur, rel=1e-9, abs=tolerance
        )
    portfolio = calculate_portfolio(
        library,
        weights_set,
        np.zeros(len(bill), dtype=np.intp),
        bill.profile,
        bill.quantity,
        bill.service_life,
        options,
    )
    assert portfolio[0] == pytest.approx(result.total_eur, rel=1e-9, abs=tolerance)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("service_life", -5.0, "service lives"),
        ("service_life", 0.0, "service lives"),
        ("quantity", -1.0, "quantities"),
        ("profile", -1, "not in the library"),
        ("profile", 99, "not in the library"),
    ],
)
def test_portfolio_refuses_what_the_readers_refuse(
    case: dict[str, Path], field: str, value: float, message: str
) -> None:
    weights, library, bill = _load(case)
    arrays = {
        "profile": bill.profile.copy(),
        "quantity": bill.quantity.copy(),
        "service_life": bill.service_life.copy(),
    }
    arrays[field][0] = value
    with pytest.raises(ValueError, match=message):
        calculate_portfolio(
            library, weights, np.zeros(len(bill), dtype=np.intp), **arrays
        )


def test_portfolio_refuses_too_small_a_project_count(case: dict[str, Path]) -> None:
    weights, library, bill = _load(case)
    with pytest.raises(ValueError, match="n_projects"):
        calculate_portfolio(
            library,
            weights,
            np.arange(len(bill)),
            bill.profile,
            bill.quantity,
            bill.service_life,
            n_projects=2,
        )
