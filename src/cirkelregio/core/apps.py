# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "cirkelregio.core"
    label = "core"


class CirkelregioAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that opens by role (see ``admin_site``)."""

    default = False
    default_site = "cirkelregio.core.admin_site.CirkelregioAdminSite"
