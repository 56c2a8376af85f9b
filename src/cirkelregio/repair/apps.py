# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairConfig(AppConfig):
    name = "cirkelregio.repair"
    label = "repair"
    verbose_name = _("Repair map (Heel Utrecht Repareert)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.repair import models

        auditlog.register(models.RepairPlace, m2m_fields={"categories"})
        # The submitter's name and address are personal data: never in the log.
        auditlog.register(
            models.RepairPlaceSuggestion,
            exclude_fields=["submitter_name", "submitter_email"],
        )
        # Datasets only: their records are written in bulk, which no log records.
        auditlog.register(models.OrdsDataset)
