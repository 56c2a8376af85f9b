# SPDX-License-Identifier: EUPL-1.2
"""Helpers shared by the exchange services: permission checks, field updates and
validation that names the field of a duplicate."""

from __future__ import annotations

from django.db import models

from cirkelregio.core.services import apply_changes as apply
from cirkelregio.core.services import full_clean as core_full_clean
from cirkelregio.core.services import require
from cirkelregio.core.services import save as core_save

__all__ = ["apply", "full_clean", "require", "save"]

UNIQUE_CONSTRAINT_FIELDS = {
    "exchange_depot_name_unique": ("name", ("owner", "name")),
    "exchange_listing_reference_unique": ("reference", ("owner", "reference")),
}


def full_clean(instance: models.Model, exclude: set[str] | None = None) -> None:
    core_full_clean(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS, exclude=exclude)


def save(instance: models.Model) -> None:
    core_save(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS)
