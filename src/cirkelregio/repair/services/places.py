# SPDX-License-Identifier: EUPL-1.2
"""Repair places: created and changed by coordinators and by the editors of the
organisation that owns them (``cirkelregio.repair.rules``).

Every write normalises the postcode, locates the place (given coordinates, or the
postcode area's centroid marked as derived), derives its municipality and checks its
opening hours: unreadable hours are kept and flagged, never refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.regions.models import Organisation
from cirkelregio.repair import hours, rules, search
from cirkelregio.repair.models import RepairCategory, RepairPlace
from cirkelregio.repair.services._common import apply, full_clean, require, save
from cirkelregio.repair.services.location import (
    LocationError,
    Locator,
    normalise_postcode,
)

PLACE_FIELDS = {
    "name",
    "kind",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "repairs_nl",
    "repairs_en",
    "not_repaired_nl",
    "not_repaired_en",
    "opening_hours",
    "website",
    "email",
    "phone",
    "source",
    "last_verified",
    "internal_notes",
    "is_published",
}
PLACE_UPDATE_FIELDS = PLACE_FIELDS | {"owner"}


def _category_objects(codes: Iterable[str]) -> list[RepairCategory]:
    wanted = list(dict.fromkeys(codes))
    found = {c.code: c for c in RepairCategory.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError(
            {
                "categories": _("Unknown category: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return [found[code] for code in wanted]


def _prepare(place: RepairPlace, locator: Locator | None = None) -> None:
    """Normalise the postcode and opening hours, locate the place. A place whose
    point is None (none given, or cleared) gets its postcode area's centroid."""
    errors: dict[str, str] = {}
    try:
        place.postcode = normalise_postcode(place.postcode or "")
    except ValueError as exc:
        errors["postcode"] = _(str(exc))
    place.opening_hours = (place.opening_hours or "").strip()
    place.opening_hours_unparsable = (
        hours.parse_problem(place.opening_hours) is not None
    )
    if not errors:
        try:
            location = (locator or Locator()).locate(
                lat=place.lat, lon=place.lon, postcode=place.postcode
            )
        except LocationError as exc:
            message = _(exc.message)
            errors[exc.field] = message % exc.params if exc.params else message
        else:
            place.lat, place.lon = location.lat, location.lon
            place.coordinates_derived = location.derived
            place.municipality = location.municipality
    if errors:
        raise ValidationError(errors)


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )


@transaction.atomic
def place_create(
    *,
    actor: User | None,
    owner: Organisation | None = None,
    categories: Iterable[str] = (),
    **fields: Any,
) -> RepairPlace:
    require(rules.can_create_place(actor, owner))
    _check_fields(fields, PLACE_FIELDS | {"is_demo"})
    category_objects = _category_objects(categories)
    place = RepairPlace(owner=owner, **fields)
    _prepare(place)
    full_clean(place)
    save(place)
    place.categories.set(category_objects)
    search.touch_on_commit(place)
    return place


@transaction.atomic
def place_update(
    *,
    actor: User | None,
    place: RepairPlace,
    categories: Iterable[str] | None = None,
    **fields: Any,
) -> RepairPlace:
    """Change the given fields. A place whose point was derived from its postcode
    follows a new postcode; clearing both coordinates derives the point again."""
    require(rules.can_change_place(actor, place))
    _check_fields(fields, PLACE_UPDATE_FIELDS)
    place = RepairPlace.objects.select_for_update().get(pk=place.pk)
    if "owner" in fields and fields["owner"] != place.owner:
        require(rules.can_change_place_owner(actor))
    coordinates_given = "lat" in fields or "lon" in fields
    changed = apply(place, fields, PLACE_UPDATE_FIELDS)
    if changed:
        if place.coordinates_derived and not coordinates_given:
            # Derive the point again: from the new postcode, if it changed.
            place.lat = place.lon = None  # type: ignore[assignment]
        _prepare(place)
        full_clean(place)
        save(place)
    categories_changed = False
    if categories is not None:
        category_objects = _category_objects(categories)
        if {c.pk for c in category_objects} != set(
            place.categories.values_list("pk", flat=True)
        ):
            place.categories.set(category_objects)
            categories_changed = True
            if not changed:
                search.touch(place)  # changed, though not saved: mark it
    if changed or categories_changed:
        search.touch_on_commit(place)
    return place


@transaction.atomic
def place_delete(*, actor: User | None, place: RepairPlace) -> None:
    require(rules.can_change_place(actor, place))
    place.delete()


def place_location_check(
    *, postcode: str, lat: float | None, lon: float | None
) -> None:
    """Raise the ValidationError a create or update would raise for this postcode
    and point (for forms that check before they save)."""
    _prepare(RepairPlace(postcode=postcode or "", lat=lat, lon=lon))
