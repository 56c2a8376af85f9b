# SPDX-License-Identifier: EUPL-1.2
"""The results of the search near a point, shaped exactly as
``serializers.RepairPlaceSerializer`` shapes a place (same members, order and
values), from the rows of ``search.page_places``: a hundred places without a model
instance or a serializer field per value. ``test_search_index`` compares the two
on every member; a member added to the serializer must be added here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers

from cirkelregio.repair import rules

_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


@dataclass(frozen=True)
class _Owned:
    """What ``rules.can_change_place`` reads of a place."""

    owner_id: int | None


def place_results(
    places: Iterable[dict[str, Any]], *, user: Any
) -> list[dict[str, Any]]:
    authenticated = bool(user is not None and user.is_authenticated)
    results = []
    for p in places:
        private = authenticated and rules.can_change_place(
            user,
            _Owned(p["owner_id"]),  # type: ignore[arg-type]
        )
        last_verified = p["last_verified"]
        results.append(
            {
                "id": p["pk"],
                "name": p["name"],
                "place_kind": p["kind"],
                "street": p["street"],
                "postcode": p["postcode"],
                "city": p["city"],
                "municipality": p["municipality__cbs_code"],
                "lat": p["lat"],
                "lon": p["lon"],
                "coordinates_derived": p["coordinates_derived"],
                "distance_km": round(p["distance_km"], 3),
                "categories": p["categories"],
                "repairs_nl": p["repairs_nl"],
                "repairs_en": p["repairs_en"],
                "not_repaired_nl": p["not_repaired_nl"],
                "not_repaired_en": p["not_repaired_en"],
                "opening_hours": p["opening_hours"],
                "opening_hours_unparsable": p["opening_hours_unparsable"],
                "open": p["open"],
                "website": p["website"],
                "email": p["email"],
                "phone": p["phone"],
                "owner": p["owner__slug"],
                "source": p["source"],
                "last_verified": None
                if last_verified is None
                else _DATE.to_representation(last_verified),
                "is_published": p["is_published"],
                "is_demo": p["is_demo"],
                "internal_notes": p["internal_notes"] if private else "",
                "import_key": p["import_key"] if private else "",
                "updated_at": _DATETIME.to_representation(p["updated_at"]),
            }
        )
    return results
