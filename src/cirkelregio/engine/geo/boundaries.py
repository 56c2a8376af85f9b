# SPDX-License-Identifier: EUPL-1.2
"""GeoJSON boundaries: validation and point-in-polygon look-up with an R-tree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


class GeometryError(ValueError):
    """A boundary that is not a valid WGS84 (Multi)Polygon."""


def parse_boundary(geometry: Mapping[str, Any]) -> BaseGeometry:
    """Check a GeoJSON geometry and return it as a shapely geometry.

    It must be a Polygon or MultiPolygon, valid (no self-intersections), non-empty,
    with coordinates in longitude -180..180 and latitude -90..90.
    """
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind not in {"Polygon", "MultiPolygon"}:
        raise GeometryError(f"expected a Polygon or MultiPolygon, got {kind!r}")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise GeometryError(f"malformed coordinates ({exc})") from exc
    if geom.is_empty:
        raise GeometryError("the geometry is empty")
    west, south, east, north = geom.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise GeometryError(
            "coordinates outside longitude -180..180 / latitude -90..90 "
            "(GeoJSON order is longitude, latitude)"
        )
    if not geom.is_valid:
        raise GeometryError(f"invalid geometry: {shapely.is_valid_reason(geom)}")
    return geom


def bounding_box(geom: BaseGeometry) -> list[float]:
    """[west, south, east, north] in degrees."""
    return [float(v) for v in geom.bounds]


class BoundaryIndex:
    """Which of a set of areas holds each point (first match; None outside all)."""

    def __init__(self, keys: Sequence[str], geometries: Sequence[BaseGeometry]) -> None:
        if len(keys) != len(geometries):
            raise ValueError("keys and geometries differ in length")
        self.keys = list(keys)
        self._geoms = np.asarray(geometries, dtype=object)
        self._tree = shapely.STRtree(self._geoms)

    def locate(self, lat: ArrayLike, lon: ArrayLike) -> list[str | None]:
        lats = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        lons = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        points = shapely.points(lons, lats)
        point_idx, geom_idx = self._tree.query(points, predicate="within")
        found: NDArray[np.int64] = np.full(len(points), -1, dtype=np.int64)
        # First match per point (query output is sorted by point index).
        for p, g in zip(point_idx[::-1], geom_idx[::-1], strict=True):
            found[p] = g
        return [self.keys[g] if g >= 0 else None for g in found]
