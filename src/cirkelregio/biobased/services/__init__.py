# SPDX-License-Identifier: EUPL-1.2
"""Writes to the biobased-insulation models. The API, the admin, the site, commands
and other apps call these; they never save biobased models themselves."""

from cirkelregio.biobased.services.materials import MaterialsLoadReport, materials_load
from cirkelregio.biobased.services.projects import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ProjectImportReport,
    biobased_demo_load,
    project_create,
    project_delete,
    project_update,
    projects_import,
)
from cirkelregio.engine.dataio import DataLoadError

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "DataLoadError",
    "MaterialsLoadReport",
    "ProjectImportReport",
    "biobased_demo_load",
    "materials_load",
    "project_create",
    "project_delete",
    "project_update",
    "projects_import",
]
