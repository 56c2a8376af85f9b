# SPDX-License-Identifier: EUPL-1.2
"""Tenders that award on price and MKI, and their bids. The criterion is checked by
the engine (``cirkelregio.engine.mki.Criterion``); ranking and settlement are reads
(``selectors.tender_ranking``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.mki.adapters import criterion_of
from cirkelregio.mki.models import Bid, CriterionKind, Project, Tender
from cirkelregio.mki.rules import can_change_project
from cirkelregio.mki.services._common import apply, full_clean, require, save
from cirkelregio.regions.models import Organisation


def _check_criterion(tender: Tender) -> None:
    """The engine's rules for a criterion, reported on the field concerned."""
    if tender.kind == CriterionKind.DISCOUNT and not (
        tender.upper_bound > tender.lower_bound
    ):
        raise ValidationError(
            {"upper_bound": _("The upper MKI bound must lie above the lower bound.")}
        )
    try:
        criterion_of(tender)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


TENDER_FIELDS = {
    "name",
    "kind",
    "upper_bound",
    "lower_bound",
    "max_discount",
    "k",
    "penalty_factor",
}


@transaction.atomic
def tender_create(
    *, actor: User | None, project: Project, name: str, kind: str, **fields: Any
) -> Tender:
    require(can_change_project(actor, project))
    unknown = set(fields) - TENDER_FIELDS
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )
    tender = Tender(project=project, name=name.strip(), kind=kind, **fields)
    full_clean(tender)
    _check_criterion(tender)
    save(tender)
    return tender


@transaction.atomic
def tender_update(*, actor: User | None, tender: Tender, **fields: Any) -> Tender:
    require(can_change_project(actor, tender.project))
    if apply(tender, fields, TENDER_FIELDS):
        full_clean(tender)
        _check_criterion(tender)
        save(tender)
    return tender


@transaction.atomic
def tender_delete(*, actor: User | None, tender: Tender) -> None:
    require(can_change_project(actor, tender.project))
    tender.delete()


def _check_bidder(bid: Bid) -> None:
    if bid.bidder_organisation_id is None and not bid.bidder_name.strip():
        raise ValidationError(
            {"bidder_name": _("Name the bidder, or choose its organisation.")}
        )


@transaction.atomic
def bid_create(
    *,
    actor: User | None,
    tender: Tender,
    price: Decimal | float,
    promised_mki: float,
    bidder_organisation: Organisation | None = None,
    bidder_name: str = "",
    as_built_mki: float | None = None,
) -> Bid:
    require(can_change_project(actor, tender.project))
    bid = Bid(
        tender=tender,
        bidder_organisation=bidder_organisation,
        bidder_name=bidder_name.strip(),
        price=Decimal(str(price)),
        promised_mki=promised_mki,
        as_built_mki=as_built_mki,
    )
    _check_bidder(bid)
    full_clean(bid)
    save(bid)
    return bid


@transaction.atomic
def bid_update(*, actor: User | None, bid: Bid, **fields: Any) -> Bid:
    require(can_change_project(actor, bid.tender.project))
    if "price" in fields:
        fields["price"] = Decimal(str(fields["price"]))
    if apply(
        bid,
        fields,
        {"bidder_organisation", "bidder_name", "price", "promised_mki", "as_built_mki"},
    ):
        _check_bidder(bid)
        full_clean(bid)
        save(bid)
    return bid


@transaction.atomic
def bid_delete(*, actor: User | None, bid: Bid) -> None:
    require(can_change_project(actor, bid.tender.project))
    bid.delete()
