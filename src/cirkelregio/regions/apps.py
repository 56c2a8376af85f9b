# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "cirkelregio.regions"
    label = "regions"
    verbose_name = _("Alliance registry")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.regions import models

        for model in (
            models.Organisation,
            models.ActionLine,
            models.SubGoal,
            models.LineActivity,
            models.Participation,
            models.AnnualPlan,
            models.PlannedActivity,
            models.Municipality,
        ):
            auditlog.register(model, exclude_fields=["boundary"])
