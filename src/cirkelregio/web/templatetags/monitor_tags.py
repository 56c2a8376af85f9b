# SPDX-License-Identifier: EUPL-1.2
"""Numbers of the Regiomonitor: a value rounded to its indicator's decimals, in the
page's language, with its unit."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def number(value: float | None, decimals: int = 0) -> str:
    """The value rounded to ``decimals``, grouped by thousands; a dash when there is
    none."""
    if value is None:
        return "–"
    decimals = int(decimals)
    return number_format(round(value, decimals), decimals, force_grouping=True)


@register.filter
def with_unit(value: float | None, indicator: Any) -> str:
    """The value as a reader says it: "€ 1,200", "12.5 %", "30 t", "yes"."""
    if value is None:
        return "–"
    unit = indicator.unit
    if unit == "0/1":
        return _("yes") if value >= 0.5 else _("no")
    text = number(value, indicator.decimals)
    if unit == "EUR":
        return f"€ {text}"
    if unit == "count":
        return text
    return f"{text} {unit}"
