# SPDX-License-Identifier: EUPL-1.2
"""A section's geometry from a file or a request: GeoJSON (an object or its text) or
WKT, in WGS84 (EPSG:4326, longitude latitude) or RD New (EPSG:28992, metres),
checked and stored as WGS84 GeoJSON with its bounding box. Area and length are
measured in RD New, where a metre is (near enough) a metre."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from cirkelregio.engine.geo import rd_to_wgs84, wgs84_to_rd

WGS84 = "EPSG:4326"
RD_NEW = "EPSG:28992"
CRS_ALIASES = {
    "epsg:4326": WGS84,
    "4326": WGS84,
    "wgs84": WGS84,
    "crs84": WGS84,
    "urn:ogc:def:crs:ogc:1.3:crs84": WGS84,
    "urn:ogc:def:crs:epsg::4326": WGS84,
    "epsg:28992": RD_NEW,
    "28992": RD_NEW,
    "rd": RD_NEW,
    "rd new": RD_NEW,
    "rdnew": RD_NEW,
    "urn:ogc:def:crs:epsg::28992": RD_NEW,
}
TYPES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")
# The European Netherlands, generously (WGS84 degrees; RD New metres).
NL_LON = (3.2, 7.3)
NL_LAT = (50.7, 53.7)
RD_X = (-7000.0, 300000.0)
RD_Y = (289000.0, 629000.0)


class InvalidGeometryError(ValueError):
    """A geometry that cannot be used; the message says why."""


def crs_code(raw: str) -> str:
    """``EPSG:4326`` or ``EPSG:28992`` for the accepted spellings."""
    code = CRS_ALIASES.get(str(raw).strip().lower())
    if code is None:
        raise InvalidGeometryError(
            f"unknown coordinate reference system {raw!r}; use EPSG:4326 (WGS84) or "
            "EPSG:28992 (RD New)"
        )
    return code


def geojson_crs(data: dict[str, Any]) -> str | None:
    """The CRS named by a (pre-RFC 7946) ``crs`` member, or None."""
    member = data.get("crs")
    if not isinstance(member, dict):
        return None
    name = (member.get("properties") or {}).get("name")
    return crs_code(str(name)) if name else None


@dataclass(frozen=True)
class SectionGeometry:
    geometry: dict[str, Any]
    bbox: list[float]
    area_m2: float | None
    length_m: float | None
    point: tuple[float, float]
    """(lat, lon) of a point on the geometry, for its municipality."""


def _read(raw: Any) -> BaseGeometry:
    if isinstance(raw, dict):
        data: Any = raw
    else:
        text = str(raw).strip()
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InvalidGeometryError(
                    f"is not valid GeoJSON ({exc.msg})"
                ) from None
        else:
            try:
                return wkt.loads(text)
            except (ShapelyError, ValueError) as exc:
                raise InvalidGeometryError(
                    "is neither GeoJSON nor WKT (e.g. LINESTRING (5.1 52.1, 5.2 52.1))"
                ) from exc
    if not isinstance(data, dict) or data.get("type") not in TYPES:
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InvalidGeometryError(f"must be a {', '.join(TYPES)}, got {kind!r}")
    try:
        return shape(data)
    except (ShapelyError, ValueError, TypeError, AttributeError, IndexError, KeyError):
        raise InvalidGeometryError("has malformed coordinates") from None


def _apply(geom: BaseGeometry, func: Any) -> BaseGeometry:
    def transform(coords: Any) -> Any:
        a, b = func(coords[:, 0], coords[:, 1])
        return np.column_stack([a, b])

    return shapely.transform(geom, transform)


def section_geometry(raw: Any, *, crs: str = WGS84) -> SectionGeometry:
    """Check and convert a geometry given in ``crs`` (InvalidGeometryError)."""
    crs = crs_code(crs)
    geom = _read(raw)
    if geom.geom_type not in TYPES:
        raise InvalidGeometryError(
            f"must be a {', '.join(TYPES)}, got {geom.geom_type!r}"
        )
    if geom.is_empty:
        raise InvalidGeometryError("is empty")
    if shapely.get_coordinate_dimension(geom) > 2:
        geom = shapely.force_2d(geom)
    west, south, east, north = geom.bounds
    if crs == RD_NEW:
        if not (
            RD_X[0] <= west
            and east <= RD_X[1]
            and RD_Y[0] <= south
            and north <= RD_Y[1]
        ):
            raise InvalidGeometryError(
                "coordinates lie outside RD New's Dutch range (x -7000..300000, "
                "y 289000..629000 m); are they WGS84 degrees? Then give crs EPSG:4326"
            )
        rd = geom
        wgs = _apply(geom, lambda x, y: tuple(reversed(rd_to_wgs84(x, y))))
    else:
        if not (
            NL_LON[0] <= west
            and east <= NL_LON[1]
            and NL_LAT[0] <= south
            and north <= NL_LAT[1]
        ):
            raise InvalidGeometryError(
                "coordinates lie outside the Netherlands (longitude 3.2..7.3, latitude "
                "50.7..53.7; GeoJSON order is longitude, latitude); RD New metres? "
                "Then give crs EPSG:28992"
            )
        wgs = geom
        rd = _apply(geom, lambda lon, lat: wgs84_to_rd(lat, lon))
    if not rd.is_valid:
        raise InvalidGeometryError(f"is not valid: {shapely.is_valid_reason(rd)}")
    # Stored to 1e-8 degree (about 1 mm) and measured from what is stored, so that
    # an export imports again unchanged.
    wgs = shapely.set_precision(wgs, 1e-8, mode="pointwise")
    rd = _apply(wgs, lambda lon, lat: wgs84_to_rd(lat, lon))
    polygonal = rd.geom_type in ("Polygon", "MultiPolygon")
    area = float(rd.area) if polygonal else None
    length = None if polygonal else float(rd.length)
    if polygonal and not area:
        raise InvalidGeometryError("has no area")
    if not polygonal and not length:
        raise InvalidGeometryError("has no length")
    point = (
        wgs.point_on_surface() if polygonal else wgs.interpolate(0.5, normalized=True)
    )
    return SectionGeometry(
        geometry=_plain(mapping(wgs)),
        bbox=[round(float(v), 8) for v in wgs.bounds],
        area_m2=None if area is None else round(area, 2),
        length_m=None if length is None else round(length, 2),
        point=(float(point.y), float(point.x)),
    )


def _plain(value: Any) -> Any:
    """GeoJSON with lists, not tuples (as it is stored and compared)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
