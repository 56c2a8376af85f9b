# SPDX-License-Identifier: EUPL-1.2
"""Bundling of planned road works across road authorities (``docs/planning-models.md``
section 4).

Two works are *compatible* when

- they belong to different authorities (``Work.authority`` differs),
- their geometries lie within ``distance_m`` of each other: the plain shapely distance
  in RD New (EPSG:28992) metres between the two geometries, at most ``distance_m``
  (a distance of exactly ``distance_m`` counts), no detour factor, and
- their time windows overlap. Windows are whole days, ``start`` and ``end`` both
  inclusive, so windows that touch (one ends on the day the other starts) overlap by
  that day: ``a.start <= b.end and b.start <= a.end``.

A *bundle* is a connected component of two or more works in the graph of compatible
pairs. Two works of the same authority are never compatible themselves, but they can
be in one bundle through a work of another authority (A1 - B - A2). A bundle lists its
works (input order), its authorities, its compatible pairs with their distances, the
tonnes by mixture summed over its works and the common window: the intersection of
all its works' windows, or ``None`` where that is empty (a chain whose windows overlap
pair by pair need not have a day in common). Works in no bundle are listed apart.

Geometries are shapely geometries in RD New; ``make_work`` and ``to_rd_new`` convert
WGS84 (longitude, latitude order, as GeoJSON) on input. ``find_bundles`` takes the
candidate pairs from an STRtree (bounding boxes grown by B), filters same authority
and non-overlapping windows with numpy, measures the remaining pairs with
``shapely.distance`` and finds the components with ``scipy.sparse.csgraph``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import (  # type: ignore[import-untyped]
    connected_components,
)
from shapely.geometry.base import BaseGeometry

from cirkelregio.engine.geo.projection import wgs84_to_rd

__all__ = [
    "CRS_ALIASES",
    "DEFAULT_DISTANCE_M",
    "RD_NEW",
    "WGS84",
    "Bundle",
    "BundlingResult",
    "CompatiblePair",
    "Work",
    "WorkError",
    "find_bundles",
    "make_work",
    "normalise_crs",
    "to_rd_new",
    "to_rd_new_all",
    "windows_overlap",
]

DEFAULT_DISTANCE_M = 500.0
RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"

# The names under which the two supported coordinate reference systems are accepted
# (GeoJSON files of 2008 carry the URN forms in their ``crs`` member). Coordinates are
# always read in x, y order: easting, northing for RD New, longitude, latitude for
# WGS84, as GeoJSON writes them whatever the EPSG axis order.
CRS_ALIASES: dict[str, str] = {
    "epsg:28992": RD_NEW,
    "urn:ogc:def:crs:epsg::28992": RD_NEW,
    "urn:ogc:def:crs:epsg:0:28992": RD_NEW,
    "epsg:4326": WGS84,
    "urn:ogc:def:crs:epsg::4326": WGS84,
    "urn:ogc:def:crs:epsg:0:4326": WGS84,
    "urn:ogc:def:crs:ogc:1.3:crs84": WGS84,
    "urn:ogc:def:crs:ogc::crs84": WGS84,
    "crs84": WGS84,
}

# A generous box around the area of use of RD New (the Netherlands, about x 0 to
# 285 km, y 300 to 640 km): coordinates outside it mean a wrong CRS or swapped axes.
RD_NEW_BOX = (-50_000.0, 250_000.0, 350_000.0, 700_000.0)


class WorkError(ValueError):
    """A work that cannot be bundled; names the work and the field."""

    def __init__(self, work_id: object, field_name: str, message: str) -> None:
        self.work_id = work_id
        self.field = field_name
        self.message = message
        super().__init__(f"work {work_id!r}, field {field_name!r}: {message}")


def normalise_crs(name: str) -> str:
    """``EPSG:28992`` or ``EPSG:4326`` for any accepted name; ``ValueError`` else."""
    key = name.strip().lower() if isinstance(name, str) else ""
    if key not in CRS_ALIASES:
        raise ValueError(
            f"unknown CRS {name!r}: use EPSG:28992 (RD New) or EPSG:4326 (WGS84)"
        )
    return CRS_ALIASES[key]


def _wgs84_coords_to_rd(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    x, y = wgs84_to_rd(coords[:, 1], coords[:, 0])
    return np.column_stack([x, y])


WGS84_RANGE_MESSAGE = (
    "coordinates outside longitude -180..180 / latitude -90..90 "
    "(GeoJSON order is longitude, latitude)"
)


def to_rd_new_all(
    geometries: Sequence[BaseGeometry], crs: str
) -> list[BaseGeometry | None]:
    """Each geometry in RD New metres, converted with one PROJ call for all; ``crs``
    is their CRS (any name of CRS_ALIASES). None for a geometry whose WGS84
    coordinates lie outside longitude -180..180 / latitude -90..90. Raises
    ``ValueError`` for an unknown CRS."""
    code = normalise_crs(crs)
    if code == RD_NEW:
        return list(geometries)
    geoms = np.empty(len(geometries), dtype=object)
    geoms[:] = list(geometries)
    west, south, east, north = shapely.bounds(geoms).T  # NaN for empty geometries
    outside = (west < -180) | (east > 180) | (south < -90) | (north > 90)
    out = np.full(len(geoms), None, dtype=object)
    out[~outside] = shapely.transform(geoms[~outside], _wgs84_coords_to_rd)
    return list(out)


def to_rd_new(geometry: BaseGeometry, crs: str) -> BaseGeometry:
    """The geometry in RD New metres; ``crs`` is its CRS (any name of CRS_ALIASES).

    Raises ``ValueError`` for an unknown CRS or WGS84 coordinates outside longitude
    -180..180 / latitude -90..90."""
    (out,) = to_rd_new_all([geometry], crs)
    if out is None:
        raise ValueError(WGS84_RANGE_MESSAGE)
    return out


def windows_overlap(
    a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date
) -> bool:
    """Inclusive day windows overlap, touching ones too (one shared day)."""
    return a_start <= b_end and b_start <= a_end


def _check_text(work_id: object, name: str, value: object, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        raise WorkError(work_id, name, "must be non-empty text")


@dataclass(frozen=True)
class Work:
    """A planned road work. ``geometry`` is in RD New (EPSG:28992) metres (use
    ``make_work`` for WGS84); ``start`` and ``end`` are inclusive days; ``tonnes`` maps
    an asphalt mixture to its tonnes (at least 0). Checked on construction: a problem
    raises ``WorkError`` naming the work and the field."""

    id: str
    authority: str
    geometry: BaseGeometry
    start: dt.date
    end: dt.date
    tonnes: Mapping[str, float] = field(default_factory=dict)
    section: str | None = None
    work_type: str | None = None

    def __post_init__(self) -> None:
        wid = self.id
        _check_text(wid, "id", self.id, True)
        _check_text(wid, "authority", self.authority, True)
        _check_text(wid, "section", self.section, False)
        _check_text(wid, "work_type", self.work_type, False)
        self._check_geometry()
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise WorkError(wid, name, f"must be a date, got {value!r}")
        if self.end < self.start:
            raise WorkError(
                wid,
                "end",
                f"ends before it starts ({self.end.isoformat()} is before "
                f"{self.start.isoformat()})",
            )
        if not isinstance(self.tonnes, Mapping):
            raise WorkError(wid, "tonnes", "must map mixtures to tonnes")
        for mixture, tonnes in self.tonnes.items():
            if not isinstance(mixture, str) or not mixture.strip():
                raise WorkError(wid, "tonnes", "a mixture name must be non-empty text")
            if isinstance(tonnes, bool) or not isinstance(tonnes, int | float):
                raise WorkError(wid, f"tonnes.{mixture}", "must be a number")
            if not math.isfinite(tonnes):
                raise WorkError(wid, f"tonnes.{mixture}", "must be a finite number")
            if tonnes < 0:
                raise WorkError(
                    wid, f"tonnes.{mixture}", f"must be at least 0, got {tonnes:g}"
                )

    def _check_geometry(self) -> None:
        wid, geom = self.id, self.geometry
        if not isinstance(geom, BaseGeometry):
            raise WorkError(wid, "geometry", "must be a shapely geometry")
        if geom.is_empty:
            raise WorkError(wid, "geometry", "is empty")
        coords = shapely.get_coordinates(geom)
        if not np.all(np.isfinite(coords)):
            raise WorkError(wid, "geometry", "has coordinates that are not finite")
        if not geom.is_valid:
            raise WorkError(
                wid, "geometry", f"is invalid: {shapely.is_valid_reason(geom)}"
            )
        west, south, east, north = geom.bounds
        x0, y0, x1, y1 = RD_NEW_BOX
        if not (x0 <= west and east <= x1 and y0 <= south and north <= y1):
            raise WorkError(
                wid,
                "geometry",
                f"lies outside the RD New area (x {x0:,.0f}..{x1:,.0f} m, "
                f"y {y0:,.0f}..{y1:,.0f} m): wrong CRS, or latitude and longitude "
                "swapped?",
            )


def make_work(
    *,
    id: str,
    authority: str,
    geometry: BaseGeometry,
    start: dt.date,
    end: dt.date,
    tonnes: Mapping[str, float] | None = None,
    crs: str = RD_NEW,
    section: str | None = None,
    work_type: str | None = None,
) -> Work:
    """A checked ``Work`` from a geometry in ``crs`` (RD New or WGS84, see
    ``CRS_ALIASES``), converted to RD New. Raises ``WorkError``."""
    if not isinstance(geometry, BaseGeometry):
        raise WorkError(id, "geometry", "must be a shapely geometry")
    try:
        code = normalise_crs(crs)
    except ValueError as exc:
        raise WorkError(id, "crs", str(exc)) from None
    try:
        rd = to_rd_new(geometry, code)
    except ValueError as exc:
        raise WorkError(id, "geometry", str(exc)) from None
    return Work(
        id=id,
        authority=authority,
        geometry=rd,
        start=start,
        end=end,
        tonnes=dict(tonnes or {}),
        section=section,
        work_type=work_type,
    )


@dataclass(frozen=True)
class CompatiblePair:
    """Two compatible works (``a`` before ``b`` in the input) and their distance."""

    a: str
    b: str
    distance_m: float


@dataclass(frozen=True)
class Bundle:
    """A connected group of two or more compatible works."""

    works: tuple[Work, ...]
    authorities: tuple[str, ...]
    window: tuple[dt.date, dt.date] | None
    tonnes: dict[str, float]
    pairs: tuple[CompatiblePair, ...]

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(w.id for w in self.works)

    def to_dict(self) -> dict[str, Any]:
        return {
            "members": list(self.members),
            "authorities": list(self.authorities),
            "window": None
            if self.window is None
            else {
                "start": self.window[0].isoformat(),
                "end": self.window[1].isoformat(),
            },
            "tonnes": dict(self.tonnes),
            "sections": sorted({w.section for w in self.works if w.section}),
            "pairs": [
                {"a": p.a, "b": p.b, "distance_m": round(p.distance_m, 3)}
                for p in self.pairs
            ],
        }


@dataclass(frozen=True)
class BundlingResult:
    """Bundles ordered by their first work in the input; unbundled works in input
    order."""

    distance_m: float
    bundles: tuple[Bundle, ...]
    unbundled: tuple[Work, ...]

    def to_dict(self) -> dict[str, Any]:
        bundled = sum(len(b.works) for b in self.bundles)
        return {
            "distance_m": self.distance_m,
            "works": bundled + len(self.unbundled),
            "bundled_works": bundled,
            "bundles": [
                {"number": k, **b.to_dict()} for k, b in enumerate(self.bundles, 1)
            ],
            "unbundled": [w.id for w in self.unbundled],
        }


def _compatible_pairs(
    works: Sequence[Work], distance_m: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Index pairs i < j of compatible works and their distances, sorted by (i, j)."""
    geoms = np.empty(len(works), dtype=object)
    geoms[:] = [w.geometry for w in works]
    # Candidates: the works whose bounding box meets a work's bounding box grown by
    # B on every side (what STRtree's "dwithin" query does before it measures). The
    # cheap tests on authority and window go first: over a multi-year horizon they
    # leave a few per cent of the candidates to measure, where measuring every
    # candidate (query(..., predicate="dwithin")) took ten times as long.
    # A hair wider than B, so that rounding never drops a pair at exactly B.
    reach = distance_m * (1 + 1e-9) + 1e-6
    tree = shapely.STRtree(geoms)
    bounds = shapely.bounds(geoms)
    grown = shapely.box(
        bounds[:, 0] - reach,
        bounds[:, 1] - reach,
        bounds[:, 2] + reach,
        bounds[:, 3] + reach,
    )
    left, right = tree.query(grown)
    keep = left < right
    left, right = left[keep], right[keep]
    _, authority = np.unique([w.authority for w in works], return_inverse=True)
    start = np.fromiter((w.start.toordinal() for w in works), np.int64, len(works))
    end = np.fromiter((w.end.toordinal() for w in works), np.int64, len(works))
    keep = (
        (authority[left] != authority[right])
        & (start[left] <= end[right])
        & (start[right] <= end[left])
    )
    left, right = left[keep], right[keep]
    # The exact test: the shapely distance in metres, at most B.
    distance = np.asarray(shapely.distance(geoms[left], geoms[right]), np.float64)
    keep = distance <= distance_m
    left, right, distance = left[keep], right[keep], distance[keep]
    order = np.lexsort((right, left))
    return left[order], right[order], distance[order]


def find_bundles(
    works: Sequence[Work], distance_m: float = DEFAULT_DISTANCE_M
) -> BundlingResult:
    """The bundles of section 4 of ``docs/planning-models.md`` among ``works``.

    ``distance_m`` is B, the largest distance in RD New metres between two compatible
    works (inclusive). Raises ``ValueError`` for a negative or non-finite distance and
    ``WorkError`` when two works share an id."""
    if isinstance(distance_m, bool) or not math.isfinite(distance_m) or distance_m < 0:
        raise ValueError(f"distance_m must be a finite number >= 0, got {distance_m!r}")
    distance_m = float(distance_m)
    seen: set[str] = set()
    for w in works:
        if not isinstance(w, Work):
            raise TypeError(f"expected Work objects, got {type(w).__name__}")
        if w.id in seen:
            raise WorkError(w.id, "id", "is used by more than one work")
        seen.add(w.id)
    n = len(works)
    if n == 0:
        return BundlingResult(distance_m, (), ())
    left, right, distance = _compatible_pairs(works, distance_m)
    graph = coo_matrix((np.ones(len(left), np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    by_label = np.argsort(labels, kind="stable")  # input order within a component
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    pair_labels = labels[left]
    pair_order = np.argsort(pair_labels, kind="stable")  # keeps (i, j) order
    pair_offsets = np.concatenate(
        [[0], np.cumsum(np.bincount(pair_labels, minlength=len(sizes)))]
    )
    firsts = by_label[offsets[:-1]]  # the first work of each component
    bundles: list[Bundle] = []
    for label in np.argsort(firsts):
        if sizes[label] < 2:
            continue
        members = tuple(
            works[int(k)] for k in by_label[offsets[label] : offsets[label + 1]]
        )
        common_start = max(w.start for w in members)
        common_end = min(w.end for w in members)
        totals: dict[str, list[float]] = {}
        for w in members:
            for mixture, tonnes in w.tonnes.items():
                totals.setdefault(mixture, []).append(float(tonnes))
        pairs = tuple(
            CompatiblePair(works[left[p]].id, works[right[p]].id, float(distance[p]))
            for p in pair_order[pair_offsets[label] : pair_offsets[label + 1]]
        )
        bundles.append(
            Bundle(
                works=members,
                authorities=tuple(sorted({w.authority for w in members})),
                window=(common_start, common_end)
                if common_start <= common_end
                else None,
                tonnes={m: math.fsum(totals[m]) for m in sorted(totals)},
                pairs=pairs,
            )
        )
    unbundled = tuple(works[int(k)] for k in np.flatnonzero(sizes[labels] == 1))
    return BundlingResult(distance_m, tuple(bundles), unbundled)
