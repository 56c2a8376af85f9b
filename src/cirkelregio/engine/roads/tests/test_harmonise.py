# SPDX-License-Identifier: EUPL-1.2
"""Mixture harmonisation (docs/planning-models.md section 3): hand-computed instances,
random instances against a brute-force enumeration of the mixture sets and against a
per-requirement MILP written here independently, input errors, and the command line."""

from __future__ import annotations

import io
import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from cirkelregio.engine.roads.harmonise import (
    HarmonisationInputError,
    HarmonisationProblem,
    HarmonisationResult,
    Mixture,
    Requirement,
    Substitution,
    TooFewMixturesError,
    assignment_cost,
    check,
    minimum_mixtures,
    problem_from_dict,
    solve,
)
from cirkelregio.engine.roads.harmonise_cli import EXIT_INPUT, main

EXAMPLE = Path(__file__).resolve().parents[5] / (
    "data/examples/roads/harmonise-small.json"
)

# A: 100 t of class A, 50 t of B, 10 t of C (C is no candidate).
SMALL = HarmonisationProblem(
    (
        Requirement("r1", "A", 100, "P1", "2027"),
        Requirement("r2", "B", 50, "P1", "2027"),
        Requirement("r3", "C", 10),
    ),
    (Mixture("A", 10), Mixture("B", 8), Mixture("D", 20)),
    (
        Substitution("A", "D", 1),
        Substitution("B", "A", 2),
        Substitution("C", "D", 0.5),
        Substitution("C", "B", 3),
    ),
)


def _cents(x: float) -> float:
    return round(x, 2)


# Hand-computed instances -------------------------------------------------------


def test_small_lexicographic_by_hand() -> None:
    # C needs D or B; A alone covers A and B, nothing covers all three: 2 mixtures.
    # Pairs: {A,B}: 100x10 + 50x8 + 10x(8+3) = 1510; {A,D}: 1000 + 50x(10+2) +
    # 10x(20+0.5) = 1805; {B,D}: 100x(20+1) + 400 + 10x(8+3) = 2610 (C to B, 11 < 20.5).
    result = solve(SMALL)
    assert result.status == "optimal" and result.gap is None
    assert result.minimum_mixtures == 2
    assert result.chosen == ("A", "B")
    assert result.assignment == {"r1": "A", "r2": "B", "r3": "B"}
    assert _cents(result.total_cost_eur) == 1510.00
    assert _cents(result.mki_eur) == 1480.00  # 1000 + 400 + 80
    assert _cents(result.over_spec_eur) == 30.00  # 10 t x 3
    # Before: r1 on A (1000), r2 on B (400); C is no candidate (10 t apart).
    assert _cents(result.mki_before_eur) == 1400.00
    assert result.tonnes_without_candidate_before == 10.0


def test_small_with_k() -> None:
    assert _cents(solve(SMALL, k=2).total_cost_eur) == 1510.00
    # With 3 mixtures C could go to D at 20.5/t, but B at 11/t stays cheaper.
    three = solve(SMALL, k=3)
    assert _cents(three.total_cost_eur) == 1510.00 and three.chosen == ("A", "B")
    with pytest.raises(TooFewMixturesError) as info:
        solve(SMALL, k=1)
    assert info.value.minimum == 2 and info.value.k == 1
    assert "minimum k is 2" in str(info.value)


def test_more_mixtures_can_cost_more_lexicographic_takes_fewest() -> None:
    # One mixture S serves both classes at over-spec 5/t; X and Y serve their own.
    # Fewest: {S} at 10x(1+5) + 10x(1+5) = 120; with k = 2, {X, Y} at 10x2 + 10x2 = 40.
    p = HarmonisationProblem(
        (Requirement("a", "X", 10), Requirement("b", "Y", 10)),
        (Mixture("X", 2), Mixture("Y", 2), Mixture("S", 1)),
        (Substitution("X", "S", 5), Substitution("Y", "S", 5)),
    )
    lexi = solve(p)
    assert lexi.chosen == ("S",) and _cents(lexi.total_cost_eur) == 120.00
    assert _cents(lexi.over_spec_eur) == 100.00
    two = solve(p, k=2)
    assert two.chosen == ("X", "Y") and _cents(two.total_cost_eur) == 40.00
    assert two.minimum_mixtures == 1


def test_example_file_by_hand() -> None:
    p = problem_from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    # Surface classes AC 11 surf, AC 16 surf and SMA-NL 8B are all served by SMA-NL
    # 11B, the bin and base classes by AC 16 bin; no one mixture serves both groups.
    # {SMA, bin}: 220x13.8 + 280x14.4 + 90x13.5 + 310x7.9 + 400x9.0 + 260x8.3
    # + 180x8.6 = 3036 + 4032 + 1215 + 2449 + 3600 + 2158 + 1548 = 18038.
    lexi = solve(p)
    assert lexi.minimum_mixtures == 2
    assert lexi.chosen == ("SMA-NL 11B", "AC 16 bin")
    assert _cents(lexi.total_cost_eur) == 18038.00
    assert _cents(lexi.over_spec_eur) == 1519.00  # 264+504+81+0+440+104+126
    # k = 3 adds AC 11 surf: AC 11 surf 220x10.4 = 2288 and AC 16 surf 280x10.9 =
    # 3052 instead of 3036 + 4032: 18038 - 7068 + 5340 = 16310.
    assert _cents(solve(p, k=3).total_cost_eur) == 16310.00
    # k = 4 adds AC 22 base: 400x6.5 = 2600 (not 3600), 180x6.6 = 1188 (not 1548).
    four = solve(p, k=4)
    assert _cents(four.total_cost_eur) == 14950.00
    assert four.chosen == ("AC 11 surf", "SMA-NL 11B", "AC 16 bin", "AC 22 base")
    # Before: 220x10.4 + 310x7.9 + 280x9.8 + 400x6.5 = 10081; SMA-NL 8B, AC 22 bin
    # and AC 16 base (90 + 260 + 180 t) are no candidates.
    assert _cents(lexi.mki_before_eur) == 10081.00
    assert lexi.tonnes_without_candidate_before == 530.0
    # Today's spread: 7 mixtures; Plant Noord 2027 asks 4, after harmonising 2.
    assert lexi.spread_before.mixtures == 7 and lexi.spread_after.mixtures == 2
    rows = {(r.plant, r.period): r for r in lexi.spread_after.by_plant_period}
    before = {(r.plant, r.period): r for r in lexi.spread_before.by_plant_period}
    assert before[("Plant Noord", "2027")].mixtures == 4
    assert rows[("Plant Noord", "2027")].tonnes == {
        "SMA-NL 11B": 370.0,
        "AC 16 bin": 710.0,
    }
    assert rows[("Plant Zuid", "2028")].tonnes == {
        "SMA-NL 11B": 220.0,
        "AC 16 bin": 260.0,
    }
    assert rows[(None, "2028")].tonnes == {"AC 16 bin": 180.0}
    assert list(rows)[-1] == (None, "2028")  # unknown plant last


def test_no_requirements() -> None:
    result = solve(HarmonisationProblem((), (Mixture("A", 1),)))
    assert result.chosen == () and result.total_cost_eur == 0.0
    assert result.minimum_mixtures == 0


def test_zero_tonnes_still_needs_a_mixture() -> None:
    p = HarmonisationProblem(
        (Requirement("a", "X", 10), Requirement("b", "Y", 0)),
        (Mixture("X", 1), Mixture("Y", 1)),
    )
    result = solve(p)
    assert result.chosen == ("X", "Y") and result.total_cost_eur == 10.0
    with pytest.raises(TooFewMixturesError):
        solve(p, k=1)


# Brute force and the per-requirement MILP ---------------------------------------


def _random_problem(rng: np.random.Generator, n_req: int) -> HarmonisationProblem:
    n_mix = int(rng.integers(1, 7))
    n_extra = int(rng.integers(0, 3))  # classes that are no candidate
    mixtures = tuple(
        Mixture(f"M{j}", float(rng.integers(0, 5000)) / 100) for j in range(n_mix)
    )
    classes = [m.id for m in mixtures] + [f"C{i}" for i in range(n_extra)]
    reqs = tuple(
        Requirement(
            f"r{i}",
            classes[int(rng.integers(0, len(classes)))],
            float(rng.integers(0, 50000)) / 100,
            f"P{int(rng.integers(0, 2))}",
            str(2027 + int(rng.integers(0, 2))),
        )
        for i in range(n_req)
    )
    subs: list[Substitution] = []
    for c in classes:
        servers = [m.id for m in mixtures if m.id != c and rng.random() < 0.35]
        if c.startswith("C") and not servers:
            servers = [mixtures[int(rng.integers(0, n_mix))].id]
        subs += [
            Substitution(c, j, float(rng.integers(0, 1000)) / 100) for j in servers
        ]
    return HarmonisationProblem(reqs, mixtures, tuple(subs))


def _brute_force(p: HarmonisationProblem, k: int | None) -> tuple[int, float] | None:
    """(number of mixtures, least cost) by enumerating every set of mixtures: for k,
    every set of at most k; without k, the sets of the fewest size that serve all.
    Per requirement, its cheapest admissible mixture in the set. None: no set."""
    mki = {m.id: m.mki_eur_per_tonne for m in p.mixtures}
    adm: dict[str, dict[str, float]] = {m.id: {m.id: 0.0} for m in p.mixtures}
    for s in p.substitutions:
        adm.setdefault(s.required, {})[s.serving] = s.over_spec_eur_per_tonne
    ids = [m.id for m in p.mixtures]
    sizes = range(1, len(ids) + 1) if k is None else range(1, min(k, len(ids)) + 1)
    best: tuple[int, float] | None = None
    for size in sizes:
        for subset in itertools.combinations(ids, size):
            total = 0.0
            for r in p.requirements:
                options = [
                    r.tonnes * (mki[j] + o)
                    for j, o in adm.get(r.mixture, {}).items()
                    if j in subset
                ]
                if not options:
                    break
                total += min(options)
            else:
                if best is None or total < best[1]:
                    best = (size, total)
        if k is None and best is not None:
            return best
    return best


def _check_result(p: HarmonisationProblem, result: HarmonisationResult) -> None:
    """The result is an assignment of the model and its figures are its own."""
    assert [a.requirement for a in result.assignments] == [r.id for r in p.requirements]
    mki_eur, over_eur = assignment_cost(p, result.assignment)  # KeyError: inadmissible
    assert result.mki_eur == pytest.approx(mki_eur, rel=1e-12, abs=1e-9)
    assert result.over_spec_eur == pytest.approx(over_eur, rel=1e-12, abs=1e-9)
    assert result.total_cost_eur == pytest.approx(mki_eur + over_eur, abs=1e-9)
    assert set(result.chosen) == set(result.assignment.values())
    if result.k is not None:
        assert len(result.chosen) <= result.k


@pytest.mark.parametrize("seed", range(120))
def test_random_against_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = _random_problem(rng, int(rng.integers(1, 9)))
    expected = _brute_force(p, None)
    assert expected is not None  # every class has a server by construction
    lexi = solve(p)
    _check_result(p, lexi)
    assert lexi.status == "optimal"
    assert lexi.minimum_mixtures == expected[0] == len(lexi.chosen)
    assert lexi.total_cost_eur == pytest.approx(expected[1], rel=1e-9, abs=1e-6)
    assert minimum_mixtures(p) == expected[0]
    k = int(rng.integers(1, len(p.mixtures) + 1))
    with_k = _brute_force(p, k)
    if with_k is None:
        with pytest.raises(TooFewMixturesError) as info:
            solve(p, k=k)
        assert info.value.minimum == expected[0] > k
    else:
        result = solve(p, k=k)
        _check_result(p, result)
        assert result.total_cost_eur == pytest.approx(with_k[1], rel=1e-9, abs=1e-6)


def _per_requirement_milp(p: HarmonisationProblem, k: int | None) -> float:
    """The model as written, one binary x[r, j] per admissible requirement-mixture
    pair, solved with scipy's milp; without k first the fewest mixtures (every
    requirement covered), then the least cost at that number."""
    mki = {m.id: m.mki_eur_per_tonne for m in p.mixtures}
    col = {m.id: j for j, m in enumerate(p.mixtures)}
    adm: dict[str, dict[str, float]] = {m.id: {m.id: 0.0} for m in p.mixtures}
    for s in p.substitutions:
        adm.setdefault(s.required, {})[s.serving] = s.over_spec_eur_per_tonne
    n_mix = len(p.mixtures)
    pairs = [
        (i, col[j], r.tonnes * (mki[j] + o))
        for i, r in enumerate(p.requirements)
        for j, o in adm[r.mixture].items()
    ]
    n = n_mix + len(pairs)
    if k is None:
        cover = sp.lil_array((len(p.requirements), n_mix))
        for i, j, _ in pairs:
            cover[i, j] = 1
        res = milp(
            np.ones(n_mix),
            integrality=np.ones(n_mix),
            bounds=Bounds(0, 1),
            constraints=[LinearConstraint(cover.tocsr(), 1, np.inf)],
        )
        assert res.success
        k = round(res.fun)
    a = sp.lil_array((len(p.requirements) + len(pairs) + 1, n))
    for q, (i, j, _) in enumerate(pairs):
        a[i, n_mix + q] = 1
        a[len(p.requirements) + q, n_mix + q] = 1
        a[len(p.requirements) + q, j] = -1
    a[len(p.requirements) + len(pairs), :n_mix] = 1
    lower = np.r_[np.ones(len(p.requirements)), np.full(len(pairs) + 1, -np.inf)]
    upper = np.r_[np.ones(len(p.requirements)), np.zeros(len(pairs)), k]
    res = milp(
        np.r_[np.zeros(n_mix), [c for _, _, c in pairs]],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        constraints=[LinearConstraint(a.tocsr(), lower, upper)],
        options={"mip_rel_gap": 1e-9},
    )
    assert res.success
    return float(res.fun)


@pytest.mark.parametrize("seed", range(30))
def test_aggregated_equals_per_requirement_model(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    p = _random_problem(rng, int(rng.integers(10, 40)))
    lexi = solve(p)
    _check_result(p, lexi)
    assert lexi.total_cost_eur == pytest.approx(
        _per_requirement_milp(p, None), rel=1e-8, abs=1e-6
    )
    k = max(lexi.minimum_mixtures or 1, int(rng.integers(1, len(p.mixtures) + 1)))
    result = solve(p, k=k)
    _check_result(p, result)
    assert result.total_cost_eur == pytest.approx(
        _per_requirement_milp(p, k), rel=1e-8, abs=1e-6
    )


# Input errors -------------------------------------------------------------------


def _paths(exc: HarmonisationInputError) -> list[str]:
    return [i.path for i in exc.issues]


def test_input_errors_name_the_field() -> None:
    p = HarmonisationProblem(
        (
            Requirement("r1", "A", -5),
            Requirement("r2", "Z", 10),
            Requirement("r1", "A", 1),
        ),
        (Mixture("A", 1), Mixture("A", 2)),
        (
            Substitution("A", "Q", 1),
            Substitution("", "A", 1),
            Substitution("A", "A", 2),
        ),
    )
    issues = {i.path: i.message for i in check(p, k=0)}
    assert "k" in issues
    assert "duplicate mixture 'A'" in issues["mixtures[1].id"]
    assert "unknown mixture 'Q'" in issues["substitutions[0].serving"]
    assert "non-empty" in issues["substitutions[1].required"]
    assert "must be 0" in issues["substitutions[2].over_spec_eur_per_tonne"]
    assert "at least 0" in issues["requirements[0].tonnes"]
    assert "requirement 'r2'" in issues["requirements[1].mixture"]
    assert "'Z'" in issues["requirements[1].mixture"]
    assert "duplicate requirement 'r1'" in issues["requirements[2].id"]
    with pytest.raises(HarmonisationInputError) as info:
        solve(p)
    assert "requirements[1].mixture" in _paths(info.value)
    assert "k" not in _paths(info.value)


@pytest.mark.parametrize("k", [0, -1])
def test_k_below_one(k: int) -> None:
    with pytest.raises(HarmonisationInputError) as info:
        solve(SMALL, k=k)
    assert _paths(info.value) == ["k"]
    assert not isinstance(info.value, TooFewMixturesError)


def test_problem_from_dict_paths() -> None:
    data = {
        "mixtures": [{"id": "A", "mki_eur_per_tonne": "ten"}, {"id": ""}],
        "substitutions": [{"required": "A", "serving": "A"}],
        "requirements": [{"id": "r1", "mixture": "A", "tonnes": -1, "extra": 1}, 3],
        "k": 2,
    }
    with pytest.raises(HarmonisationInputError) as info:
        problem_from_dict(data)
    paths = _paths(info.value)
    for expected in (
        "",
        "mixtures[0].mki_eur_per_tonne",
        "mixtures[1].id",
        "mixtures[1].mki_eur_per_tonne",
        "substitutions[0].over_spec_eur_per_tonne",
        "requirements[0].tonnes",
        "requirements[0]",
        "requirements[1]",
    ):
        assert expected in paths, expected
    with pytest.raises(HarmonisationInputError) as info:
        problem_from_dict({"mixtures": [], "requirements": {}})
    assert _paths(info.value) == ["requirements"]
    with pytest.raises(HarmonisationInputError) as info:
        problem_from_dict(
            {
                "mixtures": [{"id": "A", "mki_eur_per_tonne": 1}],
                "requirements": [{"id": "w", "mixture": "B", "tonnes": 1}],
            }
        )
    assert _paths(info.value) == ["requirements[0].mixture"]
    assert "requirement 'w'" in str(info.value)


# Command line -----------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_example_to_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, err = _run(str(EXAMPLE), "--k", "3", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["status"] == "optimal" and data["gap"] is None and data["k"] == 3
    assert data["total_cost_eur"] == pytest.approx(16310.0, abs=0.005)
    assert data["chosen"] == ["AC 11 surf", "SMA-NL 11B", "AC 16 bin"]
    assert len(data["assignments"]) == 8
    assert data["assignments"][0] == {
        "requirement": "W01-deklaag",
        "mixture": "AC 11 surf",
        "tonnes": 220.0,
        "mki_eur": pytest.approx(2288.0),
        "over_spec_eur": 0.0,
    }
    assert data["spread_before"]["mixtures"] == 7
    assert data["spread_after"]["mixtures"] == 3


def test_cli_k_too_small_and_bad_flags(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, err = _run(str(EXAMPLE), "--k", "1", "--output", str(target))
    assert code == EXIT_INPUT and out == "" and not target.exists()
    assert "--k" in err and "minimum k is 2" in err
    code, _, err = _run(str(EXAMPLE), "--k", "0", "--time-limit", "-1")
    assert code == EXIT_INPUT and "--k: must be at least 1" in err
    assert "--time-limit" in err


def test_cli_bad_input_names_file_and_path(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["requirements"][2]["tonnes"] = -3
    data["substitutions"][0]["serving"] = "AC 99 surf"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = _run(str(bad))
    assert code == EXIT_INPUT and out == ""
    assert (
        "bad.json, $.requirements[2].tonnes: must be a finite number of at least 0"
        in err
    )
    data["requirements"][2]["tonnes"] = 3
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = _run(str(bad))
    assert code == EXIT_INPUT
    assert "bad.json, $.substitutions[0].serving: unknown mixture 'AC 99 surf'" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, _, err = _run(str(broken))
    assert code == EXIT_INPUT and "broken.json" in err and "not valid JSON" in err
    code, _, err = _run(str(tmp_path / "missing.json"))
    assert code == EXIT_INPUT and "missing.json" in err


def test_cli_through_cirkelregio_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cirkelregio.cli", "roads", "harmonise", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["minimum_mixtures"] == 2
    assert math.isclose(data["total_cost_eur"], 18038.0, abs_tol=0.005)
