# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "cirkelregio.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.monitoring import models

        auditlog.register(models.Indicator)
        auditlog.register(models.IndicatorValue)
