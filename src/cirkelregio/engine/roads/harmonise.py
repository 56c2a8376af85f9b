# SPDX-License-Identifier: EUPL-1.2
"""Asphalt mixture harmonisation (issue 6, part 4): which few standard mixtures should
serve every planned layer, the exact model of docs/planning-models.md section 3
(the design documents), solved with HiGHS (highspy) as a MILP.

Model
-----

Requirements r: a layer of a planned work with a required mixture class c(r), tonnes
t_r >= 0 and, where known, the asphalt plant and the period. Candidate standard
mixtures j with MKI m_j EUR per tonne. Admissibility: j may serve r with an
over-specification cost o_rj EUR per tonne; a candidate always serves its own class
with o = 0, and :class:`Substitution` rows add "class c may be served by mixture j at
o EUR per tonne". Admissibility and o depend on the class only: o_rj = o_{c(r)j}.

- With ``k``: choose a set S of at most k mixtures and assign every requirement to one
  admissible mixture in S; minimise sum_r t_r (m_j + o_rj).
- Without ``k`` (lexicographic): the fewest mixtures that admit every requirement, and
  among those sets the least cost.

A requirement with no admissible candidate is an input error naming it; a ``k`` below
the fewest mixtures that admit every requirement is an input error giving that
minimum (:class:`TooFewMixturesError`).

Solved model (ADR 0007): requirements of one class are aggregated, since for any S
they all go to the same cheapest admissible mixture in S. With classes c, T_c the
tonnes of class c and a_cj = m_j + o_cj::

    min   sum_(c,j) T_c a_cj x_cj
    s.t.  sum_j x_cj = 1            for every class c   (over its admissible j)
          x_cj <= y_j               for every admissible pair
          sum_j y_j <= k
          y_j in {0, 1}, 0 <= x_cj <= 1

Its size is classes x mixtures, whatever the number of requirements. Without k, a
set-cover MILP first (min sum_j y_j, every class covered) gives the fewest mixtures
k*, then the model above with k = k*. The chosen set is read from y; every class is
then assigned to its cheapest admissible mixture in that set (ties: the first in the
order of the mixtures), which is exactly optimal for that set, and every figure of
the result is computed from that assignment (so the figures are to the cent, not to
HiGHS's tolerances). The chosen mixtures are those the assignment uses.

Solving: HiGHS with ``time_limit`` seconds for all stages together and
``mip_rel_gap`` = ``mip_gap`` (default 1e-9). ``status`` is ``"optimal"`` when every
stage was proven optimal within that gap, ``"time_limit"`` when the limit stopped a
stage with a solution in hand (``gap`` then is HiGHS's relative MIP gap of that stage;
for the set-cover stage the gap is on the number of mixtures).

Figures ("today's spread", before and after): the distinct mixtures required (before:
the required classes; after: the chosen mixtures) and the tonnes per mixture per plant
and period. MKI before: every requirement with its own required mixture, where that is
a candidate (tonnes of classes that are no candidate are counted apart, in
``tonnes_without_candidate_before``); MKI after: sum t_r m_j of the assignment.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray

from cirkelregio.engine.inputs import (
    InputError,
    InputIssue,
    SolveError,
    json_records,
)

__all__ = [
    "DEFAULT_MIP_GAP",
    "DEFAULT_TIME_LIMIT",
    "Assignment",
    "HarmonisationInputError",
    "HarmonisationProblem",
    "HarmonisationResult",
    "InputIssue",
    "Mixture",
    "Requirement",
    "SolveError",
    "Spread",
    "SpreadRow",
    "Substitution",
    "TooFewMixturesError",
    "assignment_cost",
    "check",
    "minimum_mixtures",
    "problem_from_dict",
    "solve",
]

DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MIP_GAP = 1e-9

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# Data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """A layer of a planned work."""

    id: str
    mixture: str
    """The required mixture class (a candidate's id or any other class name)."""
    tonnes: float
    plant: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Mixture:
    """A candidate standard mixture."""

    id: str
    mki_eur_per_tonne: float


@dataclass(frozen=True)
class Substitution:
    """Mixture ``serving`` may serve requirements of class ``required`` at
    ``over_spec_eur_per_tonne`` on top of its MKI."""

    required: str
    serving: str
    over_spec_eur_per_tonne: float


class HarmonisationInputError(InputError):
    """One or more problems in the input; nothing was solved."""


class TooFewMixturesError(HarmonisationInputError):
    """``k`` is less than the fewest mixtures that admit every requirement."""

    def __init__(self, k: int, minimum: int) -> None:
        self.k = k
        self.minimum = minimum
        super().__init__(
            [
                InputIssue(
                    "k",
                    f"no {k} mixtures admit every requirement: at least {minimum} "
                    f"are needed (the minimum k is {minimum})",
                )
            ]
        )


@dataclass(frozen=True)
class HarmonisationProblem:
    requirements: tuple[Requirement, ...]
    mixtures: tuple[Mixture, ...]
    substitutions: tuple[Substitution, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "requirements", tuple(self.requirements))
        object.__setattr__(self, "mixtures", tuple(self.mixtures))
        object.__setattr__(self, "substitutions", tuple(self.substitutions))

    def over_spec(self) -> dict[str, dict[str, float]]:
        """Admissibility: class -> {serving mixture id: over-spec EUR per tonne}, the
        serving mixtures in the order of ``mixtures`` (for valid input)."""
        known = {m.id for m in self.mixtures}
        table: dict[str, dict[str, float]] = {}
        for m in self.mixtures:
            table.setdefault(m.id, {})[m.id] = 0.0
        for s in self.substitutions:
            table.setdefault(s.required, {})[s.serving] = s.over_spec_eur_per_tonne
        order = {m.id: i for i, m in enumerate(self.mixtures)}
        return {
            c: dict(
                sorted(
                    ((j, o) for j, o in row.items() if j in known),
                    key=lambda item: order[item[0]],
                )
            )
            for c, row in table.items()
        }


def _finite(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def check(problem: HarmonisationProblem, k: int | None = None) -> list[InputIssue]:
    """Every problem of the input (empty when it can be solved, ``k`` permitting)."""
    issues: list[InputIssue] = []
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        issues.append(InputIssue("k", "must be a whole number of at least 1"))
    mixture_ids: dict[str, int] = {}
    for i, m in enumerate(problem.mixtures):
        if m.id in mixture_ids:
            issues.append(
                InputIssue(
                    f"mixtures[{i}].id",
                    f"duplicate mixture {m.id!r} (first at mixtures"
                    f"[{mixture_ids[m.id]}])",
                )
            )
        else:
            mixture_ids[m.id] = i
        if not _finite(m.mki_eur_per_tonne) or m.mki_eur_per_tonne < 0:
            issues.append(
                InputIssue(
                    f"mixtures[{i}].mki_eur_per_tonne",
                    "must be a finite number of at least 0",
                )
            )
    pairs: dict[tuple[str, str], int] = {}
    for i, s in enumerate(problem.substitutions):
        where = f"substitutions[{i}]"
        if s.serving not in mixture_ids:
            issues.append(
                InputIssue(
                    f"{where}.serving",
                    f"unknown mixture {s.serving!r}: not in mixtures",
                )
            )
        # ``required`` may name any class: a substitution table is a standing
        # catalogue, and a class no requirement asks for today does no harm.
        if not (isinstance(s.required, str) and s.required.strip()):
            issues.append(InputIssue(f"{where}.required", "must be non-empty text"))
        if not _finite(s.over_spec_eur_per_tonne) or s.over_spec_eur_per_tonne < 0:
            issues.append(
                InputIssue(
                    f"{where}.over_spec_eur_per_tonne",
                    "must be a finite number of at least 0",
                )
            )
        elif s.required == s.serving and s.over_spec_eur_per_tonne != 0:
            issues.append(
                InputIssue(
                    f"{where}.over_spec_eur_per_tonne",
                    "must be 0: a mixture serves its own class at no "
                    "over-specification cost",
                )
            )
        key = (s.required, s.serving)
        if key in pairs:
            issues.append(
                InputIssue(
                    where,
                    f"duplicate substitution {s.required!r} -> {s.serving!r} "
                    f"(first at substitutions[{pairs[key]}])",
                )
            )
        else:
            pairs[key] = i
    admissible = problem.over_spec()
    seen: dict[str, int] = {}
    for i, r in enumerate(problem.requirements):
        where = f"requirements[{i}]"
        if r.id in seen:
            issues.append(
                InputIssue(
                    f"{where}.id",
                    f"duplicate requirement {r.id!r} (first at requirements"
                    f"[{seen[r.id]}])",
                )
            )
        else:
            seen[r.id] = i
        if not _finite(r.tonnes) or r.tonnes < 0:
            issues.append(
                InputIssue(f"{where}.tonnes", "must be a finite number of at least 0")
            )
        if not admissible.get(r.mixture):
            issues.append(
                InputIssue(
                    f"{where}.mixture",
                    f"requirement {r.id!r}: no candidate mixture may serve its "
                    f"required mixture {r.mixture!r} (it is not a candidate and no "
                    "substitution names it)",
                )
            )
    return issues


# Reading (the JSON format of docs/roads.md) ------------------------------------------


def _text(value: Any, path: str, issues: list[InputIssue]) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    issues.append(InputIssue(path, "must be non-empty text"))
    return None


def _optional_label(value: Any, path: str, issues: list[InputIssue]) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        issues.append(InputIssue(path, "must be text, a whole number or null"))
        return None
    label = str(value).strip()
    return label or None


def _number(value: Any, path: str, issues: list[InputIssue]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        issues.append(InputIssue(path, f"must be a number (got {value!r})"))
        return None
    if not math.isfinite(value) or value < 0:
        issues.append(
            InputIssue(path, f"must be a finite number of at least 0 (got {value!r})")
        )
        return None
    return float(value)


def _records(
    data: Mapping[str, Any], key: str, fields: Sequence[str], issues: list[InputIssue]
) -> list[tuple[str, Mapping[str, Any]]]:
    return json_records(
        data, key, fields, issues, default=[] if key == "substitutions" else None
    )


def problem_from_dict(data: Any) -> HarmonisationProblem:
    """The problem of a parsed JSON document (docs/roads.md, "Mixture harmonisation —
    file format"). Raises HarmonisationInputError with every problem found, each
    with its JSON path, including those of :func:`check` (without k)."""
    issues: list[InputIssue] = []
    if not isinstance(data, dict):
        raise HarmonisationInputError([InputIssue("", "must be a JSON object")])
    unknown = sorted(
        set(data) - {"mixtures", "substitutions", "requirements", "note", "source"}
    )
    if unknown:
        issues.append(InputIssue("", "unknown fields: " + ", ".join(unknown)))
    mixtures: list[Mixture] = []
    for where, item in _records(
        data, "mixtures", ("id", "mki_eur_per_tonne", "name", "note"), issues
    ):
        id_ = _text(item.get("id"), f"{where}.id", issues)
        mki = _number(
            item.get("mki_eur_per_tonne"), f"{where}.mki_eur_per_tonne", issues
        )
        if id_ is not None and mki is not None:
            mixtures.append(Mixture(id_, mki))
    substitutions: list[Substitution] = []
    for where, item in _records(
        data,
        "substitutions",
        ("required", "serving", "over_spec_eur_per_tonne", "note"),
        issues,
    ):
        req = _text(item.get("required"), f"{where}.required", issues)
        srv = _text(item.get("serving"), f"{where}.serving", issues)
        cost = _number(
            item.get("over_spec_eur_per_tonne"),
            f"{where}.over_spec_eur_per_tonne",
            issues,
        )
        if req is not None and srv is not None and cost is not None:
            substitutions.append(Substitution(req, srv, cost))
    requirements: list[Requirement] = []
    for where, item in _records(
        data,
        "requirements",
        (
            "id",
            "mixture",
            "tonnes",
            "plant",
            "period",
            "work",
            "authority",
            "layer",
            "note",
        ),
        issues,
    ):
        id_ = _text(item.get("id"), f"{where}.id", issues)
        mix = _text(item.get("mixture"), f"{where}.mixture", issues)
        tonnes = _number(item.get("tonnes"), f"{where}.tonnes", issues)
        plant = _optional_label(item.get("plant"), f"{where}.plant", issues)
        period = _optional_label(item.get("period"), f"{where}.period", issues)
        if id_ is not None and mix is not None and tonnes is not None:
            requirements.append(Requirement(id_, mix, tonnes, plant, period))
    if issues:
        # Indexes of check() would no longer match the file once a record is left
        # out, so the semantic checks wait until the fields themselves are right.
        raise HarmonisationInputError(issues)
    problem = HarmonisationProblem(
        tuple(requirements), tuple(mixtures), tuple(substitutions)
    )
    issues = check(problem)
    if issues:
        raise HarmonisationInputError(issues)
    return problem


# Result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    requirement: str
    mixture: str
    """The serving mixture."""
    tonnes: float
    mki_eur: float
    over_spec_eur: float


@dataclass(frozen=True)
class SpreadRow:
    plant: str | None
    period: str | None
    tonnes: dict[str, float]
    """Mixture -> tonnes, in the order of first appearance."""

    @property
    def mixtures(self) -> int:
        return len(self.tonnes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plant": self.plant,
            "period": self.period,
            "mixtures": self.mixtures,
            "tonnes": dict(self.tonnes),
        }


@dataclass(frozen=True)
class Spread:
    """Distinct mixtures and tonnes per mixture, overall and per plant and period."""

    mixtures: int
    tonnes: dict[str, float]
    by_plant_period: tuple[SpreadRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "mixtures": self.mixtures,
            "tonnes": dict(self.tonnes),
            "by_plant_period": [r.to_dict() for r in self.by_plant_period],
        }


def _spread(requirements: Sequence[Requirement], mixture_of: Sequence[str]) -> Spread:
    total: dict[str, list[float]] = {}
    cells: dict[tuple[str | None, str | None], dict[str, list[float]]] = {}
    for r, j in zip(requirements, mixture_of, strict=True):
        total.setdefault(j, []).append(r.tonnes)
        cells.setdefault((r.plant, r.period), {}).setdefault(j, []).append(r.tonnes)

    def key(pp: tuple[str | None, str | None]) -> tuple[bool, str, bool, str]:
        return (pp[0] is None, pp[0] or "", pp[1] is None, pp[1] or "")

    return Spread(
        mixtures=len(total),
        tonnes={j: math.fsum(t) for j, t in total.items()},
        by_plant_period=tuple(
            SpreadRow(pp[0], pp[1], {j: math.fsum(t) for j, t in cells[pp].items()})
            for pp in sorted(cells, key=key)
        ),
    )


@dataclass(frozen=True)
class HarmonisationResult:
    status: str
    """``"optimal"`` or ``"time_limit"``."""
    gap: float | None
    """None when optimal; else HiGHS's relative MIP gap of the stage that stopped."""
    k: int | None
    """The k asked for; None for the lexicographic problem."""
    minimum_mixtures: int | None
    """The fewest mixtures that admit every requirement, where it was computed (always
    for the lexicographic problem)."""
    chosen: tuple[str, ...]
    """The mixtures used, in the order of the input."""
    assignments: tuple[Assignment, ...]
    """One per requirement, in the order of the input."""
    total_cost_eur: float
    mki_eur: float
    over_spec_eur: float
    mki_before_eur: float
    tonnes_without_candidate_before: float
    spread_before: Spread
    spread_after: Spread
    seconds: float = field(default=0.0, compare=False)

    @property
    def assignment(self) -> dict[str, str]:
        """Requirement id -> serving mixture id."""
        return {a.requirement: a.mixture for a in self.assignments}

    def to_dict(self) -> dict[str, Any]:
        """The JSON output of ``cirkelregio roads harmonise`` (docs/roads.md)."""
        return {
            "status": self.status,
            "gap": self.gap,
            "k": self.k,
            "minimum_mixtures": self.minimum_mixtures,
            "chosen": list(self.chosen),
            "total_cost_eur": self.total_cost_eur,
            "mki_eur": self.mki_eur,
            "over_spec_eur": self.over_spec_eur,
            "mki_before_eur": self.mki_before_eur,
            "tonnes_without_candidate_before": self.tonnes_without_candidate_before,
            "spread_before": self.spread_before.to_dict(),
            "spread_after": self.spread_after.to_dict(),
            "assignments": [
                {
                    "requirement": a.requirement,
                    "mixture": a.mixture,
                    "tonnes": a.tonnes,
                    "mki_eur": a.mki_eur,
                    "over_spec_eur": a.over_spec_eur,
                }
                for a in self.assignments
            ],
        }


# Model ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Aggregate:
    """Classes (in order of first requirement) and their admissible pairs."""

    classes: tuple[str, ...]
    tonnes: FloatArray
    """T_c per class."""
    pair_class: IntArray
    pair_mixture: IntArray
    pair_cost: FloatArray
    """a_cj = m_j + o_cj per tonne."""
    pair_over: FloatArray


def _aggregate(problem: HarmonisationProblem) -> _Aggregate:
    table = problem.over_spec()
    index = {m.id: i for i, m in enumerate(problem.mixtures)}
    mki = [m.mki_eur_per_tonne for m in problem.mixtures]
    tonnes: dict[str, list[float]] = {}
    for r in problem.requirements:
        tonnes.setdefault(r.mixture, []).append(r.tonnes)
    classes = tuple(tonnes)
    pc: list[int] = []
    pm: list[int] = []
    po: list[float] = []
    for c, name in enumerate(classes):
        for j, o in table[name].items():
            pc.append(c)
            pm.append(index[j])
            po.append(o)
    over = np.array(po, dtype=np.float64)
    mixture = np.array(pm, dtype=np.intp)
    return _Aggregate(
        classes=classes,
        tonnes=np.array([math.fsum(tonnes[c]) for c in classes], dtype=np.float64),
        pair_class=np.array(pc, dtype=np.intp),
        pair_mixture=mixture,
        pair_cost=np.asarray(mki, dtype=np.float64)[mixture] + over,
        pair_over=over,
    )


def _highs(time_limit: float, mip_gap: float) -> highspy.Highs:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", 1)
    return h


def _run(
    h: highspy.Highs,
    n_col: int,
    cost: FloatArray,
    upper: FloatArray,
    integer: NDArray[np.bool_],
    rows: list[tuple[list[int], list[float], float, float]],
) -> tuple[str, FloatArray | None, float | None]:
    """Pass a MILP (rows as (columns, values, lower, upper)) and solve it.
    Returns ("optimal" | "time_limit" | "infeasible", values, gap)."""
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = len(rows)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_col)
    lp.col_upper_ = upper
    lp.row_lower_ = np.array([-inf if math.isinf(lo) else lo for _, _, lo, _ in rows])
    lp.row_upper_ = np.array([inf if math.isinf(up) else up for _, _, _, up in rows])
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
        for i in integer
    ]
    start = [0]
    index: list[int] = []
    value: list[float] = []
    for cols, vals, _, _ in rows:
        index += cols
        value += vals
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n_col
    lp.a_matrix_.num_row_ = len(rows)
    lp.a_matrix_.start_ = np.array(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolveError("HiGHS refused the model")
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, None
    if status not in (
        highspy.HighsModelStatus.kOptimal,
        highspy.HighsModelStatus.kTimeLimit,
    ):
        raise SolveError(
            "HiGHS found no solution (status: "
            f"{h.modelStatusToString(status)}); nothing is returned"
        )
    info = h.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        if status == highspy.HighsModelStatus.kTimeLimit:
            raise SolveError(
                "the time limit stopped HiGHS before it found any solution; "
                "nothing is returned (allow more time)"
            )
        raise SolveError("HiGHS returned no feasible solution")
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal", values, None
    return "time_limit", values, float(info.mip_gap)


def _cover(
    agg: _Aggregate, n_mix: int, time_limit: float, mip_gap: float
) -> tuple[str, int, float | None]:
    """The fewest mixtures that admit every class (set cover)."""
    rows: list[tuple[list[int], list[float], float, float]] = []
    for c in range(len(agg.classes)):
        js = agg.pair_mixture[agg.pair_class == c].tolist()
        rows.append((js, [1.0] * len(js), 1.0, math.inf))
    # Start: every mixture that serves anything (feasible for valid input).
    status, values, gap = _run(
        _highs(time_limit, mip_gap),
        n_mix,
        np.ones(n_mix),
        np.ones(n_mix),
        np.ones(n_mix, dtype=np.bool_),
        rows,
    )
    if values is None:  # cannot happen for input that passed check()
        raise SolveError("no set of mixtures admits every requirement")
    return status, int(round(float(values.sum()))), gap


def _choose(
    agg: _Aggregate, n_mix: int, k: int, time_limit: float, mip_gap: float
) -> tuple[str, NDArray[np.bool_] | None, float | None]:
    """The MILP of the module docstring; the chosen y (None when infeasible)."""
    n_pair = len(agg.pair_class)
    n_col = n_mix + n_pair
    cost = np.concatenate([np.zeros(n_mix), agg.tonnes[agg.pair_class] * agg.pair_cost])
    rows: list[tuple[list[int], list[float], float, float]] = []
    for c in range(len(agg.classes)):
        ps = (n_mix + np.nonzero(agg.pair_class == c)[0]).tolist()
        rows.append((ps, [1.0] * len(ps), 1.0, 1.0))
    rows.extend(
        ([n_mix + p, int(j)], [1.0, -1.0], -math.inf, 0.0)
        for p, j in enumerate(agg.pair_mixture)
    )
    rows.append((list(range(n_mix)), [1.0] * n_mix, -math.inf, float(k)))
    integer = np.concatenate([np.ones(n_mix, np.bool_), np.zeros(n_pair, np.bool_)])
    status, values, gap = _run(
        _highs(time_limit, mip_gap), n_col, cost, np.ones(n_col), integer, rows
    )
    if values is None:
        return status, None, None
    return status, values[:n_mix] > 0.5, gap


def _assign(agg: _Aggregate, chosen: NDArray[np.bool_]) -> IntArray:
    """Each class's cheapest admissible chosen mixture (first in order on ties)."""
    out = np.full(len(agg.classes), -1, dtype=np.intp)
    best = np.full(len(agg.classes), np.inf)
    for c, j, a in zip(
        agg.pair_class.tolist(),
        agg.pair_mixture.tolist(),
        agg.pair_cost.tolist(),
        strict=True,
    ):
        if chosen[j] and (a < best[c] or (a == best[c] and j < out[c])):
            best[c] = a
            out[c] = j
    if np.any(out < 0):
        raise SolveError(
            "HiGHS returned a set of mixtures that leaves a class unserved"
        )
    return out


def minimum_mixtures(
    problem: HarmonisationProblem, time_limit: float = DEFAULT_TIME_LIMIT
) -> int:
    """The fewest mixtures that admit every requirement (0 without requirements).
    Raises HarmonisationInputError for invalid input, SolveError when the time limit
    stops HiGHS before it proves the minimum."""
    issues = check(problem)
    if issues:
        raise HarmonisationInputError(issues)
    if not problem.requirements:
        return 0
    status, count, _ = _cover(
        _aggregate(problem), len(problem.mixtures), time_limit, 0.0
    )
    if status != "optimal":
        raise SolveError("the time limit stopped HiGHS before it proved the minimum")
    return count


def assignment_cost(
    problem: HarmonisationProblem, assignment: Mapping[str, str]
) -> tuple[float, float]:
    """(MKI EUR, over-spec EUR) of an assignment requirement id -> mixture id; raises
    KeyError for a requirement without an admissible mixture in it."""
    table = problem.over_spec()
    mki = {m.id: m.mki_eur_per_tonne for m in problem.mixtures}
    a: list[float] = []
    o: list[float] = []
    for r in problem.requirements:
        j = assignment[r.id]
        if j not in table[r.mixture]:
            raise KeyError(f"{j!r} may not serve requirement {r.id!r}")
        a.append(r.tonnes * mki[j])
        o.append(r.tonnes * table[r.mixture][j])
    return math.fsum(a), math.fsum(o)


def solve(
    problem: HarmonisationProblem,
    k: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = DEFAULT_MIP_GAP,
) -> HarmonisationResult:
    """At most ``k`` mixtures at least cost, or (``k`` None) the fewest mixtures and
    among those the least cost. Raises HarmonisationInputError (TooFewMixturesError
    when k is below the minimum) or SolveError."""
    began = time.perf_counter()
    issues = check(problem, k)
    if not (math.isfinite(time_limit) and time_limit > 0):
        issues.append(InputIssue("time_limit", "must be a finite number more than 0"))
    if not (math.isfinite(mip_gap) and mip_gap >= 0):
        issues.append(InputIssue("mip_gap", "must be a finite number of at least 0"))
    if issues:
        raise HarmonisationInputError(issues)
    n_mix = len(problem.mixtures)

    def left() -> float:
        return time_limit - (time.perf_counter() - began)

    status, gap, minimum = "optimal", None, None
    chosen_y: NDArray[np.bool_] | None
    if not problem.requirements:
        chosen_y = np.zeros(n_mix, dtype=np.bool_)
        minimum = 0
    else:
        agg = _aggregate(problem)
        status, count, gap = _cover(agg, n_mix, left(), mip_gap)
        if status == "optimal":
            minimum = count
            if k is not None and k < count:
                raise TooFewMixturesError(k, count)
        s2, chosen_y, g2 = _choose(
            agg, n_mix, count if k is None else k, left(), mip_gap
        )
        if s2 == "infeasible":
            assert k is not None  # k = a feasible count is never infeasible
            raise TooFewMixturesError(k, minimum_mixtures(problem, max(left(), 1.0)))
        if s2 != "optimal" and status == "optimal":
            status, gap = s2, g2
        if chosen_y is None:
            raise SolveError("HiGHS found the problem infeasible")
    return _result(
        problem, k, status, gap, minimum, chosen_y, time.perf_counter() - began
    )


def _result(
    problem: HarmonisationProblem,
    k: int | None,
    status: str,
    gap: float | None,
    minimum: int | None,
    chosen_y: NDArray[np.bool_],
    seconds: float,
) -> HarmonisationResult:
    mixtures = problem.mixtures
    serving: dict[str, str] = {}
    if problem.requirements:
        agg = _aggregate(problem)
        per_class = _assign(agg, chosen_y)
        serving = {c: mixtures[per_class[i]].id for i, c in enumerate(agg.classes)}
    table = problem.over_spec()
    mki = {m.id: m.mki_eur_per_tonne for m in mixtures}
    assignments = tuple(
        Assignment(
            r.id,
            serving[r.mixture],
            r.tonnes,
            r.tonnes * mki[serving[r.mixture]],
            r.tonnes * table[r.mixture][serving[r.mixture]],
        )
        for r in problem.requirements
    )
    used = {a.mixture for a in assignments}
    mki_total = math.fsum(a.mki_eur for a in assignments)
    over_total = math.fsum(a.over_spec_eur for a in assignments)
    before = [r for r in problem.requirements if r.mixture in mki]
    return HarmonisationResult(
        status=status,
        gap=gap,
        k=k,
        minimum_mixtures=minimum,
        chosen=tuple(m.id for m in mixtures if m.id in used),
        assignments=assignments,
        total_cost_eur=math.fsum(
            [*(a.mki_eur for a in assignments), *(a.over_spec_eur for a in assignments)]
        ),
        mki_eur=mki_total,
        over_spec_eur=over_total,
        mki_before_eur=math.fsum(r.tonnes * mki[r.mixture] for r in before),
        tonnes_without_candidate_before=math.fsum(
            r.tonnes for r in problem.requirements if r.mixture not in mki
        ),
        spread_before=_spread(
            problem.requirements, [r.mixture for r in problem.requirements]
        ),
        spread_after=_spread(problem.requirements, [a.mixture for a in assignments]),
        seconds=seconds,
    )
