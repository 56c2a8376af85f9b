# SPDX-License-Identifier: EUPL-1.2
"""Reads about the signed-in user that the other apps' selectors share: whether they
see everything (coordinators) and which organisation's unpublished records they see
(the one they edit). ``user`` may be anything a request carries: a ``User``, an
anonymous user or None; only the ``is_coordinator``, ``is_organisation_editor`` and
``organisation_id`` it has count."""

from __future__ import annotations

from typing import Any

__all__ = ["edited_organisation_id", "is_coordinator"]


def is_coordinator(user: Any) -> bool:
    """Whether the user sees and edits every record (an active coordinator or a
    superuser)."""
    return bool(getattr(user, "is_coordinator", False))


def edited_organisation_id(user: Any) -> int | None:
    """The organisation whose unpublished records the user sees: the one they edit
    (``accounts.rules.can_view_organisation``). Members without the editor role see
    only what is published."""
    if getattr(user, "is_organisation_editor", False):
        return int(user.organisation_id)
    return None
