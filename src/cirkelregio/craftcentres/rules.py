# SPDX-License-Identifier: EUPL-1.2
"""Who may do what with craft centres, in the style of ``cirkelregio.accounts.rules``.

``actor`` None is the system itself (a command run by an operator); it may do
everything. Coordinators enter bulky-waste figures, manage every site and create,
run, publish and remove network scenarios. The editors of a municipality's own
organisation (kind ``municipality``) may propose candidate sites in their own
municipality, and change or remove the candidate sites they proposed there; they
neither mark a site as an existing centre nor plan networks: a network is a
regional decision. Everyone reads the sites, the figures and the published
scenarios; coordinators also see the scenarios that are not published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.craftcentres.models import CentreSite, NetworkScenario
    from cirkelregio.regions.models import Municipality

MUNICIPALITY_KIND = "municipality"
"""``OrganisationKind.MUNICIPALITY``: the organisation that is the municipality."""
CANDIDATE = "candidate"
"""``SiteKind.CANDIDATE``."""


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


def can_manage_figures(actor: User | None) -> bool:
    return _coordinator(actor)


def can_propose_sites(actor: User | None) -> bool:
    """May add a site at all (for some municipality)."""
    return _coordinator(actor) or own_municipality_id(actor) is not None


def can_add_site(actor: User | None, municipality: Municipality, kind: str) -> bool:
    if _coordinator(actor):
        return True
    return kind == CANDIDATE and own_municipality_id(actor) == municipality.pk


def can_change_site(actor: User | None, site: CentreSite) -> bool:
    if _coordinator(actor):
        return True
    return (
        actor is not None
        and site.kind == CANDIDATE
        and site.created_by_id == actor.pk
        and own_municipality_id(actor) == site.municipality_id
    )


def can_plan_networks(actor: User | None) -> bool:
    """Create, run, publish and remove network scenarios."""
    return _coordinator(actor)


def can_view_scenario(actor: User | None, scenario: NetworkScenario) -> bool:
    return scenario.is_published or can_plan_networks(actor)
