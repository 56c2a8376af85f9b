# SPDX-License-Identifier: EUPL-1.2
"""Two-factor login (django-otp): setting up an authenticator app (TOTP), the
single-use backup codes, checking a code with django-otp's throttling, turning it off
and the coordinators' reset for a lost phone.

A user has at most one confirmed authenticator and one set of backup codes. Secrets
(the TOTP key, the backup codes, the codes typed) never reach a log or the audit log:
the audit log records only that a device was added, confirmed or removed (see
``AccountsConfig.ready``) and, for a reset, who reset whose login.
"""

from __future__ import annotations

import math
from base64 import b32encode
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from auditlog.models import LogEntry
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cirkelregio.accounts import rules, selectors

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User

__all__ = [
    "BACKUP_CODE_COUNT",
    "CodeError",
    "backup_codes_regenerate",
    "code_verify",
    "totp_device_cancel",
    "totp_device_confirm",
    "totp_device_start",
    "totp_secret_text",
    "two_factor_disable",
    "two_factor_reset",
]

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
BACKUP_CODES_NAME = "backup codes"
TOTP_DIGITS = 6


class CodeError(Exception):
    """A code that was wrong, malformed or came too soon after wrong ones; the
    message says which, for the person who typed it."""

    def __init__(self, message: str, *, throttled: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.throttled = throttled


def _clean_totp(code: str) -> str:
    return "".join(code.split())


def _clean_backup(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _wait_message(device: Device) -> str | None:
    """The message for a device that django-otp's throttling closes for now."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    seconds = (
        max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
    )
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


def _check(device: Device, code: str) -> CodeError | None:
    """Verify ``code`` on ``device`` (locked for the check): None when it is right,
    else the refusal. Not raised here: the caller leaves its transaction first, so
    that django-otp's count of wrong codes is kept."""
    waiting = _wait_message(device)
    if waiting:
        return CodeError(waiting, throttled=True)
    if not device.verify_token(code):
        return CodeError(_("That code is not correct. Check it and try again."))
    return None


def _locked(model: type[Any], user: User, *, confirmed: bool = True) -> Any:
    return (
        model.objects.select_for_update()
        .filter(user=user, confirmed=confirmed)
        .order_by("pk")
        .first()
    )


def totp_device_cancel(*, user: User) -> None:
    """Drop the authenticator being set up (not confirmed yet), if any."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new authenticator for ``user``, not confirmed yet (it counts for nothing
    until a first code confirms it); an earlier unconfirmed one is replaced."""
    totp_device_cancel(user=user)
    return TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, confirmed=False, digits=TOTP_DIGITS
    )


def totp_secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing it into an app by hand."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=code) for code in codes]
    )
    return codes


def totp_device_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a first code from the app: two-factor
    login is on from now. Returns the device and the new backup codes (shown once)."""
    code = _clean_totp(code)
    with transaction.atomic():
        device = _locked(TOTPDevice, user, confirmed=False)
        refused: CodeError | None
        if device is None:
            refused = CodeError(_("Start setting up two-factor login first."))
        elif not code:
            refused = CodeError(_("Enter the code."))
        else:
            refused = _check(device, code)
        if refused is None:
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save()
            return device, _new_backup_codes(user)
    assert refused is not None
    raise refused


def code_verify(*, user: User, code: str, backup: bool = False) -> Device:
    """The device that accepts ``code``: the authenticator, or with ``backup`` a
    backup code (used up by this). Raises CodeError for a wrong code or while
    django-otp's throttling makes the user wait after wrong ones."""
    code = _clean_backup(code) if backup else _clean_totp(code)
    with transaction.atomic():
        device = _locked(StaticDevice if backup else TOTPDevice, user)
        if device is None:
            refused: CodeError | None = CodeError(
                _("You have no backup codes left.")
                if backup
                else _("Two-factor login is not set up for this account.")
            )
        elif not code:
            refused = CodeError(_("Enter the code."))
        else:
            refused = _check(device, code)
    if refused is not None:
        raise refused
    return device


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """New backup codes for a user with two-factor login on; the old ones stop
    working."""
    if not selectors.has_two_factor(user):
        raise CodeError(_("Two-factor login is not set up for this account."))
    return _new_backup_codes(user)


def _remove_devices(user: User) -> int:
    count = 0
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.delete()  # one by one, so the audit log records each
            count += 1
    return count


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn two-factor login off, confirmed with a current code from the app."""
    code_verify(user=user, code=code)
    with transaction.atomic():
        _remove_devices(user)


@transaction.atomic
def two_factor_reset(*, actor: User | None, user: User) -> bool:
    """A coordinator removes ``user``'s devices (a lost phone): they sign in with
    their password alone and set up two-factor login again. Recorded in the audit log
    on the user, without any secret. Returns whether there was anything to remove."""
    if not rules.can_reset_two_factor(actor, user):
        raise PermissionDenied
    removed = _remove_devices(user)
    if removed:
        LogEntry.objects.log_create(
            user,
            action=LogEntry.Action.UPDATE,
            changes={"two-factor login": ["on", "reset"]},
            actor=actor,
            force_log=True,
        )
    return bool(removed)
