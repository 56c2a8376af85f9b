# SPDX-License-Identifier: EUPL-1.2
"""Initiatives (created by coordinators and owner organisations, reviewed by
coordinators) and the contact points per municipality."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.initiatives import rules
from cirkelregio.initiatives.models import (
    ContactPoint,
    Initiative,
    InitiativeStatus,
    needs_join,
)
from cirkelregio.initiatives.services._common import (
    apply,
    check_fields,
    full_clean,
    require,
    save,
)
from cirkelregio.regions.models import Municipality, Organisation

# What a suggestion from the public may hold, and what the owner's editors change.
CONTENT_FIELDS = {
    "name",
    "type",
    "municipality",
    "stage",
    "description_nl",
    "description_en",
    "needs",
    "support_text",
    "website",
    "contact_email",
    "contact_phone",
    "contact_consent",
}
# Coordinators also decide the status (publish, archive) and the owner.
REVIEW_FIELDS = {"status", "owner"}
CONTACT_POINT_FIELDS = {
    "role_name",
    "email",
    "phone",
    "website",
    "hours_nl",
    "hours_en",
    "last_verified",
    "is_active",
}
CONTACT_POINT_PLACE_FIELDS = {"municipality", "organisation"}


def normalise_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Stored forms: the needs as their codes joined, names without outer spaces."""
    if "needs" in fields:
        try:
            fields["needs"] = needs_join(fields["needs"] or [])
        except ValidationError as exc:
            raise ValidationError({"needs": exc.messages}) from exc
    for name in ("name", "role_name"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    return fields


def validate_initiative(
    initiative: Initiative, errors: dict[str, Any] | None = None
) -> None:
    """The model's validation, and a description in at least one language. That
    rule is also a database constraint; here it is reported on the Dutch
    description (the one shown by default) rather than on the record as a whole,
    so the constraint is left out of ``full_clean``. ``errors`` found by the
    caller are reported together with these."""
    errors = dict(errors or {})
    if not (initiative.description_nl or "").strip() and not (
        (initiative.description_en or "").strip()
    ):
        errors.setdefault("description_nl", []).append(
            _("Give a description in Dutch or English.")
        )
    try:
        full_clean(initiative, exclude={"description_nl"})
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _delete(instance: Any) -> None:
    try:
        instance.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("This record is still in use and cannot be removed.")
        ) from exc


# Initiatives -------------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *,
    actor: User | None,
    owner: Organisation | None = None,
    status: str = InitiativeStatus.SUGGESTED,
    **fields: Any,
) -> Initiative:
    """An initiative entered by a coordinator or by the editors of the organisation
    that owns it. Only coordinators give it another status than ``suggested``."""
    require(rules.can_create_initiative(actor, owner))
    if status != InitiativeStatus.SUGGESTED:
        require(rules.can_review_initiatives(actor))
    check_fields(fields, CONTENT_FIELDS | {"is_demo"})
    initiative = Initiative(owner=owner, status=status, **normalise_fields(fields))
    validate_initiative(initiative)
    save(initiative)
    return initiative


@transaction.atomic
def initiative_update(
    *, actor: User | None, initiative: Initiative, **fields: Any
) -> Initiative:
    """Change an initiative. The owner's editors change its content; the status and
    the owner are the coordinators' (a 403 for others, even for the same value, so
    a client learns early that it may not set them)."""
    require(rules.can_change_initiative(actor, initiative))
    if set(fields) & REVIEW_FIELDS:
        require(rules.can_review_initiatives(actor))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if apply(initiative, normalise_fields(fields), CONTENT_FIELDS | REVIEW_FIELDS):
        validate_initiative(initiative)
        save(initiative)
    return initiative


@transaction.atomic
def initiative_delete(*, actor: User | None, initiative: Initiative) -> None:
    require(rules.can_change_initiative(actor, initiative))
    _delete(initiative)


def _review(actor: User | None, initiative: Initiative, status: str) -> Initiative:
    require(rules.can_review_initiatives(actor))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status != InitiativeStatus.SUGGESTED:
        raise ValidationError(
            _("Only a suggested initiative can be published or rejected.")
        )
    initiative.status = status
    validate_initiative(initiative)
    save(initiative)
    return initiative


@transaction.atomic
def initiative_approve(*, actor: User | None, initiative: Initiative) -> Initiative:
    """Publish a suggestion. The change is in the audit log (who, when)."""
    return _review(actor, initiative, InitiativeStatus.PUBLISHED)


@transaction.atomic
def initiative_reject(*, actor: User | None, initiative: Initiative) -> Initiative:
    """Reject a suggestion: it is archived (kept, not shown), so that the audit log
    keeps what was decided."""
    return _review(actor, initiative, InitiativeStatus.ARCHIVED)


# Contact points ----------------------------------------------------------------------


def _check_contact_point(contact_point: ContactPoint) -> None:
    """One active contact point per municipality (also a partial unique index in
    the database), reported on the municipality; and a way to reach it."""
    errors: dict[str, str] = {}
    if (
        contact_point.is_active
        and contact_point.municipality_id is not None
        and ContactPoint.objects.filter(
            municipality_id=contact_point.municipality_id, is_active=True
        )
        .exclude(pk=contact_point.pk)
        .exists()
    ):
        errors["municipality"] = _(
            "This municipality already has an active contact point; make that one "
            "inactive first."
        )
    if not (contact_point.email or contact_point.phone or contact_point.website):
        errors["email"] = _("Give an e-mail address, a phone number or a website.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_point_create(
    *,
    actor: User | None,
    municipality: Municipality,
    organisation: Organisation,
    **fields: Any,
) -> ContactPoint:
    require(rules.can_create_contact_point(actor, organisation, municipality))
    check_fields(fields, CONTACT_POINT_FIELDS | {"is_demo"})
    contact_point = ContactPoint(
        municipality=municipality, organisation=organisation, **normalise_fields(fields)
    )
    _check_contact_point(contact_point)
    full_clean(contact_point)
    save(contact_point)
    return contact_point


@transaction.atomic
def contact_point_update(
    *, actor: User | None, contact_point: ContactPoint, **fields: Any
) -> ContactPoint:
    """Change a contact point. Moving it to another municipality or organisation is
    for coordinators only."""
    require(rules.can_change_contact_point(actor, contact_point))
    if set(fields) & CONTACT_POINT_PLACE_FIELDS:
        require(rules.can_move_contact_point(actor))
    contact_point = ContactPoint.objects.select_for_update().get(pk=contact_point.pk)
    allowed = CONTACT_POINT_FIELDS | CONTACT_POINT_PLACE_FIELDS
    if apply(contact_point, normalise_fields(fields), allowed):
        _check_contact_point(contact_point)
        full_clean(contact_point)
        save(contact_point)
    return contact_point


@transaction.atomic
def contact_point_delete(*, actor: User | None, contact_point: ContactPoint) -> None:
    require(rules.can_change_contact_point(actor, contact_point))
    _delete(contact_point)
