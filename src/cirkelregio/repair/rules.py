# SPDX-License-Identifier: EUPL-1.2
"""Who may do what on the repair map, in the style of ``cirkelregio.accounts.rules``.

``actor`` None is the system itself (an import or demo load run by an operator); it
may do everything. Coordinators manage every repair place, import files and assign
places to organisations. An organisation's editors add places for their own
organisation and change the places it owns (not the owner itself). Everyone reads
published places; the internal notes and the import key only those who may change
the place. Anyone may suggest a new place or a correction; only coordinators see
the suggestions (with the submitter's contact details) and approve or reject them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.regions.models import Organisation
    from cirkelregio.repair.models import RepairPlace


def _coordinator(actor: User | None) -> bool:
    return actor is None or bool(getattr(actor, "is_coordinator", False))


def _editor_of(actor: User | None, organisation_id: int | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_organisation_editor", False))
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def can_create_place(actor: User | None, owner: Organisation | None) -> bool:
    """Coordinators; editors only for their own organisation."""
    return _coordinator(actor) or (owner is not None and _editor_of(actor, owner.pk))


def can_change_place(actor: User | None, place: RepairPlace) -> bool:
    return _coordinator(actor) or _editor_of(actor, place.owner_id)


def can_change_place_owner(actor: User | None) -> bool:
    return _coordinator(actor)


def can_view_place(actor: User | None, place: RepairPlace) -> bool:
    return place.is_published or can_change_place(actor, place)


def can_review_place_suggestions(actor: User | None) -> bool:
    """Seeing the suggestions from the public, approving and rejecting them."""
    return _coordinator(actor)


def can_import_places(actor: User | None) -> bool:
    return _coordinator(actor)


def can_import_ords(actor: User | None) -> bool:
    """Importing ORDS files (a command run by an operator, or a coordinator)."""
    return _coordinator(actor)


def can_record_repairs(actor: User | None, organisation: Organisation | None) -> bool:
    """Entering an organisation's own repair records: its editors and coordinators."""
    return _coordinator(actor) or (
        organisation is not None and _editor_of(actor, organisation.pk)
    )
