# SPDX-License-Identifier: EUPL-1.2
"""Depot siting for the materials exchange (issue 4, "Depot siting"): which candidate
depot sites to open, given their yearly cost and capacity and the listings of past
years. A capacitated facility-location MILP on top of the exchange model of
docs/exchange-model.md, solved with HiGHS (highspy). The model is fixed here in writing
so that any solver finds the same optimum.

Inputs
------

The exchange's ``materials.csv``, ``supply.csv`` and ``demand.csv`` (the listings of
past years) and ``candidates.csv``::

    id,lat,lon,capacity_tonnes,yearly_cost_eur,storage_eur_per_tonne_week,
    handling_eur_per_tonne[,existing]

``existing`` (optional column; ``true``/``false``/``1``/``0``/``yes``/``no``, empty =
false) marks a site that is open already: it is forced open and its yearly cost is
counted like any other. Capacity, yearly cost, storage and handling must be at least 0.

Parameters: the exchange's (transport cost and MKI per tonne-km, detour factor,
maximum distance, MKI weight lambda) and

- ``max_sites`` N (optional): at most N sites open, existing ones included; N must be
  at least the number of existing sites.
- ``years`` Y > 0: how many years the listings span; the site cost of an open site is
  ``yearly_cost_eur x Y``. Default (:func:`default_years`): with ``first`` and ``last``
  the earliest and latest date in supply.csv and demand.csv, the smallest whole n >= 1
  with ``last < first + n calendar years`` (29 February plus n years is 28 February
  when that year has no 29 February); 1 when there are no listings. So the listings
  2024-01-01 .. 2024-12-31 span 1 year, 2024-01-01 .. 2025-01-01 span 2.

Model
-----

Weeks, distances, the cost c per tonne-km and the exchange's variables are those of
docs/exchange-model.md, in the reduced form of the exchange engine (``build_model``
with every candidate as a depot and ``crossdock="each"``, so that a pair too far apart
for a direct flow has a cross-dock column w[s,k,d] through every site within reach of
both; see the exchange module's "The reduced LP", which holds for every fixed set of
open sites). Added: a binary ``open[k]`` for every candidate k, with ``open[k] = 1``
for existing sites.

- supply, demand and stock-balance rows: as in the exchange.
- capacity: ``sum_m tpu(m) x I[k,m,t] <= capacity(k) x open[k]`` for every candidate
  and week it can hold stock (the exchange leaves the rows out for a site that could
  take every supply within reach at once; closed, the linking rows keep it empty).
- linking, one row per supply-candidate pair and per candidate-demand pair that has
  flow variables at all (allowed distance, windows)::

      y[s,k] + sum_d w[s,k,d] <= quantity(s) x open[k]
      z[k,d] + sum_s w[s,k,d] <= quantity(d) x open[k]

  Without them a closed site could still pass material through (a cross-dock holds
  no stock at the end of a week, so the capacity row alone does not stop it).
  Why this form: quantity(s) and quantity(d) are the smallest valid big-M values (the
  supply and demand rows already bound the sums by them), and a row per pair is
  tighter in the LP relaxation than one aggregated row per site (the classic strong
  facility-location formulation). The z rows are implied in integer solutions (no y
  and no stock means no z) but tighten the relaxation.
- at most N open: ``sum_k open[k] <= N`` when ``max_sites`` is given.

Objective (minimise, EUR): the exchange objective ``+ sum_k yearly_cost(k) x Y x
open[k]``. The problem is always feasible (every open[k] = existing, everything
disposed and bought new), and that plan is handed to HiGHS as the starting solution,
so a time limit always leaves a plan.

Solving and results
-------------------

HiGHS solves the MILP with ``mip_rel_gap`` = ``mip_gap`` (default 1e-6) and
``time_limit`` seconds (default 60). ``gap`` is None when HiGHS proved the optimum
within that gap, otherwise (stopped by the time limit) HiGHS's relative MIP gap of the
best plan found.

The open sites are the candidates with open[k] > 0.5, in the order of
candidates.csv. Their numbers are then recomputed with the exchange LP (``solve``) on
exactly those depots: ``total_cost_eur`` = that LP's objective + the open sites' site
cost (equal to the MILP objective when optimal, never worse when stopped early);
``baseline_eur`` = the exchange baseline (nothing reused: every supply disposed,
every demand bought new; no site cost); ``savings_eur`` = baseline - total cost.

"Each choice beside the others": ``alternatives`` lists, each evaluated with the
exchange LP in the same way, the site sets

1. the existing sites only (none open when there are no existing sites: direct reuse
   only),
2. the existing sites plus one other candidate k, for every non-existing candidate in
   the order of candidates.csv, where ``max_sites`` allows one more site,
3. the optimum, unless it is one of the above already,

each with ``total_cost_eur``, ``site_cost_eur``, ``reused_direct`` and
``reused_via_depot`` (tonnes delivered to demands straight from supplies and out of
depots: units x tonnes_per_unit over all materials; stock left at the end is not
reused) and ``savings_eur`` (against the baseline).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from numpy.typing import NDArray

from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    boolean,
    number,
    read_csv,
    text,
)
from cirkelregio.engine.optimize.exchange import (
    Demand,
    Depot,
    ExchangeProblem,
    ExchangeResult,
    LinearModel,
    Material,
    Parameters,
    SolveError,
    Supply,
    baseline,
    build_model,
    read_demand,
    read_materials,
    read_supply,
    solve,
)

__all__ = [
    "CANDIDATE_COLUMNS",
    "DEFAULT_MIP_GAP",
    "DEFAULT_TIME_LIMIT",
    "Alternative",
    "Candidate",
    "SitingModel",
    "SitingProblem",
    "SitingResult",
    "build_siting_model",
    "default_years",
    "evaluate_sites",
    "read_candidates",
    "read_siting_problem",
    "site_depots",
]

CANDIDATE_COLUMNS = (
    "id",
    "lat",
    "lon",
    "capacity_tonnes",
    "yearly_cost_eur",
    "storage_eur_per_tonne_week",
    "handling_eur_per_tonne",
)
"""Required columns of candidates.csv; ``existing`` is optional."""

DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MIP_GAP = 1e-6

FloatArray = NDArray[np.float64]

# Data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    id: str
    lat: float
    lon: float
    capacity_tonnes: float
    yearly_cost_eur: float
    storage_eur_per_tonne_week: float
    handling_eur_per_tonne: float
    existing: bool = False

    def depot(self) -> Depot:
        return Depot(
            self.id,
            self.lat,
            self.lon,
            self.capacity_tonnes,
            self.storage_eur_per_tonne_week,
            self.handling_eur_per_tonne,
        )


def _add_years(day: dt.date, n: int) -> dt.date:
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + n, day=28)


def default_years(supplies: Sequence[Supply], demands: Sequence[Demand]) -> int:
    """Whole years the listings span (see the module docstring); at least 1."""
    dates = [
        *(d for s in supplies for d in (s.available_from, s.available_until)),
        *(x for d in demands for x in (d.needed_from, d.needed_until)),
    ]
    if not dates:
        return 1
    first, last = min(dates), max(dates)
    n = max(1, last.year - first.year - 1)
    while not last < _add_years(first, n):
        n += 1
    return n


@dataclass(frozen=True)
class SitingProblem:
    materials: tuple[Material, ...]
    supplies: tuple[Supply, ...]
    demands: tuple[Demand, ...]
    candidates: tuple[Candidate, ...]
    parameters: Parameters = field(default_factory=Parameters)
    max_sites: int | None = None
    years: float | None = None
    """None: :func:`default_years`."""

    def __post_init__(self) -> None:
        ids = [k.id for k in self.candidates]
        if len(set(ids)) != len(ids):
            raise ValueError("candidate ids must be unique")
        if self.years is not None and not (
            math.isfinite(self.years) and self.years > 0
        ):
            raise ValueError("years must be a finite number more than 0")
        if self.max_sites is not None and self.max_sites < len(self.existing):
            raise ValueError(
                f"max_sites {self.max_sites} is less than the "
                f"{len(self.existing)} existing sites"
            )
        self.exchange(())  # the exchange's own checks

    @property
    def existing(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.candidates if k.existing)

    @property
    def site_years(self) -> float:
        if self.years is not None:
            return float(self.years)
        return float(default_years(self.supplies, self.demands))

    def ordered(self, sites: Iterable[str]) -> tuple[str, ...]:
        """``sites`` in the order of candidates.csv (unknown ids raise KeyError)."""
        chosen = set(sites)
        unknown = chosen - {k.id for k in self.candidates}
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        return tuple(k.id for k in self.candidates if k.id in chosen)

    def site_cost(self, sites: Iterable[str]) -> float:
        chosen = set(self.ordered(sites))
        y = self.site_years
        return math.fsum(
            k.yearly_cost_eur * y for k in self.candidates if k.id in chosen
        )

    def exchange(self, sites: Iterable[str]) -> ExchangeProblem:
        """The exchange with exactly ``sites`` as depots."""
        chosen = set(self.ordered(sites))
        return ExchangeProblem(
            self.materials,
            self.supplies,
            self.demands,
            tuple(k.depot() for k in self.candidates if k.id in chosen),
            self.parameters,
        )


# Reading ----------------------------------------------------------------------------

_TEXT = text(200)
_LAT = number(-90, 90)
_LON = number(-180, 180)
_NON_NEGATIVE = number(minimum=0)


def read_candidates(path: Path, c: Collector) -> tuple[Candidate, ...]:
    seen: dict[str, int | None] = {}
    out: list[Candidate] = []
    for row in read_csv(path, CANDIDATE_COLUMNS, c):
        before = len(c.problems)
        id_ = row.get("id", _TEXT)
        if id_ is not None:
            if id_ in seen:
                first = seen[id_]
                where = f" (first on line {first})" if first is not None else ""
                row.problem("id", f"duplicate id {id_!r}{where}")
            else:
                seen[id_] = row.line
        lat = row.get("lat", _LAT)
        lon = row.get("lon", _LON)
        capacity = row.get("capacity_tonnes", _NON_NEGATIVE)
        yearly = row.get("yearly_cost_eur", _NON_NEGATIVE)
        storage = row.get("storage_eur_per_tonne_week", _NON_NEGATIVE)
        handling = row.get("handling_eur_per_tonne", _NON_NEGATIVE)
        existing = row.get("existing", boolean, required=False)
        if len(c.problems) == before:
            assert id_ is not None and lat is not None and lon is not None
            assert capacity is not None and yearly is not None
            assert storage is not None and handling is not None
            out.append(
                Candidate(
                    id_,
                    lat,
                    lon,
                    capacity,
                    yearly,
                    storage,
                    handling,
                    bool(existing),
                )
            )
    return tuple(out)


def _flag_problems(max_sites: int | None, years: float | None) -> list[Problem]:
    out: list[Problem] = []
    if max_sites is not None and max_sites < 0:
        out.append(Problem("--max-sites", "must be at least 0"))
    if years is not None:
        if not math.isfinite(years):
            out.append(Problem("--years", "must be a finite number"))
        elif years <= 0:
            out.append(Problem("--years", "must be more than 0"))
    return out


def read_siting_problem(
    materials: Path,
    supply: Path,
    demand: Path,
    candidates: Path,
    parameters: Parameters | None = None,
    max_sites: int | None = None,
    years: float | None = None,
    c: Collector | None = None,
) -> SitingProblem:
    """Read the four files; raises DataLoadError with every problem found."""
    c = c if c is not None else Collector()
    parameters = parameters or Parameters()
    for p in [*parameters.problems(), *_flag_problems(max_sites, years)]:
        c.add(p)
    mats = read_materials(materials, c)
    names = [m.name for m in mats] if mats is not None else None
    supplies = read_supply(supply, names, c, materials.name)
    demands = read_demand(demand, names, c, materials.name)
    cands = read_candidates(candidates, c)
    n_existing = sum(k.existing for k in cands)
    if max_sites is not None and 0 <= max_sites < n_existing:
        c.add(
            Problem(
                "--max-sites",
                f"must be at least {n_existing}, the existing sites in "
                f"{candidates.name}",
            )
        )
    c.raise_if_any()
    assert mats is not None
    return SitingProblem(mats, supplies, demands, cands, parameters, max_sites, years)


# Model ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SitingModel:
    """The MILP: the exchange LP with every candidate as a depot (its columns first,
    unchanged), then one binary column open[k] per candidate in candidates.csv order
    (from ``open_offset``)."""

    base: LinearModel
    matrix: Any
    """scipy.sparse CSC array."""
    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    open_offset: int

    @property
    def num_columns(self) -> int:
        return int(self.matrix.shape[1])

    @property
    def num_rows(self) -> int:
        return int(self.matrix.shape[0])


def _pair_rows(
    a: NDArray[np.intp], b: NDArray[np.intp], n_b: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Row number (0..) of each column's (a, b) pair, and the pairs' a and b."""
    keys, inverse = np.unique(a * n_b + b, return_inverse=True)
    return inverse.astype(np.intp).reshape(-1), keys.astype(np.intp)


def build_siting_model(problem: SitingProblem) -> SitingModel:
    """The MILP of the module docstring as sparse matrices."""
    every = problem.exchange(k.id for k in problem.candidates)
    base = build_model(every, crossdock="each")
    n_k = len(problem.candidates)
    n_col0, n_row0 = base.num_columns, base.num_rows
    oo = n_col0
    o = base.offsets

    # Capacity rows are the exchange's only rows without a lower bound. Move
    # capacity(k) to -capacity(k) x open[k].
    cap_rows = np.nonzero(np.isneginf(base.row_lower))[0]
    assert np.array_equal(
        cap_rows, base.row_offsets["capacity"] + np.arange(len(base.capacity_depot))
    )
    row_upper = base.row_upper.copy()
    entries_r: list[NDArray[np.intp]] = []
    entries_c: list[NDArray[np.intp]] = []
    entries_v: list[FloatArray] = []
    if len(cap_rows):
        entries_r.append(cap_rows.astype(np.intp))
        entries_c.append((oo + base.capacity_depot).astype(np.intp))
        entries_v.append(-row_upper[cap_rows])
        row_upper[cap_rows] = 0.0
    # A depot whose capacity rows the exchange left out (it could never overflow)
    # needs none here either: closed, the linking rows below keep it empty.

    sq = np.array([s.quantity for s in problem.supplies], dtype=np.float64)
    dq = np.array([d.quantity for d in problem.demands], dtype=np.float64)
    n_d = len(problem.demands)
    r = n_row0
    w_cols = np.arange(o["w"], o["y"], dtype=np.intp)
    # y[s,k] + sum_d w[s,k,d] - quantity(s) open[k] <= 0, one row per (s, k).
    y_row, y_keys = _pair_rows(
        np.concatenate([base.y_supply, base.w_supply]),
        np.concatenate([base.y_depot, base.w_depot]),
        n_k,
    )
    n_y = len(y_keys)
    entries_r += [r + y_row, r + np.arange(n_y, dtype=np.intp)]
    entries_c += [
        np.concatenate([np.arange(o["y"], o["z"], dtype=np.intp), w_cols]),
        (oo + y_keys % n_k).astype(np.intp),
    ]
    entries_v += [np.ones(len(y_row)), -sq[y_keys // n_k]]
    r += n_y
    # z[k,d] + sum_s w[s,k,d] - quantity(d) open[k] <= 0, one row per (k, d).
    z_row, z_keys = _pair_rows(
        np.concatenate([base.z_depot, base.w_depot]),
        np.concatenate([base.z_demand, base.w_demand]),
        n_d,
    )
    n_z = len(z_keys)
    entries_r += [r + z_row, r + np.arange(n_z, dtype=np.intp)]
    entries_c += [
        np.concatenate([np.arange(o["z"], o["I"], dtype=np.intp), w_cols]),
        (oo + z_keys // max(n_d, 1)).astype(np.intp),
    ]
    entries_v += [np.ones(len(z_row)), -dq[z_keys % max(n_d, 1)]]
    r += n_z
    extra_upper = [np.zeros(n_y + n_z)]
    if problem.max_sites is not None:
        entries_r.append(np.full(n_k, r, dtype=np.intp))
        entries_c.append(oo + np.arange(n_k, dtype=np.intp))
        entries_v.append(np.ones(n_k))
        extra_upper.append(np.array([float(problem.max_sites)]))
        r += 1
    n_row, n_col = r, n_col0 + n_k

    added = sp.coo_array(
        (
            np.concatenate(entries_v) if entries_v else np.zeros(0),
            (
                np.concatenate(entries_r) if entries_r else np.zeros(0, np.intp),
                np.concatenate(entries_c) if entries_c else np.zeros(0, np.intp),
            ),
        ),
        shape=(n_row, n_col),
    )
    old = base.matrix.tocoo()
    matrix = (
        sp.coo_array((old.data, (old.row, old.col)), shape=(n_row, n_col)) + added
    ).tocsc()
    matrix.sort_indices()

    years = problem.site_years
    site = np.array([k.yearly_cost_eur * years for k in problem.candidates])
    existing = np.array([1.0 if k.existing else 0.0 for k in problem.candidates])
    cost = np.concatenate([base.cost, site])
    col_lower = np.concatenate([np.zeros(n_col0), existing])
    col_upper = np.concatenate([np.full(n_col0, np.inf), np.ones(n_k)])
    row_lower = np.concatenate([base.row_lower, np.full(n_row - n_row0, -np.inf)])
    row_upper = np.concatenate([row_upper, *extra_upper])
    return SitingModel(
        base=base,
        matrix=matrix,
        cost=cost.astype(np.float64),
        col_lower=col_lower,
        col_upper=col_upper,
        row_lower=row_lower,
        row_upper=row_upper.astype(np.float64),
        open_offset=oo,
    )


# Solving ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One set of open sites, evaluated with the exchange LP."""

    sites: tuple[str, ...]
    total_cost_eur: float
    site_cost_eur: float
    reused_direct: float
    """Tonnes delivered straight from supplies to demands."""
    reused_via_depot: float
    """Tonnes delivered out of depots."""
    savings_eur: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "sites": list(self.sites),
            "total_cost_eur": self.total_cost_eur,
            "site_cost_eur": self.site_cost_eur,
            "reused_direct": self.reused_direct,
            "reused_via_depot": self.reused_via_depot,
            "savings_eur": self.savings_eur,
        }


@dataclass(frozen=True)
class SitingResult:
    open_sites: tuple[str, ...]
    total_cost_eur: float
    site_cost_eur: float
    baseline_eur: float
    savings_eur: float
    gap: float | None
    """None: optimal within the MIP gap; else the gap when the time limit stopped."""
    years: float
    alternatives: tuple[Alternative, ...]
    plan: ExchangeResult
    """The exchange LP's plan with exactly the open sites as depots."""
    milp_objective_eur: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON output of ``cirkelregio exchange site-depots``."""
        return {
            "open_sites": list(self.open_sites),
            "total_cost_eur": self.total_cost_eur,
            "site_cost_eur": self.site_cost_eur,
            "baseline_eur": self.baseline_eur,
            "savings_eur": self.savings_eur,
            "gap": self.gap,
            "years": self.years,
            "alternatives": [a.to_dict() for a in self.alternatives],
        }


def _evaluate(
    problem: SitingProblem, sites: Iterable[str]
) -> tuple[Alternative, ExchangeResult]:
    chosen = problem.ordered(sites)
    exchange = problem.exchange(chosen)
    result = solve(exchange)
    site_cost = problem.site_cost(chosen)
    tpu = {m.name: m.tonnes_per_unit for m in problem.materials}
    total = result.objective_eur + site_cost
    alternative = Alternative(
        sites=chosen,
        total_cost_eur=total,
        site_cost_eur=site_cost,
        reused_direct=math.fsum(r.direct * tpu[m] for m, r in result.reused.items()),
        reused_via_depot=math.fsum(
            r.via_depot * tpu[m] for m, r in result.reused.items()
        ),
        savings_eur=result.baseline_eur - total,
    )
    return alternative, result


def evaluate_sites(problem: SitingProblem, sites: Iterable[str]) -> Alternative:
    """Exactly ``sites`` open (existing sites are not added): the exchange LP plus
    the site cost. Raises SolveError unless HiGHS reports an optimum."""
    return _evaluate(problem, sites)[0]


def _run_milp(
    model: SitingModel, problem: SitingProblem, time_limit: float, mip_gap: float
) -> tuple[FloatArray, float | None]:
    n = model.num_columns
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = model.num_rows
    lp.col_cost_ = model.cost
    lp.col_lower_ = model.col_lower
    lp.col_upper_ = np.where(
        np.isposinf(model.col_upper), highspy.kHighsInf, model.col_upper
    )
    lp.row_lower_ = np.where(
        np.isneginf(model.row_lower), -highspy.kHighsInf, model.row_lower
    )
    lp.row_upper_ = model.row_upper
    lp.integrality_ = [highspy.HighsVarType.kContinuous] * model.open_offset + [
        highspy.HighsVarType.kInteger
    ] * (n - model.open_offset)
    a = model.matrix
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = model.num_rows
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolveError("HiGHS refused the model")
    # Starting plan: only existing sites open, every supply disposed, every demand
    # bought new (feasible by construction).
    start = np.zeros(n)
    o = model.base.offsets
    start[o["u"] : o["v"]] = [s.quantity for s in problem.supplies]
    start[o["v"] : model.open_offset] = [d.quantity for d in problem.demands]
    start[model.open_offset :] = model.col_lower[model.open_offset :]
    solution = highspy.HighsSolution()
    solution.col_value = list(start)
    solution.value_valid = True
    h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    gap: float | None = None
    if status == highspy.HighsModelStatus.kTimeLimit:
        gap = float(h.getInfo().mip_gap)
    elif status != highspy.HighsModelStatus.kOptimal:
        raise SolveError(
            "HiGHS found no optimal site choice (status: "
            f"{h.modelStatusToString(status)}); nothing is returned"
        )
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if values.shape != (n,) or not np.all(np.isfinite(values)):
        raise SolveError("HiGHS returned no complete solution")
    return values, gap


def site_depots(
    problem: SitingProblem,
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = DEFAULT_MIP_GAP,
    alternatives: bool = True,
) -> SitingResult:
    """Solve the MILP, re-evaluate the chosen sites with the exchange LP and (unless
    ``alternatives`` is False) the alternatives of the module docstring."""
    model = build_siting_model(problem)
    values, gap = _run_milp(model, problem, time_limit, mip_gap)
    milp_objective = float(model.cost @ values)
    opened = values[model.open_offset :] > 0.5
    chosen = tuple(k.id for k, o in zip(problem.candidates, opened, strict=True) if o)
    best, plan = _evaluate(problem, chosen)

    rows: list[Alternative] = []
    if alternatives:
        existing = problem.existing
        sets: list[tuple[str, ...]] = [problem.ordered(existing)]
        if problem.max_sites is None or len(existing) < problem.max_sites:
            sets += [
                problem.ordered([*existing, k.id])
                for k in problem.candidates
                if not k.existing
            ]
        rows.extend(best if s == chosen else evaluate_sites(problem, s) for s in sets)
        if chosen not in sets:
            rows.append(best)
    return SitingResult(
        open_sites=chosen,
        total_cost_eur=best.total_cost_eur,
        site_cost_eur=best.site_cost_eur,
        baseline_eur=baseline(problem.exchange(())),
        savings_eur=best.savings_eur,
        gap=gap,
        years=problem.site_years,
        alternatives=tuple(rows),
        plan=plan,
        milp_objective_eur=milp_objective,
    )
