# SPDX-License-Identifier: EUPL-1.2
"""RD New (EPSG:28992, the Dutch national grid) <-> WGS84 (EPSG:4326) with PROJ."""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def rd_to_wgs84(
    x: ArrayLike, y: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """RD New metres to (lat, lon) in degrees."""
    lon, lat = _transformer("EPSG:28992", "EPSG:4326").transform(
        np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    )
    return np.asarray(lat), np.asarray(lon)


def wgs84_to_rd(
    lat: ArrayLike, lon: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(lat, lon) in degrees to RD New (x, y) in metres."""
    x, y = _transformer("EPSG:4326", "EPSG:28992").transform(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    return np.asarray(x), np.asarray(y)
