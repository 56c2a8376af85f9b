# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cirkelregio.accounts import selectors, services
from cirkelregio.accounts.models import User
from cirkelregio.core.admin import is_coordinator

# django-otp's own device admins show and edit the secrets: coordinators see who has
# two-factor login on in the user list instead, and reset it there.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class TwoFactorFilter(admin.SimpleListFilter):
    title = _("two-factor login")
    parameter_name = "two_factor"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return (("on", _("On")), ("off", _("Off")))

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() in ("on", "off"):
            return queryset.filter(has_two_factor=self.value() == "on")
        return queryset


@admin.register(User)
class CirkelregioUserAdmin(UserAdmin):
    """Coordinators manage accounts: who belongs to which organisation, in which
    role."""

    list_display = (
        "username",
        "email",
        "organisation",
        "role",
        "is_active",
        "two_factor",
    )
    list_filter = ("role", "is_active", TwoFactorFilter, "organisation__kind")
    actions = ("reset_two_factor",)
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Cirkelregio"), {"fields": ("organisation", "role")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Cirkelregio"), {"fields": ("organisation", "role")}),
    )
    autocomplete_fields = ("organisation",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return selectors.with_two_factor(super().get_queryset(request))

    @admin.display(boolean=True, description=_("two-factor login"))
    def two_factor(self, obj: Any) -> bool:
        return bool(getattr(obj, "has_two_factor", False))

    @admin.action(description=_("Reset two-factor login (lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        reset = refused = 0
        for user in queryset:
            try:
                reset += services.two_factor_reset(actor=request.user, user=user)  # type: ignore[arg-type]
            except PermissionDenied:
                refused += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor login reset for %(count)d user: they sign in with their "
                "password and set it up again.",
                "Two-factor login reset for %(count)d users: they sign in with their "
                "password and set it up again.",
                reset,
            )
            % {"count": reset},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d user was left alone: only a superuser resets a "
                    "superuser.",
                    "%(count)d users were left alone: only a superuser resets a "
                    "superuser.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

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
