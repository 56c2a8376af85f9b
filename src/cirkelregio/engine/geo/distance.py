# SPDX-License-Identifier: EUPL-1.2
"""Great-circle distances (haversine), as the planning models prescribe.

The Earth radius is 6371.0088 km: the IUGG mean radius R1 of the Geodetic Reference
System 1980 (H. Moritz, "Geodetic Reference System 1980", Journal of Geodesy 74,
2000, pp. 128-133).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in km between points given in degrees (broadcasts)."""
    phi1, lam1, phi2, lam2 = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((phi2 - phi1) / 2.0) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2.0) ** 2
    )
    distance = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return np.asarray(distance, dtype=np.float64)


def haversine_matrix_km(
    lat_a: ArrayLike, lon_a: ArrayLike, lat_b: ArrayLike, lon_b: ArrayLike
) -> NDArray[np.float64]:
    """All distances from the points a (rows) to the points b (columns), in km."""
    la = np.asarray(lat_a, dtype=np.float64)[:, None]
    oa = np.asarray(lon_a, dtype=np.float64)[:, None]
    lb = np.asarray(lat_b, dtype=np.float64)[None, :]
    ob = np.asarray(lon_b, dtype=np.float64)[None, :]
    return haversine_km(la, oa, lb, ob)
