# SPDX-License-Identifier: EUPL-1.2
"""What the optimisation models share about their input and their solver: a problem
in the input named by its JSON path, the error that carries every such problem, the
error of a solve without a usable solution, and the reading of a list of JSON objects
with known fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InputIssue:
    """A problem in the input. ``path`` names the field the way the JSON file does,
    e.g. ``requirements[3].tonnes`` (empty for the whole input)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(ValueError):
    """One or more problems in the input; nothing was solved."""

    def __init__(self, issues: Sequence[InputIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class SolveError(RuntimeError):
    """HiGHS returned no usable solution."""


def json_records(
    data: Mapping[str, Any],
    key: str,
    fields: Sequence[str],
    issues: list[InputIssue],
    *,
    default: list[Any] | None = None,
) -> list[tuple[str, Mapping[str, Any]]]:
    """The objects of the list ``data[key]`` with their JSON paths (``key[i]``); a
    missing list is ``default`` (None: an issue), a non-object item or an unknown
    field is an issue."""
    raw = data.get(key, default)
    if not isinstance(raw, list):
        issues.append(InputIssue(key, "must be a list"))
        return []
    out: list[tuple[str, Mapping[str, Any]]] = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            issues.append(InputIssue(where, "must be an object"))
            continue
        unknown = sorted(set(item) - set(fields))
        if unknown:
            issues.append(InputIssue(where, "unknown fields: " + ", ".join(unknown)))
        out.append((where, item))
    return out
