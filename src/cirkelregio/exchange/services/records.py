# SPDX-License-Identifier: EUPL-1.2
"""The catalogue of material classes (coordinators), depots and listings (their
owner organisation's editors and coordinators)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.exchange import rules, selectors
from cirkelregio.exchange.models import (
    NL_BBOX,
    ClosedReason,
    Depot,
    Listing,
    ListingStatus,
    MaterialClass,
)
from cirkelregio.exchange.services._common import apply, full_clean, require, save
from cirkelregio.exchange.services.photos import listing_photo_files_remove_on_commit
from cirkelregio.regions.models import Organisation

MATERIAL_FIELDS = {
    "code",
    "name_nl",
    "name_en",
    "unit",
    "tonnes_per_unit",
    "new_cost_eur",
    "new_cost_source",
    "new_mki_eur",
    "new_mki_source",
    "disposal_cost_eur",
    "disposal_cost_source",
    "new_mki_profile",
    "new_mki_conversion",
    "new_mki_method",
}
NEW_MKI_INPUTS = {
    "unit",
    "tonnes_per_unit",
    "new_mki_profile",
    "new_mki_conversion",
    "new_mki_method",
}
DEPOT_FIELDS = {
    "name",
    "lat",
    "lon",
    "municipality",
    "capacity_tonnes",
    "storage_eur_per_tonne_week",
    "handling_eur_per_tonne",
    "is_active",
    "notes",
}
LISTING_FIELDS = {
    "reference",
    "project_name",
    "material",
    "quantity",
    "quality",
    "lat",
    "lon",
    "country",
    "municipality",
    "window_from",
    "window_until",
    "notes",
    "is_published",
}
LISTING_UPDATE_FIELDS = LISTING_FIELDS | {"status"}


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )


def _delete(instance: Any) -> None:
    try:
        instance.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("This record is still in use and cannot be removed.")
        ) from exc


# Catalogue ---------------------------------------------------------------------------


def material_check_new_mki(material: MaterialClass, *, calculate: bool = True) -> None:
    """The link to the MKI profile of the new product: a profile of a published
    library (the catalogue is public), a conversion more than 0 that is consistent
    with a profile per tonne, or one that can be derived; and, with ``calculate``,
    an MKI the profile yields with the chosen weighting set. ValidationError per
    field."""
    profile = material.new_mki_profile
    conversion = material.new_mki_conversion
    if profile is None:
        if conversion is not None:
            raise ValidationError(
                {
                    "new_mki_conversion": _(
                        "Choose the MKI profile this conversion is for, or leave "
                        "the conversion empty."
                    )
                }
            )
        return
    if not profile.library.is_published:
        raise ValidationError(
            {
                "new_mki_profile": _(
                    "Choose a profile of a published library: the catalogue is public."
                )
            }
        )
    if conversion is not None and not (math.isfinite(conversion) and conversion > 0):
        raise ValidationError(
            {"new_mki_conversion": _("The conversion must be more than 0.")}
        )
    tonnes = material.tonnes_per_unit
    if conversion is None:
        derived = selectors.default_conversion(
            unit=material.unit or "",
            tonnes_per_unit=tonnes or 0.0,
            profile_unit=profile.unit,
        )
        if derived is None:
            raise ValidationError(
                {
                    "new_mki_conversion": _(
                        "The profile is per %(profile_unit)s and the class per "
                        "%(unit)s: give how many %(profile_unit)s make one %(unit)s."
                    )
                    % {"profile_unit": profile.unit, "unit": material.unit}
                }
            )
    elif (
        selectors.is_tonne_unit(profile.unit)
        and tonnes
        and not math.isclose(conversion, tonnes, rel_tol=1e-9)
    ):
        raise ValidationError(
            {
                "new_mki_conversion": _(
                    "The profile is per tonne and one %(unit)s is %(tonnes)g t "
                    "(tonnes per unit): leave the conversion empty or give "
                    "%(tonnes)g."
                )
                % {"unit": material.unit, "tonnes": tonnes}
            }
        )
    if calculate:
        new = selectors.material_new_mki(material)
        if not new.from_profile:
            raise ValidationError({"new_mki_profile": new.note})


@transaction.atomic
def material_create(*, actor: User | None, **fields: Any) -> MaterialClass:
    require(rules.can_change_catalogue(actor))
    _check_fields(fields, MATERIAL_FIELDS | {"is_demo"})
    material = MaterialClass(**fields)
    full_clean(material)
    material_check_new_mki(material)
    save(material)
    return material


@transaction.atomic
def material_update(
    *, actor: User | None, material: MaterialClass, **fields: Any
) -> MaterialClass:
    require(rules.can_change_catalogue(actor))
    changed = apply(material, fields, MATERIAL_FIELDS)
    if changed:
        full_clean(material)
        material_check_new_mki(material, calculate=bool(NEW_MKI_INPUTS & set(changed)))
        save(material)
    return material


@transaction.atomic
def material_delete(*, actor: User | None, material: MaterialClass) -> None:
    require(rules.can_change_catalogue(actor))
    _delete(material)


# Depots ------------------------------------------------------------------------------


@transaction.atomic
def depot_create(*, actor: User | None, owner: Organisation, **fields: Any) -> Depot:
    require(rules.can_create_depot(actor, owner))
    _check_fields(fields, DEPOT_FIELDS | {"is_demo"})
    depot = Depot(owner=owner, **fields)
    full_clean(depot)
    save(depot)
    return depot


@transaction.atomic
def depot_update(*, actor: User | None, depot: Depot, **fields: Any) -> Depot:
    require(rules.can_change_depot(actor, depot))
    if apply(depot, fields, DEPOT_FIELDS):
        full_clean(depot)
        save(depot)
    return depot


@transaction.atomic
def depot_delete(*, actor: User | None, depot: Depot) -> None:
    require(rules.can_change_depot(actor, depot))
    if depot.movements.exists():
        raise ValidationError(
            _("The depot has stock movements; make it inactive instead.")
        )
    _delete(depot)


# Listings ----------------------------------------------------------------------------


def _check_listing(listing: Listing) -> None:
    """Rules beyond the model's field validation: the Dutch bounding box, the
    window order and the quantity already reserved."""
    errors: dict[str, str] = {}
    country = (listing.country or "").upper()
    listing.country = country
    if country == "NL" and listing.lat is not None and listing.lon is not None:
        south, west, north, east = NL_BBOX
        if not (south <= listing.lat <= north and west <= listing.lon <= east):
            errors["lat"] = _("A Dutch listing must lie in the Netherlands.")
    if (
        isinstance(listing.window_from, dt.date)
        and isinstance(listing.window_until, dt.date)
        and listing.window_until < listing.window_from
    ):
        errors["window_until"] = _("The window cannot end before it starts.")
    if listing.quantity is not None and listing.quantity <= 0:
        errors["quantity"] = _("The quantity must be more than 0.")
    elif (
        listing.quantity is not None
        and listing.reserved_quantity > listing.quantity + 1e-9
    ):
        errors["quantity"] = _(
            "%(reserved)g is already reserved; the quantity cannot be less."
        ) % {"reserved": listing.reserved_quantity}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def listing_create(
    *, actor: User | None, owner: Organisation, kind: str, **fields: Any
) -> Listing:
    require(rules.can_create_listing(actor, owner))
    _check_fields(fields, LISTING_FIELDS | {"is_demo"})
    listing = Listing(owner=owner, kind=kind, **fields)
    _check_listing(listing)
    full_clean(listing)
    save(listing)
    return listing


def _closing(listing: Listing, was: str) -> None:
    """Keep why and when a listing was closed with a status change by hand."""
    if listing.status == was:
        return
    if was == ListingStatus.CLOSED:
        if listing.closed_reason == ClosedReason.PLACED:
            raise ValidationError(
                {
                    "status": _(
                        "The whole quantity of this listing has been placed; it "
                        "cannot be opened again."
                    )
                }
            )
        listing.closed_reason = ""
        listing.closed_at = None
    elif listing.status == ListingStatus.CLOSED:
        listing.closed_reason = ClosedReason.WITHDRAWN
        listing.closed_at = timezone.now()


@transaction.atomic
def listing_update(*, actor: User | None, listing: Listing, **fields: Any) -> Listing:
    require(rules.can_change_listing(actor, listing))
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if "status" in fields and fields["status"] not in ListingStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    was = listing.status
    if apply(listing, fields, LISTING_UPDATE_FIELDS):
        _closing(listing, was)
        _check_listing(listing)
        full_clean(listing)
        save(listing)
    return listing


@transaction.atomic
def listing_withdraw(*, actor: User | None, listing: Listing) -> Listing:
    """The owner withdraws an open listing: it is closed, no longer shown as
    available and left out of the next match run. What is reserved stays reserved
    (release those proposals to free it)."""
    require(rules.can_withdraw_listing(actor, listing))
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status == ListingStatus.CLOSED:
        raise ValidationError(_("This listing is closed already."))
    if listing.status != ListingStatus.OPEN:
        raise ValidationError(
            _(
                "All of this listing is reserved, so it is not open: release its "
                "reserved proposals first, or follow them through to placement."
            )
        )
    listing.status = ListingStatus.CLOSED
    listing.closed_reason = ClosedReason.WITHDRAWN
    listing.closed_at = timezone.now()
    listing.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    return listing


@transaction.atomic
def listing_delete(*, actor: User | None, listing: Listing) -> None:
    require(rules.can_change_listing(actor, listing))
    if listing.reserved_quantity > 0:
        raise ValidationError(
            _("Part of this listing is reserved; close it instead of removing it.")
        )
    listing_photo_files_remove_on_commit(listing)
    _delete(listing)
