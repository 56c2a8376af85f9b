# SPDX-License-Identifier: EUPL-1.2
"""Who may do what with road sections, passports and maintenance works.

``actor`` None is the system itself (a command run by an operator); it may do
everything. Coordinators manage every authority's data. A road manager is an
organisation editor of a road authority (a municipality, province or water board):
they create, change, import and remove only their own authority's sections,
passports and works. Sections, passports and works of public road authorities are
public information: everyone reads them (of published authorities).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cirkelregio.roads.models import ROAD_AUTHORITY_KINDS

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.regions.models import Organisation
    from cirkelregio.roads.models import MaintenanceWork, Passport, RoadSection


def _coordinator(actor: User | None) -> bool:
    return actor is None or bool(getattr(actor, "is_coordinator", False))


def _editor_of(actor: User | None, organisation_id: int | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_organisation_editor", False))
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def is_road_authority(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.kind in ROAD_AUTHORITY_KINDS


def can_manage_authority(actor: User | None, authority: Organisation | None) -> bool:
    """Create, change, import and remove the authority's sections, passports and
    works: coordinators, and the authority's own editors (road managers)."""
    if not is_road_authority(authority):
        return False
    assert authority is not None
    return _coordinator(actor) or _editor_of(actor, authority.pk)


def can_manage_roads(actor: User | None) -> bool:
    """May use the road screens and import endpoints at all."""
    if _coordinator(actor):
        return True
    organisation = getattr(actor, "organisation", None)
    return bool(getattr(actor, "is_organisation_editor", False)) and is_road_authority(
        organisation
    )


def can_change_section(actor: User | None, section: RoadSection) -> bool:
    return can_manage_authority(actor, section.authority)


def can_change_passport(actor: User | None, passport: Passport) -> bool:
    return can_change_section(actor, passport.section)


def can_change_work(actor: User | None, work: MaintenanceWork) -> bool:
    return can_manage_authority(actor, work.authority)


def can_view_section(actor: User | None, section: RoadSection) -> bool:
    return section.authority.is_published or can_change_section(actor, section)


def can_manage_mixtures(actor: User | None) -> bool:
    """The mixture catalogue is reference data: coordinators."""
    return _coordinator(actor)


def can_start_harmonisation(actor: User | None) -> bool:
    """Start a mixture harmonisation run: road managers and coordinators."""
    return can_manage_roads(actor)


def can_publish_forecast(actor: User | None, authority: Organisation | None) -> bool:
    """Offer an authority's released reclaimed asphalt on the exchange."""
    return can_manage_authority(actor, authority)
