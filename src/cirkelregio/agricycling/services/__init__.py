# SPDX-License-Identifier: EUPL-1.2
"""Writes to the Agricycling app. The API, the admin, the pages and the commands
call these; they never save Agricycling models themselves."""

from cirkelregio.agricycling.services.demo_data import DemoReport, agricycling_demo_load
from cirkelregio.agricycling.services.imports import (
    ImportReport,
    import_farms,
    import_parcels,
    parcels_geojson,
)
from cirkelregio.agricycling.services.runs import (
    allocate_file,
    allocation_check,
    allocation_run,
    run_settlement,
    season_create,
    statement_csv,
    tariffs_set,
)

__all__ = [
    "DemoReport",
    "ImportReport",
    "agricycling_demo_load",
    "allocate_file",
    "allocation_check",
    "allocation_run",
    "import_farms",
    "import_parcels",
    "parcels_geojson",
    "run_settlement",
    "season_create",
    "statement_csv",
    "tariffs_set",
]
