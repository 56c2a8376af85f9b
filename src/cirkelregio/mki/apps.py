# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MkiConfig(AppConfig):
    name = "cirkelregio.mki"
    label = "mki"
    verbose_name = _("MKI (environmental cost indicator)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.mki import models

        for model in (
            models.ProfileLibrary,
            models.Project,
            models.Variant,
            models.Element,
            models.BillLine,
            models.Tender,
            models.Bid,
        ):
            auditlog.register(model)
