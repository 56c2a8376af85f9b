# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cirkelregio.accounts.models import User
from cirkelregio.core.admin import is_coordinator


@admin.register(User)
class CirkelregioUserAdmin(UserAdmin):
    """Coordinators manage accounts: who belongs to which organisation, in which
    role."""

    list_display = ("username", "email", "organisation", "role", "is_active")
    list_filter = ("role", "is_active", "organisation__kind")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Cirkelregio"), {"fields": ("organisation", "role")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Cirkelregio"), {"fields": ("organisation", "role")}),
    )
    autocomplete_fields = ("organisation",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only superusers change superusers and grant superuser or staff rights.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return is_coordinator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return fields
