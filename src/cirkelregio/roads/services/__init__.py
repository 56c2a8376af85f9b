# SPDX-License-Identifier: EUPL-1.2
"""Writes to the roads app. The API, the admin, commands and other apps call these;
they never save roads models themselves."""

from cirkelregio.roads.services.catalogue import (
    mki_variants_load,
    substitutions_csv,
    substitutions_load,
)
from cirkelregio.roads.services.demo_data import roads_demo_load
from cirkelregio.roads.services.exports import (
    passports_csv,
    sections_csv,
    sections_geojson,
    works_csv,
)
from cirkelregio.roads.services.forecast import (
    ForecastReport,
    forecast_follow,
    forecast_publish,
)
from cirkelregio.roads.services.harmonisation import (
    harmonisation_parameters,
    harmonisation_run,
)
from cirkelregio.roads.services.imports import (
    ImportReport,
    import_passports,
    import_sections,
    import_works,
)
from cirkelregio.roads.services.mixtures import MixtureLoadReport, mixtures_load
from cirkelregio.roads.services.records import (
    passport_create,
    passport_delete,
    section_create,
    section_delete,
    section_update,
    work_create,
    work_delete,
    work_update,
)

__all__ = [
    "ForecastReport",
    "ImportReport",
    "MixtureLoadReport",
    "forecast_follow",
    "forecast_publish",
    "harmonisation_parameters",
    "harmonisation_run",
    "import_passports",
    "import_sections",
    "import_works",
    "mixtures_load",
    "mki_variants_load",
    "passport_create",
    "passport_delete",
    "passports_csv",
    "roads_demo_load",
    "section_create",
    "section_delete",
    "section_update",
    "sections_csv",
    "sections_geojson",
    "substitutions_csv",
    "substitutions_load",
    "work_create",
    "work_delete",
    "work_update",
    "works_csv",
]
