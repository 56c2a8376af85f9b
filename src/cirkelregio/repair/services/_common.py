# SPDX-License-Identifier: EUPL-1.2
"""Helpers shared by the repair services: validation that names the field of a
duplicate, and a save that reports a concurrent duplicate the same way."""

from __future__ import annotations

from django.db import models

from cirkelregio.core.services import apply_changes as apply
from cirkelregio.core.services import full_clean as core_full_clean
from cirkelregio.core.services import require
from cirkelregio.core.services import save as core_save

__all__ = ["apply", "full_clean", "require", "save"]

UNIQUE_CONSTRAINT_FIELDS = {
    "repair_place_import_key_unique": ("import_key", ("import_key",)),
}


def full_clean(instance: models.Model, exclude: set[str] | None = None) -> None:
    core_full_clean(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS, exclude=exclude)


def save(instance: models.Model) -> None:
    core_save(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS)
