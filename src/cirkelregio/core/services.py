# SPDX-License-Identifier: EUPL-1.2
"""Building blocks of every app's services: the permission check, applying a set of
allowed field changes, validation that names the field of a duplicate, and a save that
turns a concurrent duplicate into that same validation error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

UniqueFields = Mapping[str, tuple[str, tuple[str, ...]]]
"""Constraint name -> (the field a duplicate is reported on, the fields made unique)."""


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not make this change."))


def apply_changes(
    instance: Any, fields: dict[str, Any], allowed: set[str]
) -> list[str]:
    """Set the given fields (only those allowed); return the names that changed."""
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


def full_clean(
    instance: models.Model,
    *,
    unique_fields: UniqueFields | None = None,
    exclude: set[str] | None = None,
) -> None:
    """``full_clean``, but a violated unique constraint is reported on the field the
    user would change, in Django's words for a duplicate."""
    unique_fields = unique_fields or {}
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
            if constraint.name in unique_fields:
                field, unique = unique_fields[constraint.name]
                error = ValidationError(
                    {field: instance.unique_error_message(model, unique)}
                )
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def save(instance: models.Model, *, unique_fields: UniqueFields | None = None) -> None:
    """Save a checked record. When a concurrent request stored the same unique values
    first, the database refuses the row: that is reported as the validation error,
    not as a server error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        full_clean(instance, unique_fields=unique_fields)
        raise
