# SPDX-License-Identifier: EUPL-1.2
"""Who may do what in the materials exchange, in the style of
``cirkelregio.accounts.rules``.

``actor`` None is the system itself (a command run by an operator); it may do
everything. Coordinators keep the material catalogue, start match runs and may do
everything else. An organisation's editors manage the depots and listings their
organisation owns, and answer the proposals that involve them: a listing owner
accepts or rejects a proposal for its listing, withdraws its open listings and
releases a reserved proposal for its listing; any involved party (supply, demand or
depot owner) records transport and placement of a reserved proposal. Everyone
reads the catalogue, the depots and the open, published listings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.exchange.models import Depot, Listing, Proposal
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


def can_change_catalogue(actor: User | None) -> bool:
    return _coordinator(actor)


def can_create_depot(actor: User | None, owner: Organisation) -> bool:
    return _coordinator(actor) or _editor_of(actor, owner.pk)


def can_change_depot(actor: User | None, depot: Depot) -> bool:
    return _coordinator(actor) or _editor_of(actor, depot.owner_id)


def can_create_listing(actor: User | None, owner: Organisation) -> bool:
    return _coordinator(actor) or _editor_of(actor, owner.pk)


def can_import_listings(actor: User | None, owner: Organisation | None) -> bool:
    """Importing a file of listings for ``owner``, or (``owner`` None) for the owner
    each row names: the latter only coordinators."""
    if owner is None:
        return _coordinator(actor)
    return can_create_listing(actor, owner)


def can_change_listing(actor: User | None, listing: Listing) -> bool:
    return _coordinator(actor) or _editor_of(actor, listing.owner_id)


def can_view_listing(actor: User | None, listing: Listing) -> bool:
    return (listing.is_published and listing.status == "open") or can_change_listing(
        actor, listing
    )


def can_start_match_run(actor: User | None) -> bool:
    return _coordinator(actor)


def proposal_owner_ids(proposal: Proposal) -> set[int]:
    """The organisations involved in a proposal: its listings' and depot's owners."""
    ids: set[int] = set()
    if proposal.supply_id is not None:
        ids.add(proposal.supply.owner_id)  # type: ignore[union-attr]
    if proposal.demand_id is not None:
        ids.add(proposal.demand.owner_id)  # type: ignore[union-attr]
    if proposal.depot_id is not None:
        ids.add(proposal.depot.owner_id)  # type: ignore[union-attr]
    return ids


def can_view_proposal(actor: User | None, proposal: Proposal) -> bool:
    return _coordinator(actor) or any(
        _editor_of(actor, org) for org in proposal_owner_ids(proposal)
    )


def can_answer_for_supply(actor: User | None, proposal: Proposal) -> bool:
    """Accept or reject on behalf of the supply listing's owner."""
    return proposal.supply_id is not None and (
        _coordinator(actor) or _editor_of(actor, proposal.supply.owner_id)  # type: ignore[union-attr]
    )


def can_answer_for_demand(actor: User | None, proposal: Proposal) -> bool:
    """Accept or reject on behalf of the demand listing's owner."""
    return proposal.demand_id is not None and (
        _coordinator(actor) or _editor_of(actor, proposal.demand.owner_id)  # type: ignore[union-attr]
    )


def can_answer_proposal(actor: User | None, proposal: Proposal) -> bool:
    return can_answer_for_supply(actor, proposal) or can_answer_for_demand(
        actor, proposal
    )


def can_release_proposal(actor: User | None, proposal: Proposal) -> bool:
    """Release a reserved proposal: an owner of one of its listings (not the depot
    owner alone), or a coordinator."""
    return can_answer_proposal(actor, proposal)


def can_withdraw_listing(actor: User | None, listing: Listing) -> bool:
    return can_change_listing(actor, listing)


def can_advance_proposal(actor: User | None, proposal: Proposal) -> bool:
    """Record transport or placement: any involved party, or a coordinator."""
    return can_view_proposal(actor, proposal)
