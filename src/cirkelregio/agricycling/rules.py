# SPDX-License-Identifier: EUPL-1.2
"""Who may do what in Agricycling.

``actor`` None is the system itself (a command run by an operator). The
cooperative's coordinators (the coordinator role) run allocations, set tariffs,
import farms and see every statement. An owner organisation's editors (a
municipality, the province, a water board or a nature manager) import their own
parcels and see their own statement; a farm's editors (the editors of the farm's
organisation) see the farm's statement. Everyone sees the parcels of the owners,
the aggregates (tonnes composted per municipality) and the farms on the map
without personal data (no name, the location to about a kilometre).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cirkelregio.agricycling.models import OWNER_KINDS

if TYPE_CHECKING:
    from cirkelregio.agricycling.models import Farm
    from cirkelregio.regions.models import Organisation


def is_coordinator(actor: Any) -> bool:
    return actor is None or bool(getattr(actor, "is_coordinator", False))


def _editor_of(actor: Any, organisation_id: int | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_organisation_editor", False))
        and organisation_id is not None
        and getattr(actor, "organisation_id", None) == organisation_id
    )


def is_owner(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.kind in OWNER_KINDS


def can_manage(actor: Any) -> bool:
    """Run allocations, set tariffs and seasons, import farms and batches."""
    return is_coordinator(actor)


def can_import_parcels(actor: Any, owner: Organisation | None) -> bool:
    if not is_owner(owner):
        return False
    assert owner is not None
    return is_coordinator(actor) or _editor_of(actor, owner.pk)


def can_import_any_parcels(actor: Any) -> bool:
    """May use the parcel import at all (coordinators, owners' editors)."""
    return is_coordinator(actor) or (
        bool(getattr(actor, "is_organisation_editor", False))
        and is_owner(getattr(actor, "organisation", None))
    )


def can_view_owner_statement(actor: Any, owner: Organisation | None) -> bool:
    if owner is None:
        return is_coordinator(actor)
    return is_coordinator(actor) or _editor_of(actor, owner.pk)


def can_view_farm_statement(actor: Any, farm: Farm | None) -> bool:
    if farm is None:
        return is_coordinator(actor)
    return is_coordinator(actor) or _editor_of(actor, farm.organisation_id)


def can_view_farm_details(actor: Any, farm: Farm) -> bool:
    """The farm's name and exact location: coordinators and the farm's editors."""
    return can_view_farm_statement(actor, farm)
