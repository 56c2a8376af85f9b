# SPDX-License-Identifier: EUPL-1.2
"""The peers of benchmark 7: the harmonisation model as docs/planning-models.md
section 3 writes it, one binary x[r, j] per requirement and admissible mixture:

    min  sum_(r,j) t_r (m_j + o_rj) x[r, j]
    s.t. sum_j x[r, j] = 1        every requirement r
         x[r, j] <= y[j]          every admissible pair
         sum_j y[j] <= k
         x, y binary

and, without k, first ``min sum_j y[j]`` subject to ``sum_(j admits r) y[j] >= 1`` for
every requirement, then the model above with k the number found. Written twice: with
PuLP 3.3.2 (solved by the CBC binary in its wheel) and with highspy directly (HiGHS,
the engine's solver, on the big model). Each returns (objective, number of mixtures,
status, build seconds, solve seconds, columns, rows)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from cirkelregio.engine.roads.harmonise import HarmonisationProblem


@dataclass
class PeerRun:
    objective: float | None
    mixtures: int | None
    status: str
    build_s: float
    solve_s: float
    columns: int
    rows: int


def _pairs(p: HarmonisationProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = p.over_spec()
    index = {m.id: j for j, m in enumerate(p.mixtures)}
    mki = {m.id: m.mki_eur_per_tonne for m in p.mixtures}
    req: list[int] = []
    mix: list[int] = []
    cost: list[float] = []
    for i, r in enumerate(p.requirements):
        for j, o in table[r.mixture].items():
            req.append(i)
            mix.append(index[j])
            cost.append(r.tonnes * (mki[j] + o))
    return np.array(req), np.array(mix), np.array(cost)


# PuLP + CBC ----------------------------------------------------------------------


def pulp_solve(p: HarmonisationProblem, k: int | None, time_limit: float) -> PeerRun:
    import pulp

    began = time.perf_counter()
    build = solve = 0.0
    n_mix = len(p.mixtures)
    req, mix, cost = _pairs(p)
    by_req: list[list[int]] = [[] for _ in p.requirements]
    for q, i in enumerate(req.tolist()):
        by_req[i].append(q)

    def left() -> float:
        return max(1.0, time_limit - (time.perf_counter() - began))

    status = "Optimal"
    if k is None:
        t0 = time.perf_counter()
        cover = pulp.LpProblem("cover", pulp.LpMinimize)
        y = [pulp.LpVariable(f"y{j}", cat="Binary") for j in range(n_mix)]
        cover += pulp.lpSum(y)
        for qs in by_req:
            cover += pulp.lpSum(y[int(mix[q])] for q in qs) >= 1
        build += time.perf_counter() - t0
        t0 = time.perf_counter()
        cover.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=left()))
        solve += time.perf_counter() - t0
        status = pulp.LpStatus[cover.status]
        k = round(pulp.value(cover.objective))
    t0 = time.perf_counter()
    model = pulp.LpProblem("harmonise", pulp.LpMinimize)
    y = [pulp.LpVariable(f"y{j}", cat="Binary") for j in range(n_mix)]
    x = [pulp.LpVariable(f"x{q}", cat="Binary") for q in range(len(req))]
    model += pulp.lpSum(float(c) * x[q] for q, c in enumerate(cost.tolist()))
    for qs in by_req:
        model += pulp.lpSum(x[q] for q in qs) == 1
    for q, j in enumerate(mix.tolist()):
        model += x[q] <= y[j]
    model += pulp.lpSum(y) <= k
    build += time.perf_counter() - t0
    t0 = time.perf_counter()
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=left()))
    solve += time.perf_counter() - t0
    stage = pulp.LpStatus[model.status]
    sol = pulp.LpSolution[model.sol_status] if hasattr(pulp, "LpSolution") else ""
    status = f"{status} / {stage}" + (f" ({sol})" if sol else "")
    value = pulp.value(model.objective)
    used = sum(1 for v in y if (v.value() or 0) > 0.5)
    return PeerRun(
        None if value is None else float(value),
        used,
        status,
        build,
        solve,
        len(model.variables()),
        len(model.constraints),
    )


# highspy, per-requirement model ---------------------------------------------------


def _highs_milp(
    cost: np.ndarray,
    a: sp.csc_array,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    time_limit: float,
) -> tuple[str, np.ndarray | None, float]:
    inf = highspy.kHighsInf
    n = len(cost)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.where(np.isneginf(row_lower), -inf, row_lower)
    lp.row_upper_ = np.where(np.isposinf(row_upper), inf, row_upper)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = a.shape[0]
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    if info.primal_solution_status != 2:
        return status, None, float("nan")
    return status, np.asarray(h.getSolution().col_value), float(info.mip_gap)


def highs_solve(p: HarmonisationProblem, k: int | None, time_limit: float) -> PeerRun:
    began = time.perf_counter()
    build = solve = 0.0
    n_mix, n_req = len(p.mixtures), len(p.requirements)
    t0 = time.perf_counter()
    req, mix, cost = _pairs(p)
    n_pair = len(req)
    build += time.perf_counter() - t0
    status = "Optimal"
    if k is None:
        t0 = time.perf_counter()
        cover = sp.csc_array((np.ones(n_pair), (req, mix)), shape=(n_req, n_mix))
        cover.sum_duplicates()
        build += time.perf_counter() - t0
        t0 = time.perf_counter()
        status, values, _ = _highs_milp(
            np.ones(n_mix),
            cover,
            np.ones(n_req),
            np.full(n_req, np.inf),
            time_limit,
        )
        solve += time.perf_counter() - t0
        assert values is not None
        k = round(float(values.sum()))
    t0 = time.perf_counter()
    q = np.arange(n_pair)
    rows = np.concatenate([req, n_req + q, n_req + q, np.full(n_mix, n_req + n_pair)])
    cols = np.concatenate([n_mix + q, n_mix + q, mix, np.arange(n_mix)])
    vals = np.concatenate(
        [np.ones(n_pair), np.ones(n_pair), -np.ones(n_pair), np.ones(n_mix)]
    )
    n_row = n_req + n_pair + 1
    a = sp.csc_array((vals, (rows, cols)), shape=(n_row, n_mix + n_pair))
    lower = np.concatenate([np.ones(n_req), np.full(n_pair + 1, -np.inf)])
    upper = np.concatenate([np.ones(n_req), np.zeros(n_pair), [float(k)]])
    c = np.concatenate([np.zeros(n_mix), cost])
    build += time.perf_counter() - t0
    t0 = time.perf_counter()
    left = max(1.0, time_limit - (time.perf_counter() - began))
    stage, values, gap = _highs_milp(c, a, lower, upper, left)
    solve += time.perf_counter() - t0
    return PeerRun(
        None if values is None else float(c @ values),
        None if values is None else int((values[:n_mix] > 0.5).sum()),
        f"{status} / {stage}" + (f" (gap {gap:.2e})" if stage != "Optimal" else ""),
        build,
        solve,
        n_mix + n_pair,
        n_row,
    )
