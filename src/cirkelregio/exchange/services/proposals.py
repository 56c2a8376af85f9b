# SPDX-License-Identifier: EUPL-1.2
"""Answering proposals and following them through: accept or reject, reservation of
the listings' quantities, then transport and placement with the depot stock ledger.

- A direct flow (supply -> demand) needs both listing owners to accept; after the
  first acceptance its status is ``accepted``. A depot flow needs its listing's
  owner (the supplier for a flow into a depot, the demanding party for a flow out).
- Full acceptance reserves the quantity on the listing(s) at once (status
  ``reserved``). More than a listing's remaining quantity is never reserved; the
  acceptance is then refused and nothing changes. A listing that is fully reserved
  becomes ``matched``.
- ``reserved -> transported -> placed``, recorded by an involved party. Material
  enters a depot's stock when a flow into the depot is placed there, and leaves it
  when a flow out of the depot is transported; stock never goes below 0 and never
  above the depot's capacity.
- A listing whose whole quantity has been placed is closed.
- A reserved proposal can be released by an owner of one of its listings or a
  coordinator, with a reason: its quantity is free again on the listings (a fully
  reserved listing opens again), and who released it, when and why is kept on the
  proposal and in the audit log. Once transported it cannot be released.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.exchange import rules
from cirkelregio.exchange.models import (
    ClosedReason,
    Depot,
    DepotStockMovement,
    Listing,
    ListingStatus,
    Proposal,
    ProposalStatus,
)
from cirkelregio.exchange.services._common import require

TOLERANCE = 1e-9
ANSWERABLE = (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)
NEXT_STATUS = {
    ProposalStatus.RESERVED: ProposalStatus.TRANSPORTED,
    ProposalStatus.TRANSPORTED: ProposalStatus.PLACED,
}


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("supply", "demand", "depot", "material")
        .get(pk=proposal.pk)
    )


def _sides(actor: User | None, proposal: Proposal, side: str | None) -> list[str]:
    """The sides (supply, demand) the actor answers for; ``side`` narrows it."""
    sides = []
    if rules.can_answer_for_supply(actor, proposal):
        sides.append("supply")
    if rules.can_answer_for_demand(actor, proposal):
        sides.append("demand")
    require(bool(sides))
    if side is not None:
        if side not in sides:
            raise ValidationError(
                {"side": _("You cannot answer for this side of the proposal.")}
            )
        sides = [side]
    return sides


def _reserve(proposal: Proposal) -> None:
    listings = [x for x in (proposal.supply, proposal.demand) if x is not None]
    locked = {
        x.pk: x
        for x in Listing.objects.select_for_update().filter(
            pk__in=[x.pk for x in listings]
        )
    }
    for listing in locked.values():
        if listing.status == ListingStatus.CLOSED:
            raise ValidationError(_("A listing of this proposal is closed."))
        remaining = listing.quantity - listing.reserved_quantity
        if proposal.quantity > remaining + TOLERANCE * max(1.0, listing.quantity):
            raise ValidationError(
                _(
                    "Only %(remaining)g of %(project)s is still free; %(quantity)g "
                    "cannot be reserved."
                )
                % {
                    "remaining": max(remaining, 0.0),
                    "project": listing.project_name,
                    "quantity": proposal.quantity,
                }
            )
    for listing in locked.values():
        listing.reserved_quantity = min(
            listing.quantity, listing.reserved_quantity + proposal.quantity
        )
        fields = ["reserved_quantity", "updated_at"]
        if listing.quantity - listing.reserved_quantity <= TOLERANCE * max(
            1.0, listing.quantity
        ):
            listing.status = ListingStatus.MATCHED
            fields.append("status")
        listing.save(update_fields=fields)


@transaction.atomic
def proposal_accept(
    *, actor: User | None, proposal: Proposal, side: str | None = None
) -> Proposal:
    """Accept for the side(s) the actor answers for; reserve once every side
    required has accepted."""
    proposal = _locked(proposal)
    sides = _sides(actor, proposal, side)
    if proposal.status not in ANSWERABLE:
        raise ValidationError(
            _("A proposal that is %(status)s cannot be accepted any more.")
            % {"status": proposal.get_status_display().lower()}
        )
    if "supply" in sides:
        proposal.supply_accepted = True
    if "demand" in sides:
        proposal.demand_accepted = True
    complete = (proposal.supply_id is None or proposal.supply_accepted) and (
        proposal.demand_id is None or proposal.demand_accepted
    )
    if complete:
        _reserve(proposal)
        proposal.status = ProposalStatus.RESERVED
    else:
        proposal.status = ProposalStatus.ACCEPTED
    proposal.save(
        update_fields=["supply_accepted", "demand_accepted", "status", "updated_at"]
    )
    return proposal


@transaction.atomic
def proposal_reject(
    *, actor: User | None, proposal: Proposal, side: str | None = None
) -> Proposal:
    proposal = _locked(proposal)
    _sides(actor, proposal, side)
    if proposal.status not in ANSWERABLE:
        raise ValidationError(
            _("A proposal that is %(status)s cannot be rejected any more.")
            % {"status": proposal.get_status_display().lower()}
        )
    proposal.status = ProposalStatus.REJECTED
    proposal.save(update_fields=["status", "updated_at"])
    return proposal


def depot_stock(depot_id: int, material_id: int) -> float:
    """Units of the material in the depot, from its ledger."""
    total = DepotStockMovement.objects.filter(
        depot_id=depot_id, material_id=material_id
    ).aggregate(total=Sum("quantity"))["total"]
    return float(total or 0.0)


def depot_tonnes(depot_id: int) -> float:
    total = DepotStockMovement.objects.filter(depot_id=depot_id).aggregate(
        total=Sum("tonnes")
    )["total"]
    return float(total or 0.0)


def _move_stock(proposal: Proposal, sign: int, note: str) -> None:
    depot = Depot.objects.select_for_update().get(pk=proposal.depot_id)
    if sign < 0:
        stock = depot_stock(depot.pk, proposal.material_id)
        if proposal.quantity > stock + TOLERANCE * max(1.0, stock):
            raise ValidationError(
                _("The depot holds only %(stock)g of this material.") % {"stock": stock}
            )
    else:
        held = depot_tonnes(depot.pk)
        if held + proposal.tonnes > depot.capacity_tonnes * (1 + 1e-9) + TOLERANCE:
            raise ValidationError(
                _("The depot would hold more than its capacity of %(capacity)g t.")
                % {"capacity": depot.capacity_tonnes}
            )
    DepotStockMovement.objects.create(
        depot=depot,
        material_id=proposal.material_id,
        proposal=proposal,
        quantity=sign * proposal.quantity,
        tonnes=sign * proposal.tonnes,
        note=note,
    )


def _close_placed(proposal: Proposal) -> None:
    """Close the proposal's listings whose whole quantity has been placed."""
    for pk in (proposal.supply_id, proposal.demand_id):
        if pk is None:
            continue
        listing = Listing.objects.select_for_update().get(pk=pk)
        if listing.status == ListingStatus.CLOSED:
            continue
        placed = (
            Proposal.objects.filter(Q(supply_id=pk) | Q(demand_id=pk))
            .filter(status=ProposalStatus.PLACED)
            .aggregate(total=Sum("quantity"))["total"]
            or 0.0
        )
        if placed >= listing.quantity - TOLERANCE * max(1.0, listing.quantity):
            listing.status = ListingStatus.CLOSED
            listing.closed_reason = ClosedReason.PLACED
            listing.closed_at = timezone.now()
            listing.save(
                update_fields=["status", "closed_reason", "closed_at", "updated_at"]
            )


@transaction.atomic
def proposal_advance(*, actor: User | None, proposal: Proposal) -> Proposal:
    """reserved -> transported -> placed, with the depot ledger; a listing whose
    whole quantity is placed is closed."""
    proposal = _locked(proposal)
    require(rules.can_advance_proposal(actor, proposal))
    new = NEXT_STATUS.get(ProposalStatus(proposal.status))
    if new is None:
        raise ValidationError(
            _("A proposal that is %(status)s cannot be advanced.")
            % {"status": proposal.get_status_display().lower()}
        )
    if proposal.depot_id is not None:
        if proposal.supply_id is not None and new == ProposalStatus.PLACED:
            _move_stock(proposal, +1, f"in: proposal {proposal.pk}")
        elif proposal.demand_id is not None and new == ProposalStatus.TRANSPORTED:
            _move_stock(proposal, -1, f"out: proposal {proposal.pk}")
    proposal.status = new
    proposal.save(update_fields=["status", "updated_at"])
    if new == ProposalStatus.PLACED:
        _close_placed(proposal)
    return proposal


def _unreserve(proposal: Proposal) -> None:
    pks = [pk for pk in (proposal.supply_id, proposal.demand_id) if pk is not None]
    for listing in Listing.objects.select_for_update().filter(pk__in=pks):
        listing.reserved_quantity = max(
            0.0, listing.reserved_quantity - proposal.quantity
        )
        if listing.reserved_quantity <= TOLERANCE * max(1.0, listing.quantity):
            listing.reserved_quantity = 0.0
        fields = ["reserved_quantity", "updated_at"]
        if listing.status == ListingStatus.MATCHED:
            listing.status = ListingStatus.OPEN
            fields.append("status")
        listing.save(update_fields=fields)


@transaction.atomic
def proposal_release(
    *, actor: User | None, proposal: Proposal, reason: str
) -> Proposal:
    """Release a reserved proposal: its quantity becomes free again on its listings
    (for the next match run), and who released it, when and why is stored."""
    proposal = _locked(proposal)
    require(rules.can_release_proposal(actor, proposal))
    if proposal.status in (ProposalStatus.TRANSPORTED, ProposalStatus.PLACED):
        raise ValidationError(
            _(
                "The material of this proposal has been %(status)s already; its "
                "reservation can no longer be released."
            )
            % {"status": proposal.get_status_display().lower()}
        )
    if proposal.status != ProposalStatus.RESERVED:
        raise ValidationError(
            _(
                "Only a reserved proposal can be released; this one is %(status)s. "
                "Reject a proposal that is not reserved yet."
            )
            % {"status": proposal.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the reservation is released.")})
    _unreserve(proposal)
    proposal.status = ProposalStatus.RELEASED
    proposal.released_by = actor
    proposal.released_at = timezone.now()
    proposal.release_reason = reason
    proposal.save(
        update_fields=[
            "status",
            "released_by",
            "released_at",
            "release_reason",
            "updated_at",
        ]
    )
    return proposal
