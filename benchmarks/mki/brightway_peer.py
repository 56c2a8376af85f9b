# SPDX-License-Identifier: EUPL-1.2
"""The MKI of a portfolio computed by Brightway (bw2calc 3.x), as a peer for the engine.

The model, built with bw_processing datapackages (no bw2data database, no files):

- technosphere A: one product and one activity per profile (ids 1 ... P), A = I. A
  profile is pre-aggregated per module (NMD delivers it so), so there is no supply
  chain to solve; the identity keeps Brightway's LCI step exact.
- biosphere B: one flow per (module, indicator) pair in scope, 17 x 19 = 323 flows;
  B[flow(m, i), p] = v[p, m, i], the impact of one functional unit of profile p.
  Module D is left out of B when D is excluded.
- characterisation C (one impact category "MKI"): the factor of flow (m, i) is the
  euro weight w_i of indicator i (0 and so left out for GWP-fossil, -biogenic and
  -luluc, which are parts of GWP-total).
- demand f of a project: f_p = sum over the project's lines l with profile p of
  n_l * q_l * u_p (placements, quantity, 30 % uplift on category 3 data).

Then Brightway's score c^T B A^-1 f is the MKI of the project:
sum_p f_p sum_(m,i) v[p,m,i] w_i = sum_l n_l q_l u_p sum_(m,i) v[p,m,i] w_i.

Three ways to have bw2calc compute it, all through its public classes:

- ``lca``: one ``bw2calc.LCA`` object; ``lcia(demand=...)`` once per project (the
  factorisation of A is reused, as the bw2calc docs advise for many demands);
- ``multilca``: ``bw2calc.MultiLCA`` with every project as one of its demands,
  in chunks of ``chunk`` projects (all 1,000 at once keeps 1,000 inventory matrices);
- ``fastscores``: ``bw2calc.FastScoresOnlyMultiLCA`` in the adjoint direction (solves
  A^T y = B^T c once and scores every demand as f^T y), Brightway's fast path for many
  demands and few impact categories.

Placements and uplifts are computed here with numpy, independently of the engine.
"""

from __future__ import annotations

import glob
import os
import sys
import time
from typing import Any


def _pin_mkl_rt() -> None:
    """Tell pypardiso where MKL's runtime is (its documented PYPARDISO_MKL_RT).
    Otherwise every new PyPardisoSolver - one per LCA object, and one more per
    adjoint solve - searches the whole venv with a recursive glob, about 0.5 s here;
    that would be a cost of this machine's venv, not of Brightway's arithmetic."""
    if "PYPARDISO_MKL_RT" in os.environ:
        return
    found = sorted(glob.glob(f"{sys.prefix}/lib/libmkl_rt.so*"), key=len)
    if found:
        os.environ["PYPARDISO_MKL_RT"] = found[0]


_pin_mkl_rt()

import bw2calc as bc  # noqa: E402
import bw_processing as bwp  # noqa: E402
import numpy as np  # noqa: E402

IMPACT = "MKI"
FLOW_OFFSET = 1_000_000
"""Biosphere flow ids start here, far from the product ids 1 ... P."""


def placements(
    life: np.ndarray, reference_period: float = 50.0, rule: str = "ceil"
) -> np.ndarray:
    n = np.ones_like(life)
    short = ~np.isnan(life) & (life < reference_period)
    ratio = reference_period / life[short]
    n[short] = np.ceil(ratio) if rule == "ceil" else ratio
    return n


def datapackage(
    values: np.ndarray,
    effective: np.ndarray,
    modules: tuple[str, ...],
    include_module_d: bool = True,
) -> Any:
    """technosphere, biosphere and characterisation matrices of the model above.
    ``values``: (profiles, modules, indicators); ``effective``: euro per unit per
    indicator, 0 where not weighted."""
    n_profiles, n_modules, n_indicators = values.shape
    in_scope = np.array([include_module_d or m != "D" for m in modules])
    ids = np.arange(1, n_profiles + 1, dtype=np.int64)
    dp = bwp.create_datapackage(sequential=True)

    tech = np.empty(n_profiles, dtype=bwp.INDICES_DTYPE)
    tech["row"] = ids
    tech["col"] = ids
    dp.add_persistent_vector(
        matrix="technosphere_matrix",
        name="production",
        indices_array=tech,
        data_array=np.ones(n_profiles),
        flip_array=np.zeros(n_profiles, dtype=bool),
    )

    flow = FLOW_OFFSET + np.arange(n_modules * n_indicators, dtype=np.int64).reshape(
        n_modules, n_indicators
    )
    scoped = values[:, in_scope, :]  # (P, M', I)
    flows = flow[in_scope, :]  # (M', I)
    bio = np.empty(scoped.size, dtype=bwp.INDICES_DTYPE)
    bio["row"] = np.broadcast_to(flows[None, :, :], scoped.shape).ravel()
    bio["col"] = np.broadcast_to(ids[:, None, None], scoped.shape).ravel()
    keep = scoped.ravel() != 0
    dp.add_persistent_vector(
        matrix="biosphere_matrix",
        name="impacts per functional unit",
        indices_array=bio[keep],
        data_array=scoped.ravel()[keep],
    )

    cf_flows = flows[:, effective != 0].ravel()
    cf_values = np.broadcast_to(
        effective[effective != 0], flows[:, effective != 0].shape
    )
    cf = np.empty(cf_flows.size, dtype=bwp.INDICES_DTYPE)
    cf["row"] = cf_flows
    cf["col"] = 0
    dp.add_persistent_vector(
        matrix="characterization_matrix",
        name="MKI euro weights",
        identifier=IMPACT,
        indices_array=cf,
        data_array=np.ascontiguousarray(cf_values.ravel()),
    )
    return dp


def demands(
    project: np.ndarray,
    profile: np.ndarray,
    quantity: np.ndarray,
    service_life: np.ndarray,
    uplift: np.ndarray,
    n_projects: int,
    reference_period: float = 50.0,
    rule: str = "ceil",
) -> list[dict[int, float]]:
    """Per project the demand {product id: sum of n_l q_l u_p over its lines}."""
    n_profiles = len(uplift)
    amount = placements(service_life, reference_period, rule) * quantity
    amount = amount * uplift[profile]
    key = project.astype(np.int64) * n_profiles + profile
    keys, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse, weights=amount, minlength=len(keys))
    owner = keys // n_profiles
    product = (keys % n_profiles + 1).tolist()
    bounds = np.searchsorted(owner, np.arange(n_projects + 1)).tolist()
    values = summed.tolist()
    return [
        dict(
            zip(
                product[bounds[k] : bounds[k + 1]],
                values[bounds[k] : bounds[k + 1]],
                strict=True,
            )
        )
        for k in range(n_projects)
    ]


def mki_lca(dp: Any, demand_list: list[dict[int, float]]) -> np.ndarray:
    lca = bc.LCA(demand_list[0], data_objs=[dp])
    lca.lci(factorize=True)
    lca.lcia()
    scores = np.empty(len(demand_list))
    for k, demand in enumerate(demand_list):
        lca.lcia(demand=demand)
        scores[k] = lca.score
    return scores


def mki_multilca(
    dp: Any, demand_list: list[dict[int, float]], chunk: int = 100
) -> np.ndarray:
    scores = np.empty(len(demand_list))
    for start in range(0, len(demand_list), chunk):
        part = {
            str(k): demand_list[k]
            for k in range(start, min(start + chunk, len(demand_list)))
        }
        mlca = bc.MultiLCA(
            demands=part, method_config={"impact_categories": [IMPACT]}, data_objs=[dp]
        )
        mlca.lci()
        mlca.lcia()
        for (_, name), score in mlca.scores.items():
            scores[int(name)] = score
    return scores


def mki_fastscores(dp: Any, demand_list: list[dict[int, float]]) -> np.ndarray:
    fast = bc.FastScoresOnlyMultiLCA(
        demands={str(k): d for k, d in enumerate(demand_list)},
        method_config={"impact_categories": [IMPACT]},
        data_objs=[dp],
        direction="adjoint",
    )
    scores = fast.calculate()
    return np.asarray(scores.sel(LCIA=str(IMPACT)).values, dtype=np.float64)


VARIANTS = {"lca": mki_lca, "multilca": mki_multilca, "fastscores": mki_fastscores}


def portfolio_totals(
    arrays: dict[str, Any],
    modules: tuple[str, ...],
    n_projects: int,
    variant: str = "lca",
    reference_period: float = 50.0,
    rule: str = "ceil",
    include_module_d: bool = True,
    timings: dict[str, float] | None = None,
) -> np.ndarray:
    """Total MKI per project, from the arrays of ``generate.as_arrays``: datapackage,
    demands and bw2calc calculation, all included. ``timings``, when given, gets the
    seconds of each of the three steps."""
    t0 = time.perf_counter()
    dp = datapackage(arrays["values"], arrays["effective"], modules, include_module_d)
    t1 = time.perf_counter()
    demand_list = demands(
        arrays["project"],
        arrays["profile"],
        arrays["quantity"],
        arrays["service_life"],
        arrays["uplift"],
        n_projects,
        reference_period,
        rule,
    )
    t2 = time.perf_counter()
    totals = VARIANTS[variant](dp, demand_list)
    if timings is not None:
        timings["datapackage"] = t1 - t0
        timings["demands"] = t2 - t1
        timings["bw2calc"] = time.perf_counter() - t2
    return totals
