# SPDX-License-Identifier: EUPL-1.2
"""Circulaire Ambachtscentra: planning a network of shared craft centres
(``docs/planning-models.md`` section 2, p-median and maximal coverage with
HiGHS) over the PC4 areas of a region. Pure Python; no Django."""

from cirkelregio.engine.craftcentres.heuristics import greedy
from cirkelregio.engine.craftcentres.network import (
    Comparison,
    DemandPoint,
    InputIssue,
    NetworkInputError,
    NetworkResult,
    Parameters,
    Site,
    SiteReport,
    SolveError,
    compare,
    evaluate,
    max_coverage,
    p_median,
    plan,
)

__all__ = [
    "Comparison",
    "DemandPoint",
    "InputIssue",
    "NetworkInputError",
    "NetworkResult",
    "Parameters",
    "Site",
    "SiteReport",
    "SolveError",
    "compare",
    "evaluate",
    "greedy",
    "max_coverage",
    "p_median",
    "plan",
]
