# SPDX-License-Identifier: EUPL-1.2
"""Typed access to environment variables, with the documented defaults in one place.

Every setting that may differ between installations is read here. ``ENV_VARS`` keeps
the name, default, help text and production rule of each: ``cirkelregio config
reference`` writes the table in ``docs/configuration.md`` from it.

The production settings (``cirkelregio.conf.production``) set ``PRODUCTION`` before
the settings are read: then a variable marked ``required`` must be set, and a variable
with a ``production`` default takes that default when it is not set.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str
    help: str
    # Required under the production settings (no default there).
    required: bool = False
    # The default under the production settings, when it differs; None: the same.
    production: str | None = None
    # How the default is shown in the documentation (instead of a machine's path).
    shown: str | None = None


ENV_VARS: dict[str, EnvVar] = {}
# Set by cirkelregio.conf.production before the settings are read.
PRODUCTION = False


def _register(
    name: str,
    default: str,
    help: str,
    *,
    required: bool = False,
    production: str | None = None,
    shown: str | None = None,
) -> str:
    ENV_VARS[name] = EnvVar(name, default, help, required, production, shown)
    raw = os.environ.get(name)
    if PRODUCTION:
        if required and not (raw or "").strip():
            raise ImproperlyConfigured(
                f"{name} must be set for the production settings "
                "(docs/configuration.md)"
            )
        if raw is None and production is not None:
            return production
    return default if raw is None else raw


def _bool_text(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def env_str(
    name: str,
    default: str,
    help: str,
    *,
    required: bool = False,
    production: str | None = None,
    shown: str | None = None,
) -> str:
    return _register(
        name, default, help, required=required, production=production, shown=shown
    )


def env_bool(
    name: str,
    default: bool,
    help: str,
    *,
    production: bool | None = None,
    shown: str | None = None,
) -> bool:
    raw = (
        _register(
            name,
            _bool_text(default) or "",
            help,
            production=_bool_text(production),
            shown=shown,
        )
        .strip()
        .lower()
    )
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"Environment variable {name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, help: str) -> int:
    raw = _register(name, str(default), help)
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"Environment variable {name} must be a whole number") from exc


def env_list(
    name: str, default: str, help: str, *, required: bool = False
) -> list[str]:
    return [
        item.strip()
        for item in _register(name, default, help, required=required).split(",")
        if item.strip()
    ]


def env_optional_float(name: str, help: str) -> float | None:
    """A number of at least 0, or None when the variable is empty or not set."""
    raw = _register(name, "", help).strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"Environment variable {name} must be a number") from exc
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"Environment variable {name} must be a number of at least 0")
    return value
