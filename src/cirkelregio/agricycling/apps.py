# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgricyclingConfig(AppConfig):
    name = "cirkelregio.agricycling"
    label = "agricycling"
    verbose_name = _("Agricycling")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.agricycling import models

        auditlog.register(models.Season)
        auditlog.register(models.MowingParcel)
        auditlog.register(models.Farm)
        auditlog.register(models.FarmCapacity)
        auditlog.register(models.Tariffs)
        auditlog.register(models.CompostBatch)
        auditlog.register(models.AllocationRun)
