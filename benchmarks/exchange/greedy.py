# SPDX-License-Identifier: EUPL-1.2
"""A greedy nearest-first matcher for the materials exchange: the "what a planner with
a spreadsheet would do" peer of the optimiser. Written from docs/exchange-model.md; it
shares no code with the engine's model builder (own haversine, own week arithmetic).

Demands are taken in order of their first week (then last week, then id). For each:

1. direct: the supplies of the same material whose windows overlap the demand's,
   within the maximum distance, nearest first; each gives what it has left, in the
   first common week, as long as reuse pays (new price + lambda x new MKI + the
   supply's disposal cost saved > transport cost per unit);
2. through a depot: supplies of the same material whose window ends before the
   demand's starts, each through the depot nearest to the supply (both legs within the
   maximum distance), into the depot in the supply's last week and out in the
   demand's first week, cheapest route per unit first, as long as reuse pays and the
   depot has room in every week in between;
3. the rest is bought new; whatever supply is left is disposed.

The plan is returned as the engine's ``ExchangeResult`` (flows, objective computed
here, baseline), so that ``check_plan`` can verify it and its objective.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import numpy as np

from cirkelregio.engine.optimize.exchange import (
    ExchangeProblem,
    ExchangeResult,
    Flow,
    Reuse,
)

R_KM = 6371.0088


def _km(lat1: np.ndarray, lon1: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    p1, p2 = np.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * R_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def greedy(problem: ExchangeProblem) -> ExchangeResult:
    par = problem.parameters
    c = par.transport_eur_per_tkm + par.transport_mki_eur_per_tkm
    f = par.detour_factor
    dmax = par.max_distance_km
    lam = par.mki_weight
    mat = {m.name: m for m in problem.materials}
    sup, dem, dep = problem.supplies, problem.demands, problem.depots
    dates = [x for s in sup for x in (s.available_from, s.available_until)]
    dates += [x for d in dem for x in (d.needed_from, d.needed_until)]
    first = min(dates)
    monday = first - dt.timedelta(days=first.weekday())

    def wk(day: dt.date) -> int:
        return (day - monday).days // 7

    n_t = max(wk(x) for x in dates) + 1

    s_lat = np.array([s.lat for s in sup])
    s_lon = np.array([s.lon for s in sup])
    s_lo = np.array([wk(s.available_from) for s in sup])
    s_hi = np.array([wk(s.available_until) for s in sup])
    left = np.array([s.quantity for s in sup], dtype=np.float64)
    by_material: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(0, dtype=int))
    for name in mat:
        by_material[name] = np.array(
            [i for i, s in enumerate(sup) if s.material == name], dtype=int
        )

    k_lat = np.array([k.lat for k in dep])
    k_lon = np.array([k.lon for k in dep])
    handling = np.array([k.handling_eur_per_tonne for k in dep])
    storage = np.array([k.storage_eur_per_tonne_week for k in dep])
    room = np.array([[k.capacity_tonnes] * n_t for k in dep], dtype=np.float64)
    if dep:
        # Nearest depot of every supply and its distance.
        d_sk = np.stack([_km(s_lat, s_lon, k.lat, k.lon) for k in dep], axis=1) * f
        near = np.argmin(d_sk, axis=1)
        near_km = d_sk[np.arange(len(sup)), near]
    else:
        near = np.zeros(len(sup), dtype=int)
        near_km = np.full(len(sup), np.inf)

    flows: list[Flow] = []
    cost = 0.0
    direct: dict[str, float] = defaultdict(float)
    via: dict[str, float] = defaultdict(float)
    tkm = 0.0
    order = sorted(
        range(len(dem)),
        key=lambda i: (wk(dem[i].needed_from), wk(dem[i].needed_until), dem[i].id),
    )
    for j in order:
        d = dem[j]
        m = mat[d.material]
        tpu = m.tonnes_per_unit
        gain = m.new_cost_eur + lam * m.new_mki_eur + m.disposal_cost_eur
        need = d.quantity
        d_lo, d_hi = wk(d.needed_from), wk(d.needed_until)
        cand = by_material[d.material]
        cand = cand[left[cand] > 0]
        if len(cand) and need > 0:
            km = _km(s_lat[cand], s_lon[cand], d.lat, d.lon) * f
            # 1. direct, nearest first
            ok = (km <= dmax) & (s_lo[cand] <= d_hi) & (s_hi[cand] >= d_lo)
            for i in np.argsort(km, kind="stable")[ok[np.argsort(km, kind="stable")]]:
                if need <= 0 or tpu * km[i] * c >= gain:
                    break
                s = cand[i]
                q = min(left[s], need)
                t = max(int(s_lo[s]), d_lo)
                flows.append(Flow(sup[s].id, d.id, None, t, t, float(q)))
                left[s] -= q
                need -= q
                cost += q * tpu * km[i] * c
                tkm += q * tpu * km[i]
                direct[d.material] += q
            # 2. through the supply's nearest depot
            if need > 0 and dep:
                earlier = cand[(s_hi[cand] < d_lo) & (left[cand] > 0)]
                if len(earlier):
                    k = near[earlier]
                    leg1 = near_km[earlier]
                    leg2 = _km(k_lat[k], k_lon[k], d.lat, d.lon) * f
                    held = d_lo - s_hi[earlier]
                    unit = tpu * (c * (leg1 + leg2) + handling[k] + storage[k] * held)
                    ok = (leg1 <= dmax) & (leg2 <= dmax) & (unit < gain)
                    for i in np.nonzero(ok)[0][np.argsort(unit[ok], kind="stable")]:
                        if need <= 0:
                            break
                        s = earlier[i]
                        kk = int(k[i])
                        t_in, t_out = int(s_hi[s]), d_lo
                        free = float(room[kk, t_in:t_out].min()) / tpu
                        q = min(left[s], need, free)
                        if q <= 1e-9:
                            continue
                        room[kk, t_in:t_out] -= q * tpu
                        flows.append(Flow(sup[s].id, None, dep[kk].id, t_in, t_in, q))
                        flows.append(Flow(None, d.id, dep[kk].id, t_out, t_out, q))
                        left[s] -= q
                        need -= q
                        cost += q * unit[i]
                        tkm += q * tpu * (leg1[i] + leg2[i])
                        via[d.material] += q
        # 3. the rest new
        cost += need * (m.new_cost_eur + lam * m.new_mki_eur)
    for i, s in enumerate(sup):
        cost += left[i] * mat[s.material].disposal_cost_eur
    base = math.fsum(s.quantity * mat[s.material].disposal_cost_eur for s in sup)
    base += math.fsum(
        d.quantity * (mat[d.material].new_cost_eur + lam * mat[d.material].new_mki_eur)
        for d in dem
    )
    flows.sort(
        key=lambda x: (x.week_out, x.supply or "", x.depot or "", x.demand or "")
    )
    return ExchangeResult(
        objective_eur=cost,
        baseline_eur=base,
        savings_eur=base - cost,
        reused={n: Reuse(direct[n], via[n]) for n in mat},
        tonne_km=tkm,
        transport_mki_eur=tkm * par.transport_mki_eur_per_tkm,
        new_mki_avoided_eur=math.fsum(
            (direct[n] + via[n]) * mat[n].new_mki_eur for n in mat
        ),
        flows=tuple(flows),
        start=monday,
    )
