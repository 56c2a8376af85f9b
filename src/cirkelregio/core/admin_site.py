# SPDX-License-Identifier: EUPL-1.2
"""The coordinator admin: open to coordinators and organisation editors (by role, not by
Django's staff flag), each seeing what the rules in ``accounts.rules`` allow."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cirkelregio.accounts import rules


class CirkelregioAdminSite(admin.AdminSite):
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


class CirkelregioAdminConfig(AdminConfig):
    default_site = "cirkelregio.core.admin_site.CirkelregioAdminSite"
