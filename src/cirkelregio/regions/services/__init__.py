# SPDX-License-Identifier: EUPL-1.2
"""Writes to the alliance registry. Other apps, views, the API and commands call these;
they never save registry models themselves."""

from cirkelregio.regions.services.demo_data import DemoLoadReport, demo_data_load
from cirkelregio.regions.services.progress import (
    PROGRESS_FIELDS,
    ActivityProgress,
    ProgressError,
    annual_plan_progress_update,
    planned_activity_progress_update,
)
from cirkelregio.regions.services.reference_data import (
    ReferenceLoadReport,
    reference_data_load,
)
from cirkelregio.regions.services.registry import (
    annual_plan_create,
    annual_plan_update,
    organisation_create,
    organisation_delete,
    organisation_update,
    participation_create,
    participation_delete,
    participation_update,
    planned_activity_update,
)

__all__ = [
    "PROGRESS_FIELDS",
    "ActivityProgress",
    "DemoLoadReport",
    "ProgressError",
    "ReferenceLoadReport",
    "annual_plan_create",
    "annual_plan_progress_update",
    "annual_plan_update",
    "demo_data_load",
    "organisation_create",
    "organisation_delete",
    "organisation_update",
    "participation_create",
    "participation_delete",
    "participation_update",
    "planned_activity_progress_update",
    "planned_activity_update",
    "reference_data_load",
]
