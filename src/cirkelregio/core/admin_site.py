# SPDX-License-Identifier: EUPL-1.2
"""The coordinator admin: open to coordinators and organisation editors (by role, not by
Django's staff flag), each seeing what the rules in ``accounts.rules`` allow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cirkelregio.accounts import rules


class RoleAuthenticationForm(AdminAuthenticationForm):
    """Admin sign-in by role: coordinators and organisation editors, not staff flags."""

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active or not (
            user.is_superuser or rules.can_edit_registry(user)
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class CirkelregioAdminSite(admin.AdminSite):
    login_form = RoleAuthenticationForm
    site_header = _("Cirkelregio – registry management")
    site_title = _("Cirkelregio management")
    index_title = _("Registry")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and (user.is_superuser or rules.can_edit_registry(user))
        )
