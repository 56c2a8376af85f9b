# SPDX-License-Identifier: EUPL-1.2
"""Who may do what with repair events and Reparatieweek editions, in the style of
``cirkelregio.accounts.rules``.

``actor`` None is the system itself (a demo load run by an operator); it may do
everything. Coordinators manage every event and the editions. An organisation's
editors add events organised by their own organisation, and change, publish and
remove those (not hand them to another organiser). Everyone reads published events
of published editions (or of none), and published editions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
    from cirkelregio.regions.models import Organisation


def _coordinator(actor: User | None) -> bool:
    return actor is None or bool(getattr(actor, "is_coordinator", False))


def _editor_of(actor: User | None, organisation_id: int | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_organisation_editor", False))
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def can_manage_editions(actor: User | None) -> bool:
    return _coordinator(actor)


def can_view_edition(actor: User | None, edition: ReparatieweekEdition) -> bool:
    return edition.is_published or _coordinator(actor)


def can_create_event(actor: User | None, organiser: Organisation | None) -> bool:
    """Coordinators; editors only for their own organisation as organiser."""
    return _coordinator(actor) or (
        organiser is not None and _editor_of(actor, organiser.pk)
    )


def can_change_event(actor: User | None, event: RepairEvent) -> bool:
    return _coordinator(actor) or _editor_of(actor, event.organiser_id)


def can_change_event_organiser(actor: User | None) -> bool:
    return _coordinator(actor)


def can_view_event(actor: User | None, event: RepairEvent) -> bool:
    public = event.is_published and (
        event.edition is None or event.edition.is_published
    )
    return public or can_change_event(actor, event)
