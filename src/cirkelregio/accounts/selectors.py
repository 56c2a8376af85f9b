# SPDX-License-Identifier: EUPL-1.2
"""Reads about the signed-in user that the other apps' selectors share: whether they
see everything (coordinators) and which organisation's unpublished records they see
(the one they edit). ``user`` may be anything a request carries: a ``User``, an
anonymous user or None; only the ``is_coordinator``, ``is_organisation_editor`` and
``organisation_id`` it has count."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

__all__ = [
    "backup_codes_left",
    "edited_organisation_id",
    "has_two_factor",
    "pending_authenticator",
    "is_coordinator",
    "two_factor_required",
    "with_two_factor",
]


def is_coordinator(user: Any) -> bool:
    """Whether the user sees and edits every record (an active coordinator or a
    superuser)."""
    return bool(getattr(user, "is_coordinator", False))


def edited_organisation_id(user: Any) -> int | None:
    """The organisation whose unpublished records the user sees: the one they edit
    (``accounts.rules.can_view_organisation``). Members without the editor role see
    only what is published."""
    if getattr(user, "is_organisation_editor", False):
        return int(user.organisation_id)
    return None


def has_two_factor(user: Any) -> bool:
    """Whether the user has turned two-factor login on: a confirmed authenticator
    (the backup codes come and go with it). One query; asked on every request of a
    signed-in user whose session no code has verified."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def with_two_factor(users: QuerySet[Any]) -> QuerySet[Any]:
    """``users`` annotated with ``has_two_factor`` (the test of
    :func:`has_two_factor`), for lists of users."""
    return users.annotate(
        has_two_factor=Exists(
            TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        )
    )


def two_factor_required(user: Any) -> bool:
    """Whether ``CIRKELREGIO_REQUIRE_2FA_FOR`` makes this user set up two-factor login
    before using their rights: ``coordinators`` covers coordinators and superusers,
    ``editors`` everyone who may edit."""
    required = getattr(settings, "REQUIRE_2FA_FOR", "")
    if not required or not getattr(user, "is_authenticated", False):
        return False
    coordinator = bool(getattr(user, "is_superuser", False)) or is_coordinator(user)
    if required == "coordinators":
        return coordinator
    return coordinator or bool(getattr(user, "is_organisation_editor", False))


def pending_authenticator(user: Any) -> TOTPDevice | None:
    """The authenticator being set up (not confirmed by a first code yet)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").last()


def backup_codes_left(user: Any) -> int:
    """How many unused backup codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
