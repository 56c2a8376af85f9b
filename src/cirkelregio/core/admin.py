# SPDX-License-Identifier: EUPL-1.2
"""Shared admin pieces: a mixin that lets the registry rules, not Django's model
permissions, decide who sees and changes what; and the audit log for coordinators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry

from cirkelregio.accounts import rules


def is_coordinator(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_coordinator", False))


_coordinator = is_coordinator


def changed_fields(form: Any) -> dict[str, Any]:
    """The values a model form changed, to pass to an update service."""
    return {name: form.cleaned_data[name] for name in form.changed_data}


class ReadOnlyAdminMixin:
    """Records made by imports, calculations and match runs: shown, never edited
    in the admin."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RuleBasedAdminMixin:
    """``change_rule(user, obj)`` decides change and delete per object; ``add_rule``
    decides adding; editors see only what ``editor_queryset`` leaves them."""

    change_rule: Callable[[Any, Any], bool] | None = None
    delete_rule: Callable[[Any, Any], bool] | None = None
    editors_may_add = False
    editor_filter: str | None = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_edit_registry(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_edit_registry(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _coordinator(request) or (
            self.editors_may_add and rules.can_edit_registry(request.user)
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None or self.change_rule is None:
            return _coordinator(request) or (
                self.change_rule is not None and rules.can_edit_registry(request.user)
            )
        return bool(type(self).change_rule(request.user, obj))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        rule = type(self).delete_rule or type(self).change_rule
        if obj is None or rule is None:
            return _coordinator(request)
        return bool(rule(request.user, obj))  # type: ignore[misc]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)  # type: ignore[misc]
        if _coordinator(request) or self.editor_filter is None:
            return qs
        return qs.filter(**{self.editor_filter: request.user.organisation_id})


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogAdmin(LogEntryAdmin):
    """Who changed what and when; read-only, for coordinators."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _coordinator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _coordinator(request)
