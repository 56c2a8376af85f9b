# SPDX-License-Identifier: EUPL-1.2
"""The MKI (Milieukostenindicator) engine: weighting sets, profile libraries, bills of
quantities, the calculation of docs/mki-method.md, variant comparison and tender
scoring. Pure Python and numpy."""

from cirkelregio.engine.mki.calculate import (
    LineResult,
    MissingFactorError,
    Options,
    Result,
    WeightedLibrary,
    calculate,
    calculate_portfolio,
    placements,
    weigh,
)
from cirkelregio.engine.mki.compare import Comparison, compare
from cirkelregio.engine.mki.inputs import Bill, ProfileLibrary, read_bill, read_profiles
from cirkelregio.engine.mki.modules import CATEGORY_3_UPLIFT, DATA_CATEGORIES, MODULES
from cirkelregio.engine.mki.tender import Bid, Criterion, RankedBid, penalty, rank_bids
from cirkelregio.engine.mki.weighting import (
    BUILTIN_SETS,
    WeightingSet,
    load_weighting_set,
    read_weighting_set,
)

__all__ = [
    "BUILTIN_SETS",
    "CATEGORY_3_UPLIFT",
    "DATA_CATEGORIES",
    "MODULES",
    "Bid",
    "Bill",
    "Comparison",
    "Criterion",
    "LineResult",
    "MissingFactorError",
    "Options",
    "ProfileLibrary",
    "RankedBid",
    "Result",
    "WeightedLibrary",
    "WeightingSet",
    "calculate",
    "calculate_portfolio",
    "compare",
    "load_weighting_set",
    "penalty",
    "placements",
    "rank_bids",
    "read_bill",
    "read_profiles",
    "read_weighting_set",
    "weigh",
]
