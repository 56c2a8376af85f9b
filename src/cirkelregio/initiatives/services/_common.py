# SPDX-License-Identifier: EUPL-1.2
"""Helpers shared by the initiatives services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cirkelregio.core.services import apply_changes as apply
from cirkelregio.core.services import full_clean, require, save

__all__ = ["apply", "check_fields", "full_clean", "require", "save"]


def check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )
