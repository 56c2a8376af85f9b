# SPDX-License-Identifier: EUPL-1.2
"""Reads of the repair map for the API, the admin, pages and other apps. Lists leave
out what the reader may not see (unpublished places of others).

The search near a point is built for many places (a national map holds tens of
thousands): the database narrows the candidates with a bounding box on the indexed
latitude and longitude, numpy computes the exact great-circle distances (the
engine's haversine) of those candidates only, and the opening state is worked out
only for the page of results that is returned.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

import numpy as np

from cirkelregio.engine.geo.distance import haversine_km
from cirkelregio.repair import hours
from cirkelregio.repair.models import RepairCategory, RepairPlace

KM_PER_DEGREE_LAT = 111.0


def _is_coordinator(user: Any) -> bool:
    return bool(getattr(user, "is_coordinator", False))


def _edited_organisation_id(user: Any) -> int | None:
    if getattr(user, "is_organisation_editor", False):
        return int(user.organisation_id)
    return None


def category_list() -> QuerySet[RepairCategory]:
    return RepairCategory.objects.all()


def place_list(*, user: Any = None) -> QuerySet[RepairPlace]:
    """Published places for everyone; unpublished ones for their owner's editors
    and coordinators."""
    qs = (
        RepairPlace.objects.select_related("owner", "municipality")
        # Not the municipal boundaries: large GeoJSON, decoded for every row.
        .defer("municipality__boundary", "municipality__bbox")
        .prefetch_related("categories")
    )
    if _is_coordinator(user):
        return qs
    org = _edited_organisation_id(user)
    if org is None:
        return qs.filter(is_published=True)
    return qs.filter(Q(is_published=True) | Q(owner_id=org))


def bounding_box(
    lat: float, lon: float, radius_km: float
) -> tuple[float, float, float | None, float | None]:
    """(south, north, west, east) in degrees of a box that holds every point within
    ``radius_km`` of the point (slightly larger). West and east are None where the
    box would cross the antimeridian: then only the latitude narrows the search."""
    dlat = radius_km / KM_PER_DEGREE_LAT + 1e-6
    cos = math.cos(math.radians(min(abs(lat) + dlat, 89.9)))
    dlon = radius_km / (KM_PER_DEGREE_LAT * max(cos, 1e-6)) + 1e-6
    if lon - dlon < -180 or lon + dlon > 180:
        return lat - dlat, lat + dlat, None, None
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def places_by_distance(
    qs: QuerySet[RepairPlace], *, lat: float, lon: float, radius_km: float
) -> list[tuple[int, float]]:
    """(id, distance in km) of the places in ``qs`` within ``radius_km``
    great-circle km of the point, nearest first (ties by id)."""
    south, north, west, east = bounding_box(lat, lon, radius_km)
    candidates = qs.filter(lat__gte=south, lat__lte=north)
    if west is not None and east is not None:
        candidates = candidates.filter(lon__gte=west, lon__lte=east)
    rows = list(candidates.order_by().values_list("pk", "lat", "lon"))
    if not rows:
        return []
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    lats = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    lons = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    distance = haversine_km(lat, lon, lats, lons)
    inside = distance <= radius_km
    ids, distance = ids[inside], distance[inside]
    order = np.lexsort((ids, distance))
    return [(int(ids[i]), float(distance[i])) for i in order]


def place_open_states(
    places: Iterable[RepairPlace], *, at: dt.datetime
) -> dict[int, bool | None]:
    """Whether each place is open at ``at`` (None: unknown, unreadable or no
    hours). Meant for one page of results."""
    return {
        p.pk: None if p.opening_hours_unparsable else hours.is_open(p.opening_hours, at)
        for p in places
    }


__all__ = [
    "bounding_box",
    "category_list",
    "place_list",
    "place_open_states",
    "places_by_distance",
]
