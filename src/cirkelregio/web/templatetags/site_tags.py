# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import translate_url

register = template.Library()

PHASE_CSS = {"connect": "connect", "explore": "explore", "realise": "realise"}


@register.simple_tag(takes_context=True)
def alternate_url(context: dict[str, Any], language: str) -> str:
    """The current page in another language."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)


@register.filter
def phase_class(phase: str | None) -> str:
    return f"cr-phase cr-phase--{PHASE_CSS.get(phase or '', 'none')}"


@register.simple_tag
def localized_lang(instance: Any, field: str) -> str:
    """The language a Localized field's value is in (for a lang attribute)."""
    descriptor = getattr(type(instance), field)
    return str(descriptor.language_of(instance))


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def split_list(value: str) -> list[str]:
    return value.split(",")
