# SPDX-License-Identifier: EUPL-1.2
"""Who may do what with initiatives and contact points, in the style of
``cirkelregio.accounts.rules``.

``actor`` None is the system itself (a command run by an operator); it may do
everything. Coordinators review suggestions (publish, archive) and may do everything
else. An organisation's editors change the initiatives their organisation owns (not
their status: publishing is the coordinators' decision) and the contact points their
organisation runs in its own municipality. Everyone reads published initiatives and
active contact points, and anyone may suggest an initiative (it waits for review).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.initiatives.models import ContactPoint, Initiative
    from cirkelregio.regions.models import Municipality, Organisation


def _coordinator(actor: User | None) -> bool:
    return actor is None or bool(getattr(actor, "is_coordinator", False))


def _editor_of(actor: User | None, organisation_id: int | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_organisation_editor", False))
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def can_review_initiatives(actor: User | None) -> bool:
    """Publish or archive initiatives, set their status and owner."""
    return _coordinator(actor)


def can_create_initiative(actor: User | None, owner: Organisation | None) -> bool:
    """Create an initiative directly (not as a suggestion): coordinators, and the
    editors of the organisation that will own it."""
    return _coordinator(actor) or (owner is not None and _editor_of(actor, owner.pk))


def can_change_initiative(actor: User | None, initiative: Initiative) -> bool:
    return _coordinator(actor) or _editor_of(actor, initiative.owner_id)


def can_view_initiative(actor: User | None, initiative: Initiative) -> bool:
    return initiative.is_published or can_change_initiative(actor, initiative)


def can_see_initiative_contact(actor: User | None, initiative: Initiative) -> bool:
    """The e-mail address and phone number: public only with consent."""
    return initiative.contact_consent or can_change_initiative(actor, initiative)


def can_create_contact_point(
    actor: User | None, organisation: Organisation, municipality: Municipality
) -> bool:
    """Coordinators; and the editors of an organisation for the municipality it is
    or is based in."""
    return _coordinator(actor) or (
        _editor_of(actor, organisation.pk)
        and organisation.municipality_id == municipality.pk
    )


def can_change_contact_point(actor: User | None, contact_point: ContactPoint) -> bool:
    return _coordinator(actor) or _editor_of(actor, contact_point.organisation_id)


def can_move_contact_point(actor: User | None) -> bool:
    """Change the municipality or organisation of a contact point."""
    return _coordinator(actor)


def can_view_contact_point(actor: User | None, contact_point: ContactPoint) -> bool:
    return contact_point.is_active or can_change_contact_point(actor, contact_point)
