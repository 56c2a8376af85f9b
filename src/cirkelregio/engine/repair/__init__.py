# SPDX-License-Identifier: EUPL-1.2
"""Repair impact: reading Open Repair Data Standard (ORDS) files and computing repair
statistics (outcomes, fix rate, barriers, and waste prevented and CO2e averted by the
Restarters method). Pure Python; the command is ``cirkelregio repair ords-stats``."""

from cirkelregio.engine.repair.impact import (
    CategoryFactor,
    ImpactFactors,
    load_impact_factors,
    read_impact_factors,
)
from cirkelregio.engine.repair.ords import (
    BARRIERS,
    ORDS_PRODUCT_CATEGORIES,
    REPAIR_STATUSES,
    OrdsFile,
    OrdsRecord,
    read_ords,
)
from cirkelregio.engine.repair.stats import (
    GROUP_KEYS,
    GroupStats,
    RepairStatistics,
    compute_statistics,
)

__all__ = [
    "BARRIERS",
    "GROUP_KEYS",
    "ORDS_PRODUCT_CATEGORIES",
    "REPAIR_STATUSES",
    "CategoryFactor",
    "GroupStats",
    "ImpactFactors",
    "OrdsFile",
    "OrdsRecord",
    "RepairStatistics",
    "compute_statistics",
    "load_impact_factors",
    "read_impact_factors",
    "read_ords",
]
