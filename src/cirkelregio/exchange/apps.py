# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "cirkelregio.exchange"
    label = "exchange"
    verbose_name = _("Materials exchange (Stenen delen)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cirkelregio.exchange import models

        for model in (
            models.MaterialClass,
            models.Depot,
            models.Listing,
            models.Proposal,
        ):
            auditlog.register(model)
