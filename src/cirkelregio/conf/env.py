# SPDX-License-Identifier: EUPL-1.2
"""Typed access to environment variables, with the documented defaults in one place.

Every setting that may differ between installations is read here. ``ENV_VARS`` keeps
the name, default and help text of each, so ``docs/configuration.md`` can be checked
against it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str
    help: str


ENV_VARS: dict[str, EnvVar] = {}


def _register(name: str, default: str, help: str) -> str:
    ENV_VARS[name] = EnvVar(name, default, help)
    return os.environ.get(name, default)


def env_str(name: str, default: str, help: str) -> str:
    return _register(name, default, help)


def env_bool(name: str, default: bool, help: str) -> bool:
    raw = _register(name, "true" if default else "false", help).strip().lower()
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


def env_list(name: str, default: str, help: str) -> list[str]:
    return [
        item.strip()
        for item in _register(name, default, help).split(",")
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
