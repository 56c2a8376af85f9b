# SPDX-License-Identifier: EUPL-1.2
"""The exchange model of docs/exchange-model.md written with PuLP and solved with the
CBC binary that ships in the PuLP wheel: the peer of the engine's HiGHS model.

Written from the model document with its own week arithmetic and haversine (no code
shared with the engine's builder). Variables as in the document: x[s,d,t] (same
material, allowed distance, t in both windows), y[s,k,t] (allowed distance, t in the
supply window), z[k,d,t] (allowed distance, t in the demand window), I[k,m,t], u[s],
v[d]. As in the engine, stock I[k,m,.] and flows z[k,d,.] exist only for the depot and
material pairs that some supply can reach: without such a supply the stock is 0 anyway.

``build`` returns the PuLP problem and the variable index; ``solve`` runs CBC (with an
optional time limit) and turns the values into the engine's ``Flow`` records so that
``check_plan`` can verify the plan.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from cirkelregio.engine.optimize.exchange import ExchangeProblem, Flow

R_KM = 6371.0088


def _km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """All distances from points 1 (rows) to points 2 (columns), km."""
    p1 = np.radians(lat1)[:, None]
    p2 = np.radians(lat2)[None, :]
    dl = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * R_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@dataclass
class PulpModel:
    prob: pulp.LpProblem
    # (kind, supply index or None, depot index or None, demand index or None, week, var)
    flows: list[tuple[int | None, int | None, int | None, int, Any]]
    num_variables: int
    num_constraints: int


def build(problem: ExchangeProblem) -> PulpModel:
    par = problem.parameters
    c = par.transport_eur_per_tkm + par.transport_mki_eur_per_tkm
    f = par.detour_factor
    dmax = par.max_distance_km
    mat = {m.name: m for m in problem.materials}
    sup, dem, dep = problem.supplies, problem.demands, problem.depots
    dates = [x for s in sup for x in (s.available_from, s.available_until)]
    dates += [x for d in dem for x in (d.needed_from, d.needed_until)]
    first = min(dates)
    monday = first - dt.timedelta(days=first.weekday())

    def wk(day: dt.date) -> int:
        return (day - monday).days // 7

    n_t = max(wk(x) for x in dates) + 1
    s_win = [(wk(s.available_from), wk(s.available_until)) for s in sup]
    d_win = [(wk(d.needed_from), wk(d.needed_until)) for d in dem]

    def coords(items: Any) -> tuple[np.ndarray, np.ndarray]:
        return np.array([i.lat for i in items]), np.array([i.lon for i in items])

    s_xy, d_xy, k_xy = coords(sup), coords(dem), coords(dep)
    d_sk = _km(*s_xy, *k_xy) * f if dep else np.zeros((len(sup), 0))
    d_kd = _km(*k_xy, *d_xy) * f if dep else np.zeros((0, len(dem)))

    prob = pulp.LpProblem("exchange", pulp.LpMinimize)
    objective: list[tuple[pulp.LpVariable, float]] = []
    supply_terms: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in sup]
    demand_terms: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in dem]
    stock_in: dict[tuple[int, str, int], list[tuple[pulp.LpVariable, float]]] = {}
    flows: list[tuple[int | None, int | None, int | None, int, Any]] = []
    count = 0

    def new_var(name: str) -> pulp.LpVariable:
        nonlocal count
        count += 1
        return pulp.LpVariable(name, lowBound=0)

    # x, by material so the distance block stays small
    for name in mat:
        si = [i for i, s in enumerate(sup) if s.material == name]
        di = [j for j, d in enumerate(dem) if d.material == name]
        if not si or not di:
            continue
        km = (
            _km(s_xy[0][si], s_xy[1][si], d_xy[0][di], d_xy[1][di]) * f
        )  # (len(si), len(di))
        tpu = mat[name].tonnes_per_unit
        for a, b in zip(*np.nonzero(km <= dmax), strict=True):
            s, d = si[a], di[b]
            lo = max(s_win[s][0], d_win[d][0])
            hi = min(s_win[s][1], d_win[d][1])
            unit = tpu * float(km[a, b]) * c
            for t in range(lo, hi + 1):
                v = new_var(f"x_{s}_{d}_{t}")
                objective.append((v, unit))
                supply_terms[s].append((v, 1.0))
                demand_terms[d].append((v, 1.0))
                flows.append((s, None, d, t, v))
    # y
    reach: set[tuple[int, str]] = set()
    for s, item in enumerate(sup):
        tpu = mat[item.material].tonnes_per_unit
        for k, depot in enumerate(dep):
            if d_sk[s, k] > dmax:
                continue
            reach.add((k, item.material))
            unit = tpu * (float(d_sk[s, k]) * c + depot.handling_eur_per_tonne)
            for t in range(s_win[s][0], s_win[s][1] + 1):
                v = new_var(f"y_{s}_{k}_{t}")
                objective.append((v, unit))
                supply_terms[s].append((v, 1.0))
                stock_in.setdefault((k, item.material, t), []).append((v, -1.0))
                flows.append((s, k, None, t, v))
    # z
    for d, item in enumerate(dem):
        tpu = mat[item.material].tonnes_per_unit
        for k in range(len(dep)):
            if d_kd[k, d] > dmax or (k, item.material) not in reach:
                continue
            unit = tpu * float(d_kd[k, d]) * c
            for t in range(d_win[d][0], d_win[d][1] + 1):
                v = new_var(f"z_{k}_{d}_{t}")
                objective.append((v, unit))
                demand_terms[d].append((v, 1.0))
                stock_in.setdefault((k, item.material, t), []).append((v, 1.0))
                flows.append((None, k, d, t, v))
    # I: balance I[t] - I[t-1] - sum y + sum z = 0; capacity per depot and week
    names = sorted(mat)
    capacity: dict[tuple[int, int], list[tuple[pulp.LpVariable, float]]] = {}
    rows = 0
    for k, depot in enumerate(dep):
        for m in names:
            if (k, m) not in reach:
                continue
            tpu = mat[m].tonnes_per_unit
            before = None
            mi = names.index(m)
            for t in range(n_t):
                stock = new_var(f"I_{k}_{mi}_{t}")
                unit = tpu * depot.storage_eur_per_tonne_week
                if t == n_t - 1:
                    unit += mat[m].disposal_cost_eur
                objective.append((stock, unit))
                terms = [(stock, 1.0), *stock_in.get((k, m, t), [])]
                if before is not None:
                    terms.append((before, -1.0))
                prob += pulp.LpConstraint(
                    pulp.LpAffineExpression(terms),
                    pulp.LpConstraintEQ,
                    f"b_{k}_{mi}_{t}",
                    0.0,
                )
                rows += 1
                capacity.setdefault((k, t), []).append((stock, tpu))
                before = stock
    for (k, t), terms in capacity.items():
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression(terms),
            pulp.LpConstraintLE,
            f"cap_{k}_{t}",
            dep[k].capacity_tonnes,
        )
        rows += 1
    lam = par.mki_weight
    for s, item in enumerate(sup):
        u = new_var(f"u_{s}")
        objective.append((u, mat[item.material].disposal_cost_eur))
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression([*supply_terms[s], (u, 1.0)]),
            pulp.LpConstraintEQ,
            f"s_{s}",
            item.quantity,
        )
    for d, item in enumerate(dem):
        v = new_var(f"v_{d}")
        m = mat[item.material]
        objective.append((v, m.new_cost_eur + lam * m.new_mki_eur))
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression([*demand_terms[d], (v, 1.0)]),
            pulp.LpConstraintEQ,
            f"d_{d}",
            item.quantity,
        )
    rows += len(sup) + len(dem)
    prob.setObjective(pulp.LpAffineExpression(objective))
    return PulpModel(prob, flows, count, rows)


@dataclass
class PulpSolution:
    status: str
    objective_eur: float
    flows: tuple[Flow, ...]
    hit_time_limit: bool


def solve(
    problem: ExchangeProblem, model: PulpModel, time_limit: float | None = None
) -> PulpSolution:
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    model.prob.solve(solver)
    status = pulp.LpStatus[model.prob.status]
    value = pulp.value(model.prob.objective)
    objective = float(value) if value is not None else math.nan
    sid = [s.id for s in problem.supplies]
    did = [d.id for d in problem.demands]
    kid = [k.id for k in problem.depots]
    out: list[Flow] = []
    for s, k, d, t, var in model.flows:
        q = var.varValue
        if q is None or q < 1e-9:
            continue
        out.append(
            Flow(
                sid[s] if s is not None else None,
                did[d] if d is not None else None,
                kid[k] if k is not None else None,
                t,
                t,
                float(q),
            )
        )
    # PuLP reports "Optimal" (1) only when CBC proved optimality; a stop on the time
    # limit reads as "Not Solved" or with sol_status "Integer Feasible"/"No Solution".
    sol = pulp.LpSolution.get(model.prob.sol_status, str(model.prob.sol_status))
    return PulpSolution(f"{status} / {sol}", objective, tuple(out), status != "Optimal")


def build_reduced(model: Any) -> PulpModel:
    """The engine's own reduced LP (``build_model``: the same columns, rows and costs,
    see "The reduced LP" in engine/optimize/exchange.py) written with PuLP, so that
    CBC and HiGHS are compared on one and the same LP. Flows are read back as the
    engine reads its columns (a cross-dock column is a flow into and one out of its
    depot in one week)."""
    n = model.num_columns
    xs = [pulp.LpVariable(f"c{j}", lowBound=0) for j in range(n)]
    prob = pulp.LpProblem("exchange_reduced", pulp.LpMinimize)
    rows = model.matrix.tocsr()
    for r in range(model.num_rows):
        lo, hi = rows.indptr[r], rows.indptr[r + 1]
        pairs = zip(rows.indices[lo:hi], rows.data[lo:hi], strict=True)
        expr = pulp.LpAffineExpression([(xs[j], float(v)) for j, v in pairs])
        if math.isinf(model.row_lower[r]):
            sense, rhs = pulp.LpConstraintLE, float(model.row_upper[r])
        else:
            sense, rhs = pulp.LpConstraintEQ, float(model.row_upper[r])
        prob += pulp.LpConstraint(expr, sense, f"r{r}", rhs)
    prob.setObjective(
        pulp.LpAffineExpression(
            [(xs[j], float(c)) for j, c in enumerate(model.cost) if c != 0.0]
        )
    )
    o = model.offsets
    flows: list[tuple[int | None, int | None, int | None, int, Any]] = []
    for i in range(o["w"] - o["x"]):
        s, d = int(model.x_supply[i]), int(model.x_demand[i])
        flows.append((s, None, d, int(model.x_week[i]), xs[o["x"] + i]))
    for i in range(o["y"] - o["w"]):
        s, k, d = int(model.w_supply[i]), int(model.w_depot[i]), int(model.w_demand[i])
        t, var = int(model.w_week[i]), xs[o["w"] + i]
        flows += [(s, k, None, t, var), (None, k, d, t, var)]
    for i in range(o["z"] - o["y"]):
        s, k = int(model.y_supply[i]), int(model.y_depot[i])
        flows.append((s, k, None, int(model.y_week[i]), xs[o["y"] + i]))
    for i in range(o["I"] - o["z"]):
        k, d = int(model.z_depot[i]), int(model.z_demand[i])
        flows.append((None, k, d, int(model.z_week[i]), xs[o["z"] + i]))
    return PulpModel(prob, flows, n, model.num_rows)
