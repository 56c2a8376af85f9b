# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cirkelregio.events"
    label = "events"
    verbose_name = _("Repair events and the Reparatieweek")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.events import models

        for model in (models.ReparatieweekEdition, models.RepairEvent):
            auditlog.register(model)
