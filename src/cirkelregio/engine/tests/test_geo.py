# SPDX-License-Identifier: EUPL-1.2
"""Pinned geography: distances, the RD New origin, point-in-polygon."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cirkelregio.engine.geo import (
    BoundaryIndex,
    GeometryError,
    haversine_km,
    haversine_matrix_km,
    parse_boundary,
    rd_to_wgs84,
    wgs84_to_rd,
)

lat = st.floats(-89.9, 89.9)
lon = st.floats(-179.9, 179.9)


def test_one_degree_of_longitude_on_the_equator() -> None:
    # 2 * pi * 6371.0088 / 360, by hand: 111.19508 km.
    assert haversine_km(0, 0, 0, 1) == pytest.approx(2 * math.pi * 6371.0088 / 360)
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.19508, abs=1e-5)


def test_utrecht_dom_to_amersfoort_tower() -> None:
    # Domtoren (52.09066, 5.12133) to Onze Lieve Vrouwetoren (52.15517, 5.38720):
    # about 19.5 km as the crow flies.
    assert haversine_km(52.09066, 5.12133, 52.15517, 5.38720) == pytest.approx(
        19.52, abs=0.05
    )


@given(lat, lon, lat, lon)
def test_distance_is_symmetric_and_non_negative(
    a: float, b: float, c: float, d: float
) -> None:
    ab = float(haversine_km(a, b, c, d))
    assert ab >= 0
    assert ab == pytest.approx(float(haversine_km(c, d, a, b)), abs=1e-9)
    assert ab <= math.pi * 6371.0088 + 1e-6


def test_matrix_matches_pairwise() -> None:
    a = np.array([52.0, 52.1]), np.array([5.0, 5.2])
    b = np.array([52.05, 51.9, 52.3]), np.array([5.1, 5.0, 4.9])
    matrix = haversine_matrix_km(a[0], a[1], b[0], b[1])
    assert matrix.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert matrix[i, j] == pytest.approx(
                haversine_km(a[0][i], a[1][i], b[0][j], b[1][j])
            )


def test_rd_new_origin_is_the_amersfoort_tower() -> None:
    # The RD New false origin (155000, 463000) is the Onze Lieve Vrouwetoren.
    lat_, lon_ = rd_to_wgs84(155000.0, 463000.0)
    assert float(lat_) == pytest.approx(52.15517, abs=1e-5)
    assert float(lon_) == pytest.approx(5.38721, abs=1e-5)
    x, y = wgs84_to_rd(lat_, lon_)
    assert float(x) == pytest.approx(155000.0, abs=0.01)
    assert float(y) == pytest.approx(463000.0, abs=0.01)


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]],
}
OTHER = {
    "type": "Polygon",
    "coordinates": [[[6, 52], [7, 52], [7, 53], [6, 53], [6, 52]]],
}


def test_boundary_index_locates_points() -> None:
    index = BoundaryIndex(["a", "b"], [parse_boundary(SQUARE), parse_boundary(OTHER)])
    assert index.locate([52.5, 52.5, 51.0], [5.5, 6.5, 5.5]) == ["a", "b", None]


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [5, 52]}, "Polygon or MultiPolygon"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[52, 5], [52, 200], [53, 6], [52, 5]]],
            },
            "outside",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[5, 52], [6, 53], [6, 52], [5, 53], [5, 52]]],
            },
            "invalid geometry",
        ),
        ({"type": "Polygon", "coordinates": [[[5, 52], [6]]]}, "malformed"),
    ],
)
def test_bad_boundaries_are_named(geometry: dict[str, object], message: str) -> None:
    with pytest.raises(GeometryError, match=message):
        parse_boundary(geometry)
