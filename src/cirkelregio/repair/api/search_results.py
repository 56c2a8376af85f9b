# SPDX-License-Identifier: EUPL-1.2
"""The results of the search near a point, shaped exactly as
``serializers.RepairPlaceSerializer`` shapes a place (same members, order and
values), from the places of ``search.page_places``: a hundred places without a
model instance or a serializer field per value.

What depends on the place alone is shaped once per place and index (kept in its
``memo``, per time zone); each result copies it and sets its distance, open state,
municipality, owner and, for those who may change the place, its internal notes
and import key. ``test_search_index`` compares the output with the serializer's
member by member: a member added to the serializer must be added here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from rest_framework import serializers

from cirkelregio.repair import rules, search

_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()
_AT = {name: i for i, name in enumerate(search.PAGE_COLUMNS)}


@dataclass(frozen=True)
class _Owned:
    """What ``rules.can_change_place`` reads of a place."""

    owner_id: int | None


def _shaped(row: tuple[Any, ...], categories: list[str]) -> dict[str, Any]:
    """The serializer's members in its order; those that do not depend on the place
    alone are None or empty here."""

    def v(name: str) -> Any:
        return row[_AT[name]]

    last_verified = v("last_verified")
    return {
        "id": v("pk"),
        "name": v("name"),
        "place_kind": v("kind"),
        "street": v("street"),
        "postcode": v("postcode"),
        "city": v("city"),
        "municipality": None,
        "lat": v("lat"),
        "lon": v("lon"),
        "coordinates_derived": v("coordinates_derived"),
        "distance_km": None,
        "categories": categories,
        "repairs_nl": v("repairs_nl"),
        "repairs_en": v("repairs_en"),
        "not_repaired_nl": v("not_repaired_nl"),
        "not_repaired_en": v("not_repaired_en"),
        "opening_hours": v("opening_hours"),
        "opening_hours_unparsable": v("opening_hours_unparsable"),
        "open": None,
        "website": v("website"),
        "email": v("email"),
        "phone": v("phone"),
        "owner": None,
        "source": v("source"),
        "last_verified": None
        if last_verified is None
        else _DATE.to_representation(last_verified),
        "is_published": v("is_published"),
        "is_demo": v("is_demo"),
        "internal_notes": "",
        "import_key": "",
        "updated_at": _DATETIME.to_representation(v("updated_at")),
    }


_OWNER = _AT["owner_id"]
_NOTES = _AT["internal_notes"]
_KEY = _AT["import_key"]


def place_results(
    places: Iterable[search.PagePlace], *, user: Any
) -> list[dict[str, Any]]:
    authenticated = bool(user is not None and user.is_authenticated)
    zone = timezone.get_current_timezone_name()  # updated_at is shown in it
    results = []
    for place in places:
        shown = place.shown
        shaped = shown.memo.get(zone)
        if shaped is None:
            shaped = shown.memo[zone] = _shaped(shown.row, shown.categories)
        result = shaped.copy()  # keeps the order of the members
        result["municipality"] = place.municipality
        result["distance_km"] = round(place.distance_km, 3)
        result["open"] = place.open
        result["owner"] = place.owner
        if authenticated and rules.can_change_place(
            user,
            _Owned(shown.row[_OWNER]),  # type: ignore[arg-type]
        ):
            result["internal_notes"] = shown.row[_NOTES]
            result["import_key"] = shown.row[_KEY]
        results.append(result)
    return results
