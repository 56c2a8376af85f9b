# SPDX-License-Identifier: EUPL-1.2
"""Validation that names the field of a duplicate, for the roads services."""

from __future__ import annotations

from django.db import models

from cirkelregio.core.services import full_clean as core_full_clean
from cirkelregio.core.services import require

__all__ = ["full_clean", "require"]

UNIQUE_CONSTRAINT_FIELDS = {
    "roads_section_external_id_unique": (
        "external_id",
        ("authority", "external_id"),
    ),
    "roads_work_external_id_unique": ("external_id", ("authority", "external_id")),
    "roads_passport_section_from_unique": ("valid_from", ("section", "valid_from")),
    "roads_passport_layer_position": ("position", ("passport", "position")),
    "roads_work_layer_position": ("position", ("work", "position")),
}


def full_clean(instance: models.Model, exclude: set[str] | None = None) -> None:
    core_full_clean(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS, exclude=exclude)
