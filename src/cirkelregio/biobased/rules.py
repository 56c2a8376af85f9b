# SPDX-License-Identifier: EUPL-1.2
"""Who may do what with biobased insulation, in the style of
``cirkelregio.accounts.rules``.

``actor`` None is the system itself (a load run by an operator); it may do
everything. Coordinators report and import projects for every municipality and
manage the material catalogue. The editors of a municipality's own organisation
(kind ``municipality``) report and import projects for that municipality only; an
organisation merely based there (a company, an initiative) reports through them or
through a coordinator. Everyone
reads the projects and the progress: they are aggregates (homes, m², material per
municipality and year), never addresses or persons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.biobased.models import InsulationProject
    from cirkelregio.regions.models import Municipality

MUNICIPALITY_KIND = "municipality"
"""``OrganisationKind.MUNICIPALITY``: the organisation that is the municipality."""


def _coordinator(actor: User | None) -> bool:
    return actor is None or bool(getattr(actor, "is_coordinator", False))


def own_municipality_id(actor: User | None) -> int | None:
    """The municipality whose own organisation the actor edits, if any."""
    if actor is None or not getattr(actor, "is_organisation_editor", False):
        return None
    organisation = getattr(actor, "organisation", None)
    if getattr(organisation, "kind", None) != MUNICIPALITY_KIND:
        return None
    return getattr(organisation, "municipality_id", None)


def can_report_projects(actor: User | None) -> bool:
    """May report or import projects at all (for some municipality)."""
    return _coordinator(actor) or own_municipality_id(actor) is not None


def can_report_for(actor: User | None, municipality: Municipality) -> bool:
    return _coordinator(actor) or own_municipality_id(actor) == municipality.pk


def can_change_project(actor: User | None, project: InsulationProject) -> bool:
    return _coordinator(actor) or (
        own_municipality_id(actor) == project.municipality_id
    )


def can_manage_materials(actor: User | None) -> bool:
    return _coordinator(actor)
