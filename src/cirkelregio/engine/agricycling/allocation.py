# SPDX-License-Identifier: EUPL-1.2
"""Agricycling allocation (issue 7): which mowings go to which composting farm, the
exact model of docs/planning-models.md section 1 (the design documents), solved with
HiGHS (highspy): a transportation LP when a parcel may be split over farms, a MILP
(generalised assignment with an "unplaced" option) when each parcel goes whole to one
farm.

Model
-----

Parcels p (owner, point = centroid of its geometry, tonnes w_p this season, the
owner's alternative cost a_p EUR per tonne for mowings that are not placed); farms f
(point, capacity C_f tonnes this season); maximum distance D km on the detoured
distance dist(p, f) = haversine(p, f) x detour factor; transport cost c EUR per
tonne-km.

- split: x_pf >= 0 for dist(p,f) <= D, u_p >= 0;  sum_f x_pf + u_p = w_p;
  sum_p x_pf <= C_f;  minimise sum x_pf dist(p,f) c + sum u_p a_p.
- whole: y_pf in {0,1} for dist(p,f) <= D, z_p;  sum_f y_pf + z_p = 1;
  sum_p w_p y_pf <= C_f;  minimise sum w_p y_pf dist(p,f) c + sum z_p w_p a_p.

Columns exist only for pairs within D. The pairs are found with a k-d tree on the
points as unit vectors in 3-D (the straight chord is monotone in the great-circle
distance, so a chord radius finds exactly the candidates), then checked with the exact
haversine distance.

Decomposition (ADR 0008): the connected components of the parcel-farm graph are
independent. A component where every parcel's own cheapest choice (its nearest farm,
or unplaced when even that costs more than a_p) fits within every farm's capacity is
solved exactly without a solver: every parcel gets its individual lower bound. The
remaining components go to HiGHS together, as one model.

Unplaced tonnes carry a reason: ``no_farm_within_distance``, ``farms_full`` (every
farm within D is full; for whole parcels: none has room left for the whole parcel),
``alternative_cheaper`` (a farm within D has room, but transport costs at least the
owner's alternative cost) or ``solver_stopped`` (a farm had room and placing would
be cheaper, but the time limit or the MIP gap tolerance stopped HiGHS first).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import (  # type: ignore[import-untyped]
    connected_components,
)
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from cirkelregio.engine.geo.distance import EARTH_RADIUS_KM, haversine_km
from cirkelregio.engine.inputs import InputError, InputIssue, SolveError

__all__ = [
    "DEFAULT_ALTERNATIVE_EUR_PER_T",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_MAX_DISTANCE_KM",
    "DEFAULT_MIP_GAP",
    "DEFAULT_TIME_LIMIT",
    "REASONS",
    "Allocation",
    "AllocationInputError",
    "Farm",
    "FarmLoad",
    "InputIssue",
    "Parameters",
    "Parcel",
    "Placement",
    "SolveError",
    "Unplaced",
    "allocate",
    "candidate_pairs",
    "check",
    "greedy",
]

# The model document's defaults (docs/planning-models.md, preamble and section 1). The
# 5 km radius is the issue's and the model document's: research section 4 found no
# source for it [U]. The 45 EUR/t alternative cost is the model document's default,
# the top of the composting price range EUR 27.50-45 per t of the Binnenveld study
# (research section 4, innovatienetwerk.onlinetouch.nl/197/34).
DEFAULT_MAX_DISTANCE_KM = 5.0
DEFAULT_DETOUR_FACTOR = 1.3
DEFAULT_ALTERNATIVE_EUR_PER_T = 45.0
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MIP_GAP = 1e-6

Mode = Literal["split", "whole"]

REASONS = {
    "no_farm_within_distance": "no farm within {d:g} km",
    "farms_full": "every farm within {d:g} km is full",
    "alternative_cheaper": (
        "a farm within {d:g} km has room, but transport costs at least the owner's "
        "alternative cost"
    ),
    "solver_stopped": (
        "a farm within {d:g} km had room and placing was cheaper, but the time limit "
        "or the MIP gap tolerance stopped HiGHS first"
    ),
}

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

_TOL = 1e-9


@dataclass(frozen=True)
class Parcel:
    """A mowing parcel: the centroid of its geometry (WGS84 degrees) and this
    season's tonnes."""

    id: str
    owner: str
    lat: float
    lon: float
    tonnes: float
    alternative_eur_per_t: float = DEFAULT_ALTERNATIVE_EUR_PER_T


@dataclass(frozen=True)
class Farm:
    """A composting farm (WGS84 degrees) with its capacity this season."""

    id: str
    lat: float
    lon: float
    capacity_t: float


@dataclass(frozen=True)
class Parameters:
    transport_eur_per_tkm: float
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM
    """On the detoured distance (haversine x detour factor)."""
    detour_factor: float = DEFAULT_DETOUR_FACTOR


class AllocationInputError(InputError):
    """One or more problems in the input; nothing was solved."""


@dataclass(frozen=True)
class Placement:
    parcel: str
    owner: str
    farm: str
    tonnes: float
    distance_km: float
    """Detoured distance."""
    transport_eur: float


@dataclass(frozen=True)
class Unplaced:
    parcel: str
    owner: str
    tonnes: float
    reason: str
    message: str
    alternative_eur: float


@dataclass(frozen=True)
class FarmLoad:
    farm: str
    capacity_t: float
    tonnes: float
    parcels: int


@dataclass(frozen=True)
class Allocation:
    mode: str
    status: str
    """``optimal`` (within ``mip_gap`` for whole parcels), ``time_limit`` (the time
    limit stopped HiGHS with a solution in hand; see ``gap``) or ``heuristic``."""
    gap: float | None
    """Relative gap (objective - bound) / objective of the whole-parcel MILP, the
    trivially solved components included; None for split and heuristic."""
    parameters: Parameters
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    farms: tuple[FarmLoad, ...]
    transport_eur: float
    alternative_eur: float
    total_eur: float
    stats: Mapping[str, Any] = field(default_factory=dict)

    @property
    def placed_tonnes(self) -> float:
        return math.fsum(p.tonnes for p in self.placements)

    @property
    def unplaced_tonnes(self) -> float:
        return math.fsum(u.tonnes for u in self.unplaced)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "status": self.status,
            "gap": self.gap,
            "parameters": asdict(self.parameters),
            "transport_eur": self.transport_eur,
            "alternative_eur": self.alternative_eur,
            "total_eur": self.total_eur,
            "placed_tonnes": self.placed_tonnes,
            "unplaced_tonnes": self.unplaced_tonnes,
            "placements": [asdict(p) for p in self.placements],
            "unplaced": [asdict(u) for u in self.unplaced],
            "farms": [asdict(f) for f in self.farms],
            "stats": dict(self.stats),
        }


# Checks ----------------------------------------------------------------------------


def _finite(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def check(
    parcels: Sequence[Parcel], farms: Sequence[Farm], params: Parameters
) -> list[InputIssue]:
    """Every problem in the input (empty when it can be solved)."""
    issues: list[InputIssue] = []

    def need(ok: bool, path: str, message: str) -> None:
        if not ok:
            issues.append(InputIssue(path, message))

    p = params
    need(
        _finite(p.transport_eur_per_tkm) and p.transport_eur_per_tkm >= 0,
        "parameters.transport_eur_per_tkm",
        "must be a finite number at least 0",
    )
    need(
        _finite(p.max_distance_km) and p.max_distance_km > 0,
        "parameters.max_distance_km",
        "must be a finite number more than 0",
    )
    need(
        _finite(p.detour_factor) and p.detour_factor >= 1,
        "parameters.detour_factor",
        "must be a finite number at least 1",
    )
    located: tuple[tuple[str, Sequence[Parcel | Farm]], ...] = (
        ("parcels", parcels),
        ("farms", farms),
    )
    for kind, items in located:
        seen: set[str] = set()
        for i, item in enumerate(items):
            where = f"{kind}[{i}]"
            need(isinstance(item.id, str) and item.id != "", f"{where}.id", "needed")
            need(item.id not in seen, f"{where}.id", f"duplicate id {item.id!r}")
            seen.add(item.id)
            need(
                _finite(item.lat) and -90 <= item.lat <= 90,
                f"{where}.lat",
                "must be a latitude in degrees (-90 to 90)",
            )
            need(
                _finite(item.lon) and -180 <= item.lon <= 180,
                f"{where}.lon",
                "must be a longitude in degrees (-180 to 180)",
            )
    for i, parcel in enumerate(parcels):
        need(
            _finite(parcel.tonnes) and parcel.tonnes >= 0,
            f"parcels[{i}].tonnes",
            "must be a finite number at least 0",
        )
        need(
            _finite(parcel.alternative_eur_per_t) and parcel.alternative_eur_per_t >= 0,
            f"parcels[{i}].alternative_eur_per_t",
            "must be a finite number at least 0",
        )
        need(
            isinstance(parcel.owner, str) and parcel.owner != "",
            f"parcels[{i}].owner",
            "needed",
        )
    for i, farm in enumerate(farms):
        need(
            _finite(farm.capacity_t) and farm.capacity_t > 0,
            f"farms[{i}].capacity_t",
            "must be a finite number more than 0 (leave out a farm without capacity)",
        )
    return issues


# Pairs within D ----------------------------------------------------------------------


def _unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack(
        [np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)]
    )


def candidate_pairs(
    parcels: Sequence[Parcel], farms: Sequence[Farm], params: Parameters
) -> tuple[IntArray, IntArray, FloatArray]:
    """(parcel index, farm index, detoured km) of every pair within D, sorted by
    parcel, then distance, then farm."""
    empty = (np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0))
    if not parcels or not farms:
        return empty
    plat = np.array([p.lat for p in parcels], dtype=np.float64)
    plon = np.array([p.lon for p in parcels], dtype=np.float64)
    flat = np.array([f.lat for f in farms], dtype=np.float64)
    flon = np.array([f.lon for f in farms], dtype=np.float64)
    arc = params.max_distance_km / params.detour_factor / EARTH_RADIUS_KM
    chord = 2.0 * math.sin(min(arc, math.pi) / 2.0) * (1 + 1e-9) + 1e-12
    tree = cKDTree(_unit_vectors(flat, flon))
    hits = tree.query_ball_point(_unit_vectors(plat, plon), r=chord)
    counts = np.fromiter((len(h) for h in hits), dtype=np.intp, count=len(hits))
    if counts.sum() == 0:
        return empty
    pi = np.repeat(np.arange(len(parcels), dtype=np.intp), counts)
    fi = np.concatenate([np.asarray(h, dtype=np.intp) for h in hits if h])
    dist = haversine_km(plat[pi], plon[pi], flat[fi], flon[fi]) * params.detour_factor
    keep = dist <= params.max_distance_km
    pi, fi, dist = pi[keep], fi[keep], dist[keep]
    order = np.lexsort((fi, dist, pi))
    return pi[order], fi[order], dist[order]


# Solving ----------------------------------------------------------------------------


def _highs(time_limit: float, mip_gap: float) -> highspy.Highs:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", 1)
    return h


def _model(
    whole: bool,
    w: FloatArray,
    a: FloatArray,
    cap: FloatArray,
    pi: IntArray,
    fi: IntArray,
    unit_cost: FloatArray,
) -> highspy.HighsLp:
    """The model over the given parcels and farms (local indices): columns x_k (or
    y_k) for the pairs, then u_p (or z_p); rows: one per parcel, then one per farm."""
    n_p, n_f, n_x = len(w), len(cap), len(pi)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = n_x + n_p
    lp.num_row_ = n_p + n_f
    if whole:
        lp.col_cost_ = np.concatenate([w[pi] * unit_cost, w * a])
        lp.col_upper_ = np.ones(n_x + n_p)
        lp.row_lower_ = np.concatenate([np.ones(n_p), np.full(n_f, -inf)])
        lp.row_upper_ = np.concatenate([np.ones(n_p), cap])
        farm_coef = w[pi]
    else:
        lp.col_cost_ = np.concatenate([unit_cost, a])
        lp.col_upper_ = np.full(n_x + n_p, inf)
        lp.row_lower_ = np.concatenate([w, np.full(n_f, -inf)])
        lp.row_upper_ = np.concatenate([w, cap])
        farm_coef = np.ones(n_x)
    lp.col_lower_ = np.zeros(n_x + n_p)
    index = np.empty(2 * n_x + n_p, dtype=np.int32)
    value = np.empty(2 * n_x + n_p, dtype=np.float64)
    index[0 : 2 * n_x : 2] = pi
    index[1 : 2 * n_x : 2] = n_p + fi
    value[0 : 2 * n_x : 2] = 1.0
    value[1 : 2 * n_x : 2] = farm_coef
    index[2 * n_x :] = np.arange(n_p)
    value[2 * n_x :] = 1.0
    start = np.concatenate([np.arange(0, 2 * n_x + 1, 2), 2 * n_x + 1 + np.arange(n_p)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_x + n_p
    lp.a_matrix_.num_row_ = n_p + n_f
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    if whole:
        # z may stay continuous: with integral y it is 1 - sum y, integral too.
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_x + [
            highspy.HighsVarType.kContinuous
        ] * n_p
    return lp


def _run(
    lp: highspy.HighsLp,
    time_limit: float,
    mip_gap: float,
    start: FloatArray | None = None,
) -> tuple[bool, FloatArray, float, float]:
    """Solve; (proven optimal, column values, objective, dual bound)."""
    h = _highs(time_limit, mip_gap)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolveError("HiGHS refused the model")
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = start.tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    if status not in (
        highspy.HighsModelStatus.kOptimal,
        highspy.HighsModelStatus.kTimeLimit,
    ):
        raise SolveError(
            f"HiGHS found no solution (status: {h.modelStatusToString(status)})"
        )
    info = h.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        raise SolveError(
            "the time limit stopped HiGHS before it found any solution; "
            "nothing is returned (allow more time)"
        )
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    objective = float(info.objective_function_value)
    is_mip = len(lp.integrality_) > 0
    bound = float(info.mip_dual_bound) if is_mip else objective
    if not math.isfinite(bound):
        bound = -math.inf
    return status == highspy.HighsModelStatus.kOptimal, values, objective, bound


def _whole_start(
    w: FloatArray, cap: FloatArray, pi: IntArray, fi: IntArray, x: FloatArray
) -> tuple[NDArray[np.bool_], FloatArray]:
    """From the split LP's tonnes x: which parcels the LP already places whole on one
    pair (or not at all), and the capacity those leave."""
    n_p = len(w)
    placed = np.bincount(pi, weights=x, minlength=n_p)
    largest = np.zeros(n_p)
    np.maximum.at(largest, pi, x)
    tol = 1e-7 * np.maximum(w, 1.0)
    integral = (placed <= tol) | (largest >= w - tol)
    keep = integral[pi] & (x >= w[pi] - tol[pi])
    used = np.bincount(fi[keep], weights=w[pi[keep]], minlength=len(cap))
    return integral, np.maximum(cap - used, 0.0)


def _solve_whole(
    w: FloatArray,
    a: FloatArray,
    cap: FloatArray,
    pi: IntArray,
    fi: IntArray,
    unit: FloatArray,
    time_limit: float,
    mip_gap: float,
) -> tuple[str, FloatArray, float]:
    """The whole-parcel MILP (ADR 0008): the split LP (its optimum is the bound of
    the LP relaxation), the parcels it leaves split as a small MILP on the capacity
    the others leave (a start), then the full MILP from that start in the time left.
    Returns (status, y per pair, lower bound)."""
    deadline = time.perf_counter() + time_limit
    n_p, n_x = len(w), len(pi)
    _, xs, lp_obj, _ = _run(_model(False, w, a, cap, pi, fi, unit), time_limit, 0.0)
    x = xs[:n_x]
    integral, room = _whole_start(w, cap, pi, fi, x)
    tol = 1e-7 * np.maximum(w, 1.0)
    y = np.where(integral[pi] & (x >= w[pi] - tol[pi]), 1.0, 0.0)
    frac = np.flatnonzero(~integral)
    if len(frac):
        p_local = np.full(n_p, -1, dtype=np.intp)
        p_local[frac] = np.arange(len(frac))
        ks = np.flatnonzero(~integral[pi])
        left = max(deadline - time.perf_counter(), 1e-3)
        _, ys, _, _ = _run(
            _model(True, w[frac], a[frac], room, p_local[pi[ks]], fi[ks], unit[ks]),
            left / 3,  # the rest for the full MILP
            mip_gap,
        )
        y[ks] = np.where(ys[: len(ks)] > 0.5, 1.0, 0.0)

    def cost(yy: FloatArray) -> float:
        placed = np.bincount(pi, weights=yy, minlength=n_p)
        return float(np.sum(w[pi] * unit * yy) + np.sum(w * a * (1.0 - placed)))

    best, best_cost = y, cost(y)
    bound = lp_obj
    if best_cost - bound <= mip_gap * max(abs(best_cost), 1e-9) + 1e-9:
        return "optimal", best * w[pi], bound
    left = deadline - time.perf_counter()
    if left <= 0.01:
        return "time_limit", best * w[pi], bound
    placed = np.bincount(pi, weights=y, minlength=n_p)
    start = np.concatenate([y, 1.0 - placed])
    proven, values, _, mip_bound = _run(
        _model(True, w, a, cap, pi, fi, unit), left, mip_gap, start
    )
    y2 = np.where(values[:n_x] > 0.5, 1.0, 0.0)
    if cost(y2) < best_cost:
        best, best_cost = y2, cost(y2)
    bound = max(bound, mip_bound)
    return ("optimal" if proven else "time_limit"), best * w[pi], bound


def allocate(
    parcels: Sequence[Parcel],
    farms: Sequence[Farm],
    params: Parameters,
    mode: Mode = "split",
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = DEFAULT_MIP_GAP,
) -> Allocation:
    """The optimal allocation of the module docstring. Raises AllocationInputError
    (every problem of the input) or SolveError."""
    if mode not in ("split", "whole"):
        raise AllocationInputError([InputIssue("mode", "must be split or whole")])
    issues = check(parcels, farms, params)
    if not (_finite(time_limit) and time_limit > 0):
        issues.append(InputIssue("time_limit", "must be a finite number more than 0"))
    if not (_finite(mip_gap) and mip_gap >= 0):
        issues.append(InputIssue("mip_gap", "must be a finite number at least 0"))
    if issues:
        raise AllocationInputError(issues)
    t0 = time.perf_counter()
    w = np.array([p.tonnes for p in parcels], dtype=np.float64)
    a = np.array([p.alternative_eur_per_t for p in parcels], dtype=np.float64)
    cap = np.array([f.capacity_t for f in farms], dtype=np.float64)
    pi, fi, dist = candidate_pairs(parcels, farms, params)
    unit = dist * params.transport_eur_per_tkm
    n_p, n_f = len(parcels), len(farms)
    t_pairs = time.perf_counter() - t0

    # Each parcel's own cheapest choice: its first pair (nearest), if cheaper than a_p.
    first = np.full(n_p, -1, dtype=np.intp)
    if len(pi):
        starts = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]])
        first[pi[starts]] = starts
    best = first.copy()
    has = best >= 0
    best[has] = np.where(unit[best[has]] < a[has], best[has], -1)
    chosen = best >= 0
    load = np.bincount(fi[best[chosen]], weights=w[chosen], minlength=n_f)

    graph = coo_matrix((np.ones(len(pi)), (pi, n_p + fi)), shape=(n_p + n_f, n_p + n_f))
    n_comp, label = connected_components(graph, directed=False)
    over = load > cap * (1 + _TOL) + _TOL
    hard_comp = np.zeros(n_comp, dtype=bool)
    hard_comp[label[n_p:][over]] = True
    hard_parcel = hard_comp[label[:n_p]]
    hard_farm = hard_comp[label[n_p:]]

    tonnes = np.zeros(len(pi))
    easy = chosen & ~hard_parcel
    tonnes[best[easy]] = w[easy]
    status = "optimal"
    bound: float | None = None
    t1 = time.perf_counter()
    if hard_parcel.any():
        p_idx = np.flatnonzero(hard_parcel)
        f_idx = np.flatnonzero(hard_farm)
        p_local = np.full(n_p, -1, dtype=np.intp)
        p_local[p_idx] = np.arange(len(p_idx))
        f_local = np.full(n_f, -1, dtype=np.intp)
        f_local[f_idx] = np.arange(len(f_idx))
        k_idx = np.flatnonzero(hard_parcel[pi])
        args = (
            w[p_idx],
            a[p_idx],
            cap[f_idx],
            p_local[pi[k_idx]],
            f_local[fi[k_idx]],
            unit[k_idx],
        )
        if mode == "whole":
            status, sub, bound = _solve_whole(*args, time_limit, mip_gap)
        else:
            proven, xs, _, _ = _run(_model(False, *args), time_limit, 0.0)
            status = "optimal" if proven else "time_limit"
            sub = xs[: len(k_idx)]
            sub = np.where(sub > _TOL * np.maximum(w[pi[k_idx]], 1.0), sub, 0.0)
        tonnes[k_idx] = sub
    t_solve = time.perf_counter() - t1

    result = _result(mode, parcels, farms, params, pi, fi, dist, tonnes, status)
    gap: float | None = None
    if mode == "whole":
        if bound is None:
            gap = 0.0
        else:
            easy_cost = _cost_of(w, a, unit, pi, tonnes, ~hard_parcel)
            lower = bound + easy_cost
            gap = max(
                0.0, (result.total_eur - lower) / max(abs(result.total_eur), 1e-9)
            )
    stats = {
        "parcels": n_p,
        "farms": n_f,
        "pairs": len(pi),
        "components": int(n_comp),
        "solver_parcels": int(hard_parcel.sum()),
        "solver_farms": int(hard_farm.sum()),
        "solver_pairs": int(hard_parcel[pi].sum()) if len(pi) else 0,
        "pairs_s": round(t_pairs, 4),
        "solve_s": round(t_solve, 4),
    }
    return Allocation(
        mode=result.mode,
        status=status,
        gap=gap,
        parameters=params,
        placements=result.placements,
        unplaced=result.unplaced,
        farms=result.farms,
        transport_eur=result.transport_eur,
        alternative_eur=result.alternative_eur,
        total_eur=result.total_eur,
        stats=stats,
    )


def _cost_of(
    w: FloatArray,
    a: FloatArray,
    unit: FloatArray,
    pi: IntArray,
    tonnes: FloatArray,
    parcel_mask: NDArray[np.bool_],
) -> float:
    pair_mask = parcel_mask[pi] if len(pi) else np.zeros(0, dtype=bool)
    placed = np.bincount(pi[pair_mask], weights=tonnes[pair_mask], minlength=len(w))
    rest = np.maximum(w - placed, 0.0)
    return math.fsum((tonnes[pair_mask] * unit[pair_mask]).tolist()) + math.fsum(
        (rest * a)[parcel_mask].tolist()
    )


def _result(
    mode: str,
    parcels: Sequence[Parcel],
    farms: Sequence[Farm],
    params: Parameters,
    pi: IntArray,
    fi: IntArray,
    dist: FloatArray,
    tonnes: FloatArray,
    status: str,
) -> Allocation:
    n_f = len(farms)
    c = params.transport_eur_per_tkm
    d_max = params.max_distance_km
    placements: list[Placement] = []
    placed = [0.0] * len(parcels)
    farm_t = [0.0] * n_f
    farm_n = [0] * n_f
    for k in np.flatnonzero(tonnes > 0).tolist():
        p, f = parcels[int(pi[k])], farms[int(fi[k])]
        t = float(tonnes[k])
        placements.append(
            Placement(p.id, p.owner, f.id, t, float(dist[k]), t * float(dist[k]) * c)
        )
        placed[int(pi[k])] += t
        farm_t[int(fi[k])] += t
        farm_n[int(fi[k])] += 1
    # Room left per farm, for the reasons.
    room = [farms[f].capacity_t - farm_t[f] for f in range(n_f)]
    pairs_of: dict[int, list[int]] = {}
    for k, p_i in enumerate(pi.tolist()):
        pairs_of.setdefault(p_i, []).append(k)
    unplaced: list[Unplaced] = []
    for i, p in enumerate(parcels):
        rest = p.tonnes - placed[i]
        if rest <= _TOL * max(p.tonnes, 1.0):
            continue
        ks = pairs_of.get(i, [])
        need = p.tonnes if mode == "whole" else _TOL * max(p.tonnes, 1.0)
        with_room = [k for k in ks if room[int(fi[k])] >= need - _TOL]
        if not ks:
            reason = "no_farm_within_distance"
        elif not with_room:
            reason = "farms_full"
        elif (
            min(float(dist[k]) * c for k in with_room)
            >= p.alternative_eur_per_t - 1e-12
        ):
            reason = "alternative_cheaper"
        else:
            reason = "solver_stopped"
        unplaced.append(
            Unplaced(
                p.id,
                p.owner,
                rest,
                reason,
                REASONS[reason].format(d=d_max),
                rest * p.alternative_eur_per_t,
            )
        )
    transport = math.fsum(pl.transport_eur for pl in placements)
    alternative = math.fsum(u.alternative_eur for u in unplaced)
    return Allocation(
        mode=mode,
        status=status,
        gap=None,
        parameters=params,
        placements=tuple(placements),
        unplaced=tuple(unplaced),
        farms=tuple(
            FarmLoad(f.id, f.capacity_t, farm_t[j], farm_n[j])
            for j, f in enumerate(farms)
        ),
        transport_eur=transport,
        alternative_eur=alternative,
        total_eur=transport + alternative,
    )


def greedy(
    parcels: Sequence[Parcel],
    farms: Sequence[Farm],
    params: Parameters,
    mode: Mode = "split",
) -> Allocation:
    """A heuristic for comparison: the largest parcels first (ties: input order), each
    to its nearest farm with room (whole: room for the whole parcel; split: as much as
    fits, then the next nearest), as long as transport costs less than the owner's
    alternative cost. Status ``heuristic``."""
    issues = check(parcels, farms, params)
    if issues:
        raise AllocationInputError(issues)
    pi, fi, dist = candidate_pairs(parcels, farms, params)
    unit = dist * params.transport_eur_per_tkm
    room = [f.capacity_t for f in farms]
    tonnes = np.zeros(len(pi))
    pairs_of: dict[int, list[int]] = {}
    for k, p_i in enumerate(pi.tolist()):
        pairs_of.setdefault(p_i, []).append(k)
    order = sorted(range(len(parcels)), key=lambda i: (-parcels[i].tonnes, i))
    for i in order:
        rest = parcels[i].tonnes
        for k in pairs_of.get(i, []):
            if rest <= 0 or unit[k] >= parcels[i].alternative_eur_per_t:
                break
            f = int(fi[k])
            if mode == "whole":
                if room[f] >= rest:
                    tonnes[k] = rest
                    room[f] -= rest
                    break
            elif room[f] > 0:
                take = min(room[f], rest)
                tonnes[k] = take
                room[f] -= take
                rest -= take
    return _result(mode, parcels, farms, params, pi, fi, dist, tonnes, "heuristic")
