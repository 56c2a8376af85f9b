# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "cirkelregio.initiatives"
    label = "initiatives"
    verbose_name = _("Circular resident initiatives")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.initiatives import models

        for model in (models.Initiative, models.ContactPoint):
            auditlog.register(model)
