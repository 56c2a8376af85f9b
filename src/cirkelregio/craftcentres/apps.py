# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CraftCentresConfig(AppConfig):
    name = "cirkelregio.craftcentres"
    label = "craftcentres"
    verbose_name = _("Circular craft centres")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.craftcentres import models

        for model in (
            models.BulkyWasteFigure,
            models.CentreSite,
            models.NetworkScenario,
        ):
            auditlog.register(model)
