# SPDX-License-Identifier: EUPL-1.2
"""Optimisation models solved exactly with HiGHS: the materials exchange
(docs/exchange-model.md)."""

from cirkelregio.engine.optimize.depots import (
    Alternative,
    Candidate,
    SitingProblem,
    SitingResult,
    read_siting_problem,
    site_depots,
)
from cirkelregio.engine.optimize.exchange import (
    Demand,
    Depot,
    ExchangeProblem,
    ExchangeResult,
    Flow,
    Material,
    Parameters,
    Reuse,
    SolveError,
    Supply,
    build_model,
    check_plan,
    read_problem,
    solve,
)

__all__ = [
    "Alternative",
    "Candidate",
    "Demand",
    "Depot",
    "ExchangeProblem",
    "ExchangeResult",
    "Flow",
    "Material",
    "Parameters",
    "Reuse",
    "SitingProblem",
    "SitingResult",
    "SolveError",
    "Supply",
    "build_model",
    "check_plan",
    "read_problem",
    "read_siting_problem",
    "site_depots",
    "solve",
]
