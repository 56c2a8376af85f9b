# SPDX-License-Identifier: EUPL-1.2
"""Heuristics for the craft-centre network models (:mod:`.network`), for comparison
with the exact solution (the benchmark's gap column) and as a fallback.

- **Greedy** (:func:`greedy`): start from the existing sites, then add, one at a
  time, the site that most improves the objective (p-median: the largest drop of
  sum h_i d_i; coverage: the largest gain of covered population), until p are open.
  Ties: the first site in input order.
- **Vertex substitution** (:func:`greedy` with ``swap=True``): the greedy network,
  then the swap of one open non-existing site for one closed site that improves the
  objective most, repeated until no swap improves it (M. B. Teitz and P. Bart,
  "Heuristic methods for estimating the generalized vertex median of a weighted
  graph", Operations Research 16(5), 1968, pp. 955-961; here the best-improvement
  variant). A local optimum, not a proven one.

Both evaluate a candidate set on the full distance matrix with numpy, and the result
is built with :func:`.network.evaluate`, so its figures are comparable to the exact
ones.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from cirkelregio.engine.craftcentres.network import (
    COVERAGE_TOLERANCE_KM,
    MODELS,
    DemandPoint,
    InputIssue,
    Model,
    NetworkInputError,
    NetworkResult,
    Parameters,
    Site,
    check,
    distance_matrix,
    evaluate,
)

__all__ = ["greedy", "set_cost"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_IMPROVEMENT = 1e-9
"""Relative improvement a swap must bring (guards against cycling on rounding)."""


def _costs(
    model: Model, dist: FloatArray, h: FloatArray, coverage_km: float
) -> FloatArray:
    """Per point and site the cost of serving the point from the site, such that the
    cost of a set is sum_i min_{j in set} c_ij (to be minimised): h_i d_ij for the
    p-median, -h_i [d_ij <= S] for coverage."""
    if model == "p-median":
        return np.asarray(h[:, None] * dist, dtype=np.float64)
    covered = dist <= coverage_km + COVERAGE_TOLERANCE_KM
    return np.asarray(-h[:, None] * covered, dtype=np.float64)


def set_cost(cost: FloatArray, open_mask: BoolArray) -> float:
    """sum_i min over the open sites of cost[i, j]."""
    return float(cost[:, open_mask].min(axis=1).sum())


def greedy(
    points: Sequence[DemandPoint],
    sites: Sequence[Site],
    p: int,
    model: Model = "p-median",
    params: Parameters | None = None,
    *,
    swap: bool = False,
    harvest: bool = False,
) -> NetworkResult:
    """The greedy network (and with ``swap`` its vertex-substitution improvement).
    Raises NetworkInputError like the exact solvers."""
    began = time.perf_counter()
    params = params or Parameters()
    issues = check(points, sites, [p], params, harvest=harvest)
    if model not in MODELS:
        issues.append(InputIssue("model", f"must be one of {', '.join(MODELS)}"))
    if issues:
        raise NetworkInputError(issues)
    dist = distance_matrix(points, sites, params.detour_factor)
    h = np.array([pt.population for pt in points], dtype=np.float64)
    cost = _costs(model, dist, h, params.coverage_km)
    n_p, n_s = cost.shape
    open_mask = np.array([s.existing for s in sites], dtype=np.bool_)
    # best[i]: the cost of point i under the open set (+inf-like when none is open).
    big = float(np.abs(cost).max() + 1.0) if cost.size else 1.0
    best = cost[:, open_mask].min(axis=1) if open_mask.any() else np.full(n_p, big)
    while int(open_mask.sum()) < p:
        totals = np.minimum(best[:, None], cost).sum(axis=0)
        totals[open_mask] = np.inf
        j = int(np.argmin(totals))  # first on ties
        open_mask[j] = True
        best = np.minimum(best, cost[:, j])
    method = "greedy"
    if swap:
        method = "greedy+swap"
        fixed = np.array([s.existing for s in sites], dtype=np.bool_)
        current = set_cost(cost, open_mask)
        while True:
            best_move: tuple[float, int, int] | None = None
            for out in np.nonzero(open_mask & ~fixed)[0].tolist():
                rest = open_mask.copy()
                rest[out] = False
                base = cost[:, rest].min(axis=1) if rest.any() else np.full(n_p, big)
                totals = np.minimum(base[:, None], cost).sum(axis=0)
                totals[open_mask] = np.inf
                into = int(np.argmin(totals))
                if best_move is None or totals[into] < best_move[0]:
                    best_move = (float(totals[into]), out, into)
            if best_move is None or not (
                best_move[0] < current - _IMPROVEMENT * max(1.0, abs(current))
            ):
                break
            current, out, into = best_move
            open_mask[out] = False
            open_mask[into] = True
    return evaluate(
        points,
        sites,
        [s.id for j, s in enumerate(sites) if open_mask[j]],
        params,
        model=model,
        method=method,
        status="heuristic",
        seconds=time.perf_counter() - began,
        dist=dist,
    )
