# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiobasedConfig(AppConfig):
    name = "cirkelregio.biobased"
    label = "biobased"
    verbose_name = _("Biobased insulation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.biobased import models

        for model in (models.InsulationMaterial, models.InsulationProject):
            auditlog.register(model)
