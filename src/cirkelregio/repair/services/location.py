# SPDX-License-Identifier: EUPL-1.2
"""Where a repair place is: its postcode in the usual form, its point (given, or the
centroid of its four-digit postcode area, then marked as derived) and its
municipality (the region's municipal boundary that holds the point, or else the
municipality of the postcode area).

Messages are English and marked for translation: the services translate them, the
import report keeps them in English like every data-file message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from cirkelregio.engine.geo import BoundaryIndex, GeometryError, parse_boundary
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.repair.models import NL_BBOX, POSTCODE_REGEX

_POSTCODE = re.compile(POSTCODE_REGEX)

POSTCODE_FORMAT = gettext_noop(
    "A Dutch postcode is four digits and two letters (1234 AB), or only the four "
    "digits of the postcode area."
)
NEED_LOCATION = gettext_noop("Give coordinates or a postcode.")
UNKNOWN_AREA = gettext_noop("Unknown postcode area %(pc4)s: give coordinates.")
BOTH_COORDINATES = gettext_noop("Give both latitude and longitude.")
OUTSIDE_NL = gettext_noop("The place must lie in the Netherlands.")


def normalise_postcode(raw: str) -> str:
    """``"1234ab"`` -> ``"1234 AB"``, ``" 1234 "`` -> ``"1234"``, ``""`` -> ``""``;
    ValueError for anything else."""
    if not raw.strip():
        return ""
    match = _POSTCODE.match(raw)
    if match is None:
        raise ValueError(POSTCODE_FORMAT)
    digits, letters = match.groups()
    return f"{digits} {letters.upper()}" if letters else digits


def in_netherlands(lat: float, lon: float) -> bool:
    south, west, north, east = NL_BBOX
    return south <= lat <= north and west <= lon <= east


class LocationError(ValueError):
    """A place that cannot be located; ``field`` is the input to correct and
    ``message % params`` says why (English, marked for translation)."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        self.field = field
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    derived: bool
    municipality: Any  # regions.Municipality or None


class Locator:
    """Postcode areas and municipal boundaries, read once for many places (an import
    builds one; a single change builds its own)."""

    def __init__(self) -> None:
        municipalities = list(region_selectors.municipality_list())
        keys: list[str] = []
        geometries = []
        for municipality in municipalities:
            try:
                geometries.append(parse_boundary(municipality.boundary or {}))
            except GeometryError:
                continue
            keys.append(str(municipality.pk))
        self._municipalities = {str(m.pk): m for m in municipalities}
        self._index = BoundaryIndex(keys, geometries) if keys else None
        self._postcodes: dict[str, Any] = {}

    def postcode_area(self, pc4: str) -> Any:
        if pc4 not in self._postcodes:
            self._postcodes[pc4] = region_selectors.postcode_get(code=pc4)
        return self._postcodes[pc4]

    def municipality_at(self, lat: float, lon: float) -> Any:
        if self._index is None:
            return None
        key = self._index.locate(lat, lon)[0]
        return self._municipalities.get(key) if key is not None else None

    def locate(
        self, *, lat: float | None, lon: float | None, postcode: str
    ) -> Location:
        """The point and municipality of a place with a normalised ``postcode``.
        Without coordinates the postcode area's centroid is used (``derived``)."""
        area = self.postcode_area(postcode[:4]) if postcode else None
        if lat is None and lon is None:
            if not postcode:
                raise LocationError("postcode", NEED_LOCATION)
            if area is None:
                raise LocationError("postcode", UNKNOWN_AREA, pc4=postcode[:4])
            municipality = area.municipality or self.municipality_at(area.lat, area.lon)
            return Location(area.lat, area.lon, True, municipality)
        if lat is None or lon is None:
            raise LocationError("lat" if lat is None else "lon", BOTH_COORDINATES)
        if not in_netherlands(lat, lon):
            raise LocationError("lat", OUTSIDE_NL)
        municipality = self.municipality_at(lat, lon)
        if municipality is None and area is not None:
            municipality = area.municipality
        return Location(lat, lon, False, municipality)
