# SPDX-License-Identifier: EUPL-1.2
"""The search near a point, fast: the same results as ``selectors.place_list`` with
the search filters, ``selectors.places_by_distance`` and
``selectors.place_open_states`` (the API's list with ``near``), for many requests a
second on a national map.

Each process keeps an index of every place in numpy arrays: id, latitude,
longitude, published, owner, kind, municipality and a column per category. It is
built on first use and built again whenever the places have changed, which a cheap
stamp tells: the number of places and their latest ``updated_at``, read once per
search (one query; on PostgreSQL the count reads an index of the table, on SQLite
it is almost free; the latest ``updated_at`` comes from its own index). Every
change a service makes moves the stamp on:

- a change of categories alone sets ``updated_at`` (``touch``);
- after a write commits, ``updated_at`` of a place it wrote is set again
  (``touch_on_commit``): ``updated_at`` is taken before the commit, so a
  transaction that commits after another one with a later ``updated_at`` would
  otherwise leave the stamp as it was.

A search then filters the index with the same bounding box and filters as the
database query, computes the engine's haversine over the candidates and orders by
distance and id (only as far as the page asked for). ``page_places`` reads the
page: the places' own columns once per index and place, the municipality's code
and the owner's slug for every page (one query), the categories from the index, and
the open state once per distinct opening-hours text (``hours`` caches the parsed
rules). ``api.search_results`` shapes them as ``RepairPlaceSerializer`` does.

What the stamp cannot see: a bulk ``QuerySet.update`` of places that leaves
``updated_at`` alone (no service of this app does that; the database does it when a
municipality is deleted, setting its places' municipality to none), and a category
deleted or reordered (the categories are fixed by migration 0002).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple, overload

from django.db import connection, transaction
from django.utils import timezone

import numpy as np
from numpy.typing import NDArray

from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.engine.geo.distance import haversine_km
from cirkelregio.repair import hours
from cirkelregio.repair.models import RepairCategory, RepairPlace

__all__ = [
    "KM_PER_DEGREE_LAT",
    "PAGE_COLUMNS",
    "RELATED_COLUMNS",
    "PagePlace",
    "PlaceIndex",
    "Ranked",
    "Shown",
    "bounding_box",
    "place_index",
    "page_places",
    "search",
    "shown_places",
    "touch",
    "touch_on_commit",
]

_Categories = RepairPlace.categories.through

KM_PER_DEGREE_LAT = 111.0


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


# The stamp -------------------------------------------------------------------------


def _stamp() -> tuple[Any, ...]:
    """(database, number of places, latest ``updated_at``): one query, two scalar
    subqueries so that each can use its index."""
    table = connection.ops.quote_name(RepairPlace._meta.db_table)
    column = connection.ops.quote_name(RepairPlace._meta.get_field("updated_at").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table}), "  # noqa: S608 (names only)
            f"(SELECT MAX({column}) FROM {table})"
        )
        count, latest = cursor.fetchone()
    return (connection.alias, connection.settings_dict["NAME"], count, str(latest))


def touch(place: RepairPlace) -> None:
    """Set the place's ``updated_at`` to now, in the database and on ``place`` (for
    a change its own save did not record, such as one of its categories only)."""
    place.updated_at = timezone.now()
    RepairPlace.objects.filter(pk=place.pk).update(updated_at=place.updated_at)


def touch_on_commit(place: RepairPlace) -> None:
    """``touch`` the place once the current transaction has committed (at once
    outside a transaction). Its ``updated_at`` was taken before the commit: without
    this, a search that read the stamp in between, after another write with a
    later ``updated_at`` had committed, would keep an index without this change."""
    transaction.on_commit(partial(touch, place))


# The index -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shown:
    """A place as a page shows it, kept for as long as its index: its
    ``PAGE_COLUMNS``, its category codes, and ``memo``, where the caller may keep
    what it derives from them (the API its output)."""

    row: tuple[Any, ...]
    categories: list[str]
    memo: dict[Any, Any]


class PagePlace(NamedTuple):
    """A place of a page of results."""

    shown: Shown
    municipality: str | None  # CBS code
    owner: str | None  # slug
    distance_km: float
    open: bool | None


@dataclass(frozen=True)
class PlaceIndex:
    """Every place (published or not), sorted by id, as it was at ``stamp``."""

    stamp: tuple[Any, ...]
    ids: NDArray[np.int64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    published: NDArray[np.bool_]
    owner: NDArray[np.int64]  # -1: none
    kind: NDArray[np.int16]  # position in ``kinds``
    kinds: dict[str, int]
    municipality: NDArray[np.int64]  # -1: none
    # A column per category, in the categories' order (``RepairCategory.Meta``).
    categories: NDArray[np.bool_]
    category_codes: list[str]
    # The places shown so far (``page_places`` fills it).
    shown: dict[int, Shown] = field(default_factory=dict)

    @classmethod
    def build(cls, stamp: tuple[Any, ...]) -> PlaceIndex:
        rows = list(
            RepairPlace.objects.order_by("pk").values_list(
                "pk",
                "lat",
                "lon",
                "is_published",
                "owner_id",
                "kind",
                "municipality_id",
            )
        )
        n = len(rows)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        kinds: dict[str, int] = {}
        kind = np.fromiter(
            (kinds.setdefault(r[5], len(kinds)) for r in rows), dtype=np.int16, count=n
        )
        category_ids, category_codes = zip(
            *RepairCategory.objects.order_by("order", "code").values_list("pk", "code"),
            strict=True,
        ) or ((), ())
        column_of = {pk: j for j, pk in enumerate(category_ids)}
        links = list(
            _Categories.objects.values_list("repairplace_id", "repaircategory_id")
        )
        categories = np.zeros((n, len(column_of)), dtype=np.bool_)
        if links and n:
            place = np.fromiter(
                (p for p, _c in links), dtype=np.int64, count=len(links)
            )
            column = np.fromiter(
                (column_of[c] for _p, c in links), dtype=np.int64, count=len(links)
            )
            row = np.minimum(np.searchsorted(ids, place), n - 1)
            known = ids[row] == place  # a link written after the places were read
            categories[row[known], column[known]] = True
        return cls(
            stamp=stamp,
            ids=ids,
            lat=np.fromiter((r[1] for r in rows), dtype=np.float64, count=n),
            lon=np.fromiter((r[2] for r in rows), dtype=np.float64, count=n),
            published=np.fromiter((r[3] for r in rows), dtype=np.bool_, count=n),
            owner=np.fromiter(
                (-1 if r[4] is None else r[4] for r in rows), dtype=np.int64, count=n
            ),
            kind=kind,
            kinds=kinds,
            municipality=np.fromiter(
                (-1 if r[6] is None else r[6] for r in rows), dtype=np.int64, count=n
            ),
            categories=categories,
            category_codes=list(category_codes),
        )

    def visible(self, user: Any) -> NDArray[np.bool_]:
        """The places ``selectors.place_list(user=user)`` lists: published ones for
        everyone, also unpublished ones of their own organisation for its editors,
        all of them for coordinators."""
        if is_coordinator(user):
            return np.ones(self.ids.shape, dtype=np.bool_)
        organisation = edited_organisation_id(user)
        if organisation is not None:
            return self.published | (self.owner == organisation)
        return self.published

    def codes_of(self, pk: int) -> list[str]:
        """The category codes of a place, in the categories' order."""
        row = int(np.searchsorted(self.ids, pk))
        if row == len(self.ids) or self.ids[row] != pk:
            return []
        return [self.category_codes[j] for j in np.flatnonzero(self.categories[row])]


_lock = threading.Lock()
_index: PlaceIndex | None = None


def place_index() -> PlaceIndex:
    """The index of the places as they are now (built again when they changed)."""
    global _index
    stamp = _stamp()
    index = _index
    if index is not None and index.stamp == stamp:
        return index
    with _lock:
        if _index is None or _index.stamp != stamp:
            # The stamp was read first: a change committed while the index is read
            # moves the stamp on, and the next search builds it again.
            _index = PlaceIndex.build(stamp)
        return _index


# The search ------------------------------------------------------------------------


class Ranked(Sequence[tuple[int, float]]):
    """(id, distance in km) of the places found, nearest first (ties by id). Only
    what a slice asks for is put in order: the paginator asks for the count and one
    page, so a search that finds thousands sorts about one page of them."""

    def __init__(self, ids: NDArray[np.int64], distance: NDArray[np.float64]) -> None:
        self._ids = ids
        self._distance = distance
        self._sorted = 0  # the first _sorted places are in their final order

    def __len__(self) -> int:
        return len(self._ids)

    def _sort(self, k: int) -> None:
        """Put the ``k`` nearest (ties by id) first, in order."""
        n = len(self._ids)
        k = min(k, n)
        if k <= self._sorted:
            return
        if k < n:
            # Every place as near as the k-th nearest, ties included, then in order.
            kth = np.partition(self._distance, k - 1)[k - 1]
            near = np.flatnonzero(self._distance <= kth)
            rest = np.flatnonzero(self._distance > kth)
        else:
            near = np.arange(n)
            rest = np.arange(0)
        near = near[np.lexsort((self._ids[near], self._distance[near]))]
        order = np.concatenate((near, rest))
        self._ids, self._distance = self._ids[order], self._distance[order]
        self._sorted = len(near)

    @overload
    def __getitem__(self, i: int) -> tuple[int, float]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, float]]: ...

    def __getitem__(
        self, i: int | slice
    ) -> tuple[int, float] | list[tuple[int, float]]:
        n = len(self._ids)
        if isinstance(i, slice):
            start, stop, step = i.indices(n)
            self._sort(max(start, stop) if step > 0 else n)
            return list(
                zip(self._ids[i].tolist(), self._distance[i].tolist(), strict=True)
            )
        position = i + n if i < 0 else i
        if not 0 <= position < n:
            raise IndexError(i)
        self._sort(position + 1)
        return int(self._ids[position]), float(self._distance[position])

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return iter(self[:])


def search(
    index: PlaceIndex,
    *,
    user: Any,
    lat: float,
    lon: float,
    radius_km: float,
    category: str | None = None,
    kind: str | None = None,
    municipality_id: int | None = None,
) -> Ranked:
    """The places ``user`` may see within ``radius_km`` great-circle km of the point
    that match the filters, nearest first (ties by id): what
    ``selectors.places_by_distance`` returns for the filtered ``place_list``."""
    south, north, west, east = bounding_box(lat, lon, radius_km)
    mask = index.visible(user) & (index.lat >= south) & (index.lat <= north)
    if west is not None and east is not None:
        mask &= (index.lon >= west) & (index.lon <= east)
    if category is not None:
        if category in index.category_codes:
            mask &= index.categories[:, index.category_codes.index(category)]
        else:
            mask[:] = False
    if kind is not None:
        code = index.kinds.get(kind)
        if code is None:
            mask[:] = False
        else:
            mask &= index.kind == code
    if municipality_id is not None:
        mask &= index.municipality == municipality_id
    candidates = np.flatnonzero(mask)
    distance = haversine_km(lat, lon, index.lat[candidates], index.lon[candidates])
    inside = distance <= radius_km
    candidates, distance = candidates[inside], distance[inside]
    return Ranked(index.ids[candidates], distance)


# The page -------------------------------------------------------------------------

# What the API shows of a place: its own columns, kept in the index once read...
PAGE_COLUMNS = (
    "pk",
    "name",
    "kind",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "coordinates_derived",
    "repairs_nl",
    "repairs_en",
    "not_repaired_nl",
    "not_repaired_en",
    "opening_hours",
    "opening_hours_unparsable",
    "website",
    "email",
    "phone",
    "owner_id",
    "source",
    "last_verified",
    "is_published",
    "is_demo",
    "internal_notes",
    "import_key",
    "updated_at",
)
# ... and those of other tables, read for every page.
RELATED_COLUMNS = ("municipality__cbs_code", "owner__slug")
_HOURS = PAGE_COLUMNS.index("opening_hours")
_UNREADABLE = PAGE_COLUMNS.index("opening_hours_unparsable")
# Read at most this many places per query (SQLite's limit of parameters).
_READ_BATCH = 900


def _read_shown(index: PlaceIndex, ids: Sequence[int]) -> None:
    """Keep the ``Shown`` of the places ``ids`` in ``index.shown``, read from the
    database (a place deleted since is left out)."""
    shown = index.shown
    for start in range(0, len(ids), _READ_BATCH):
        for row in (
            RepairPlace.objects.filter(pk__in=ids[start : start + _READ_BATCH])
            .order_by()
            .values_list(*PAGE_COLUMNS)
        ):
            shown[row[0]] = Shown(row, index.codes_of(row[0]), {})


def shown_places(index: PlaceIndex, ids: Sequence[int]) -> list[Shown]:
    """The ``Shown`` of the places ``ids``, in their order, each read once per index
    (as ``page_places`` reads them): what a list of every place found needs, such as
    the public map's, without a query per search once they have been read. A place
    deleted before it was first read is left out."""
    _read_shown(index, [pk for pk in ids if pk not in index.shown])
    shown = index.shown
    return [shown[pk] for pk in ids if pk in shown]


def page_places(
    index: PlaceIndex, page: Sequence[tuple[int, float]], *, at: dt.datetime
) -> list[PagePlace]:
    """The places of one page of a search, in its order, with their municipality's
    code, their owner's slug, their distance and whether they are open at ``at``
    (as ``selectors.place_open_states`` tells it, worked out once per distinct
    opening-hours text).

    A place's own columns are read once per index (``index.shown``): while the stamp
    stays the same, no place has changed. The municipality's code and the owner's
    slug are read for every page, in one query, which also leaves out a place
    deleted since the search."""
    ids = [pk for pk, _distance in page]
    related = {
        row[0]: row[1:]
        for row in RepairPlace.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", *RELATED_COLUMNS)
    }
    shown = index.shown
    _read_shown(index, [pk for pk in related if pk not in shown])
    states: dict[str, bool | None] = {}
    places = []
    for pk, distance in page:
        place = shown.get(pk)
        if pk not in related or place is None:
            continue
        text = place.row[_HOURS]
        if place.row[_UNREADABLE]:
            state = None
        else:
            if text not in states:
                states[text] = hours.is_open(text, at)
            state = states[text]
        municipality, owner = related[pk]
        places.append(PagePlace(place, municipality, owner, distance, state))
    return places
