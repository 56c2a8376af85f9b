# SPDX-License-Identifier: EUPL-1.2
"""Helpers shared by the MKI services: permission checks, field updates, validation
that names the field of a duplicate, and turning data-file problems into a
validation error with one message per file, line and field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from cirkelregio.core.services import apply_changes as apply
from cirkelregio.core.services import full_clean as core_full_clean
from cirkelregio.core.services import require
from cirkelregio.core.services import save as core_save
from cirkelregio.engine.dataio import DataLoadError, Problem

__all__ = ["apply", "full_clean", "problems_error", "require", "save"]


# A violated unique constraint is reported on the field the user would change:
# constraint name -> (field, the fields made unique).
UNIQUE_CONSTRAINT_FIELDS = {
    "mki_library_name_unique_ci": ("name", ("name",)),
    "mki_profile_code_unique": ("profile_id", ("library", "profile_id")),
    "mki_variant_name_unique": ("name", ("project", "name")),
    "mki_element_name_unique": ("name", ("variant", "name")),
}


def full_clean(instance: models.Model, exclude: set[str] | None = None) -> None:
    core_full_clean(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS, exclude=exclude)


def save(instance: models.Model) -> None:
    core_save(instance, unique_fields=UNIQUE_CONSTRAINT_FIELDS)


def problem_message(problem: Problem) -> str:
    return str(problem)


def problems_error(exc: DataLoadError, field: str = "file") -> ValidationError:
    """A DataLoadError as a validation error on ``field``: one message per problem,
    each naming the file, line and field (``bill.csv, line 3, field 'quantity'``)."""
    return ValidationError({field: [problem_message(p) for p in exc.problems]})
