# SPDX-License-Identifier: EUPL-1.2
"""Writes to the craft-centres models. The API, the admin, the site, commands and
other apps call these; they never save craft-centres models themselves."""

from cirkelregio.craftcentres.services.demo_data import (
    CraftCentresDemoReport,
    craftcentres_demo_load,
)
from cirkelregio.craftcentres.services.scenarios import (
    MAX_P_VALUES,
    engine_input,
    parse_p_values,
    remaining_p,
    scenario_choose,
    scenario_create,
    scenario_delete,
    scenario_publish,
    scenario_run,
    scenario_step,
)
from cirkelregio.craftcentres.services.sites import (
    COLUMNS,
    REQUIRED_COLUMNS,
    SiteImportReport,
    figure_set,
    site_create,
    site_delete,
    site_update,
    sites_import,
)
from cirkelregio.engine.dataio import DataLoadError

__all__ = [
    "COLUMNS",
    "MAX_P_VALUES",
    "REQUIRED_COLUMNS",
    "CraftCentresDemoReport",
    "DataLoadError",
    "SiteImportReport",
    "craftcentres_demo_load",
    "engine_input",
    "figure_set",
    "parse_p_values",
    "remaining_p",
    "scenario_choose",
    "scenario_create",
    "scenario_delete",
    "scenario_publish",
    "scenario_run",
    "scenario_step",
    "site_create",
    "site_delete",
    "site_update",
    "sites_import",
]
