# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadsConfig(AppConfig):
    name = "cirkelregio.roads"
    label = "roads"
    verbose_name = _("Roads (Utrechtse Asfaltstrategie)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.roads import models

        auditlog.register(models.AsphaltMixture)
        auditlog.register(models.RoadSection)
        auditlog.register(models.Passport)
        auditlog.register(models.PassportLayer)
        auditlog.register(models.MaintenanceWork)
        auditlog.register(models.WorkLayer)
