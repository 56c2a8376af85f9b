# SPDX-License-Identifier: EUPL-1.2
"""Helpers shared by the MKI services: permission checks, field updates, validation
that names the field of a duplicate, and turning data-file problems into a
validation error with one message per file, line and field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from cirkelregio.engine.dataio import DataLoadError, Problem


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not make this change."))


def apply(instance: Any, fields: dict[str, Any], allowed: set[str]) -> list[str]:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# A violated unique constraint is reported on the field the user would change:
# constraint name -> (field, the fields made unique).
UNIQUE_CONSTRAINT_FIELDS = {
    "mki_library_name_unique_ci": ("name", ("name",)),
    "mki_profile_code_unique": ("profile_id", ("library", "profile_id")),
    "mki_variant_name_unique": ("name", ("project", "name")),
    "mki_element_name_unique": ("name", ("variant", "name")),
}


def full_clean(instance: models.Model, exclude: set[str] | None = None) -> None:
    """``full_clean``, but a duplicate names a field instead of the whole record."""
    errors: dict[str, Any] = {}
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    model = type(instance)
    invalid = set(errors) - {NON_FIELD_ERRORS}
    for constraint in model._meta.constraints:
        try:
            constraint.validate(model, instance, exclude=invalid | (exclude or set()))
        except ValidationError as exc:
            error = exc
            if constraint.name in UNIQUE_CONSTRAINT_FIELDS:
                field, unique = UNIQUE_CONSTRAINT_FIELDS[constraint.name]
                error = ValidationError(
                    {field: instance.unique_error_message(model, unique)}
                )
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def save(instance: models.Model) -> None:
    """Save a checked record; a concurrent duplicate is a validation error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        full_clean(instance)
        raise


def problem_message(problem: Problem) -> str:
    return str(problem)


def problems_error(exc: DataLoadError, field: str = "file") -> ValidationError:
    """A DataLoadError as a validation error on ``field``: one message per problem,
    each naming the file, line and field (``bill.csv, line 3, field 'quantity'``)."""
    return ValidationError({field: [problem_message(p) for p in exc.problems]})
