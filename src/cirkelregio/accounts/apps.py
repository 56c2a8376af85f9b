# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cirkelregio.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Two-factor devices: the audit log records who added, confirmed and removed
        # one, never the key, the backup codes (StaticToken is not logged at all) or
        # the throttling counters.
        for model in (TOTPDevice, StaticDevice):
            auditlog.register(model, include_fields=["user", "name", "confirmed"])
