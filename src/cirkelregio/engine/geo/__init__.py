# SPDX-License-Identifier: EUPL-1.2
"""Geography: great-circle distances, RD New <-> WGS84, GeoJSON boundaries and
point-in-polygon look-up."""

from cirkelregio.engine.geo.boundaries import (
    BoundaryIndex,
    GeometryError,
    bounding_box,
    parse_boundary,
)
from cirkelregio.engine.geo.distance import (
    EARTH_RADIUS_KM,
    haversine_km,
    haversine_matrix_km,
)
from cirkelregio.engine.geo.projection import rd_to_wgs84, wgs84_to_rd

__all__ = [
    "EARTH_RADIUS_KM",
    "BoundaryIndex",
    "GeometryError",
    "bounding_box",
    "haversine_km",
    "haversine_matrix_km",
    "parse_boundary",
    "rd_to_wgs84",
    "wgs84_to_rd",
]
