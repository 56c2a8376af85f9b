# SPDX-License-Identifier: EUPL-1.2
"""Content in two languages: ``<field>_nl`` and ``<field>_en`` on the model, and a
descriptor that returns the one of the active language (Dutch when English is empty)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


class Localized:
    """``name = Localized("name")`` reads ``name_en`` on English pages, else
    ``name_nl``."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        language = (get_language() or "nl")[:2]
        if language != "nl":
            value = getattr(instance, f"{self.field}_{language}", "")
            if value:
                return value
        return getattr(instance, f"{self.field}_nl")

    def language_of(self, instance: Any) -> str:
        """The language the value is actually in (for a ``lang`` attribute)."""
        language = (get_language() or "nl")[:2]
        if language != "nl" and getattr(instance, f"{self.field}_{language}", ""):
            return language
        return "nl"
