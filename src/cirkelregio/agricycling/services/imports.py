# SPDX-License-Identifier: EUPL-1.2
"""Import mowing parcels (GeoJSON, or CSV with WKT) and farms (CSV), all or nothing.

The whole file is read and checked first; every problem is named by file, line (CSV)
or feature (GeoJSON) and field, and nothing is written when there is one.
Re-importing updates: a parcel is found again by its owner and ``external_id``, a farm
by its name (its capacity for the season is replaced).

- **Parcels, GeoJSON**: a FeatureCollection; properties ``external_id``, ``name`` and
  either ``tonnes_per_season`` or ``tonnes_per_round`` with ``rounds_per_season``;
  optionally ``owner`` (an organisation slug; else the import's owner),
  ``alternative_eur_per_t`` (default 45) and ``quality_notes``. The CRS is the
  collection's ``crs`` member or else the import's (WGS84 or RD New).
- **Parcels, CSV**: the same columns plus ``geometry`` (WKT or GeoJSON text) and
  optionally ``crs`` per row.
- **Farms, CSV**: ``name,lat,lon,capacity_t`` and optionally ``is_member`` (true or
  false, default true) and ``organisation`` (slug); ``capacity_t`` (more than 0) is
  the farm's composting capacity in the import's season.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cirkelregio.agricycling import rules
from cirkelregio.agricycling.models import Farm, FarmCapacity, MowingParcel, Season
from cirkelregio.core.services import require
from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    Problem,
    Row,
    boolean,
    integer,
    number,
    read_csv,
    read_json,
    text,
)
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.roads.services.geometry import (
    WGS84,
    InvalidGeometryError,
    crs_code,
    geojson_crs,
    section_geometry,
)
from cirkelregio.roads.services.records import MunicipalityLocator

PARCEL_COLUMNS = ("external_id", "name", "geometry")
FARM_COLUMNS = ("name", "lat", "lon", "capacity_t")


@dataclass
class ImportReport:
    file: str
    kind: str
    records: int = 0
    created: int = 0
    updated: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.records} {self.kind} "
            f"({self.created} new, {self.updated} updated)"
        )


def _suffix(path: Path, allowed: tuple[str, ...]) -> None:
    if path.suffix.lower() not in allowed:
        raise DataLoadError(
            [Problem(path.name, "must be a " + " or ".join(allowed) + " file")]
        )


def _owners() -> dict[str, Any]:
    return {o.slug: o for o in region_selectors.organisation_list()}


def _parcel_values(
    row: Row,
    geometry: Any,
    crs: str,
    owner: Any,
    owners: dict[str, Any],
    actor: Any,
    locator: MunicipalityLocator,
) -> dict[str, Any] | None:
    slug = row.get("owner", text(120), required=owner is None)
    who = owner
    if slug:
        who = owners.get(slug)
        if who is None:
            row.problem("owner", f"unknown organisation {slug!r}")
            return None
        if owner is not None and who.pk != owner.pk:
            row.problem("owner", f"is not {owner.slug!r}, the owner of this import")
            return None
    if who is None:
        return None
    if not rules.is_owner(who):
        row.problem("owner", f"{who.name} is no owner of mowings (kind {who.kind})")
        return None
    if not rules.can_import_parcels(actor, who):
        row.problem("owner", f"you may not import parcels of {who.name}")
        return None
    external_id = row.get("external_id", text(100))
    name = row.get("name", text(200))
    per_season = row.get("tonnes_per_season", number(minimum=0), required=False)
    per_round = row.get("tonnes_per_round", number(minimum=0), required=False)
    rounds = row.get("rounds_per_season", integer(minimum=0), required=False)
    if per_season is None and (per_round is None or rounds is None):
        given = {
            k
            for k in ("tonnes_per_season", "tonnes_per_round", "rounds_per_season")
            if str(row.data.get(k) or "").strip()
        }
        if not given:
            row.problem(
                "tonnes_per_season",
                "give tonnes_per_season, or tonnes_per_round and rounds_per_season",
            )
        elif not ({"tonnes_per_season"} & given) and len(given) == 1:
            missing = ({"tonnes_per_round", "rounds_per_season"} - given).pop()
            row.problem(missing, "a value is required with " + given.pop())
    alternative = row.get("alternative_eur_per_t", number(minimum=0), required=False)
    notes = row.get("quality_notes", text(), required=False)
    if geometry is None or (isinstance(geometry, str) and not geometry.strip()):
        row.problem(
            "geometry", "a parcel without geometry cannot be placed: give its geometry"
        )
        return None
    try:
        geom = section_geometry(geometry, crs=crs)
    except InvalidGeometryError as exc:
        row.problem("geometry", str(exc))
        return None
    from shapely.geometry import shape

    centroid = shape(geom.geometry).centroid
    lat, lon = float(centroid.y), float(centroid.x)
    if external_id is None or name is None:
        return None
    return {
        "owner": who,
        "external_id": external_id,
        "name": name,
        "geometry": geom.geometry,
        "centroid_lat": round(lat, 7),
        "centroid_lon": round(lon, 7),
        "municipality": locator.at(lat, lon),
        "tonnes_per_season": per_season,
        "tonnes_per_round": per_round,
        "rounds_per_season": rounds,
        "alternative_eur_per_t": 45.0 if alternative is None else alternative,
        "quality_notes": notes or "",
    }


@transaction.atomic
def import_parcels(
    path: Path,
    *,
    owner: Any = None,
    crs: str = WGS84,
    actor: Any = None,
    demo: bool = False,
) -> ImportReport:
    """Import or update mowing parcels (module docstring); raises DataLoadError."""
    path = Path(path)
    _suffix(path, (".geojson", ".json", ".csv"))
    require(
        rules.can_import_any_parcels(actor)
        if owner is None
        else rules.can_import_parcels(actor, owner)
    )
    try:
        crs = crs_code(crs)
    except InvalidGeometryError as exc:
        raise DataLoadError([Problem(path.name, str(exc), field="crs")]) from None
    c = Collector()
    owners = _owners()
    locator = MunicipalityLocator()
    values: list[tuple[Row, dict[str, Any]]] = []
    if path.suffix.lower() == ".csv":
        for row in read_csv(path, PARCEL_COLUMNS, c):
            row_crs = crs
            raw_crs = str(row.data.get("crs") or "").strip()
            if raw_crs:
                try:
                    row_crs = crs_code(raw_crs)
                except InvalidGeometryError as exc:
                    row.problem("crs", str(exc))
                    continue
            v = _parcel_values(
                row, row.data.get("geometry"), row_crs, owner, owners, actor, locator
            )
            if v is not None:
                values.append((row, v))
    else:
        data = read_json(path, c)
        c.raise_if_any()
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            raise DataLoadError(
                [Problem(path.name, "must be a GeoJSON FeatureCollection")]
            )
        try:
            crs = geojson_crs(data) or crs
        except InvalidGeometryError as exc:
            raise DataLoadError([Problem(path.name, str(exc), field="crs")]) from None
        features = data.get("features")
        if not isinstance(features, list):
            raise DataLoadError([Problem(path.name, "features must be a list")])
        for i, feature in enumerate(features):
            record = f"feature {i + 1}"
            if not isinstance(feature, dict) or not isinstance(
                feature.get("properties"), dict
            ):
                c.add(Problem(path.name, "must be a GeoJSON Feature", None, record))
                continue
            row = Row(path.name, dict(feature["properties"]), c, record=record)
            v = _parcel_values(
                row, feature.get("geometry"), crs, owner, owners, actor, locator
            )
            if v is not None:
                values.append((row, v))
    seen: dict[tuple[int, str], Row] = {}
    for row, v in values:
        key = (v["owner"].pk, v["external_id"])
        if key in seen:
            row.problem("external_id", f"{v['external_id']!r} appears twice")
        seen[key] = row
    if not values and not c.problems:
        c.add(Problem(path.name, "holds no parcels"))
    c.raise_if_any()
    report = ImportReport(path.name, "parcels", records=len(values))
    for row, v in values:
        parcel = MowingParcel.objects.filter(
            owner=v["owner"], external_id=v["external_id"]
        ).first()
        if parcel is None:
            parcel = MowingParcel(is_demo=demo)
            report.created += 1
        else:
            report.updated += 1
        for name, value in v.items():
            setattr(parcel, name, value)
        try:
            parcel.full_clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    row.problem(None if name == "__all__" else name, message)
            continue
        parcel.save()
    if c.problems:
        transaction.set_rollback(True)
        raise DataLoadError(c.problems)
    return report


@transaction.atomic
def import_farms(
    path: Path, *, season: Season, actor: Any = None, demo: bool = False
) -> ImportReport:
    """Import or update farms with their capacity in ``season`` (module
    docstring); raises DataLoadError."""
    path = Path(path)
    _suffix(path, (".csv",))
    require(rules.can_manage(actor))
    c = Collector()
    owners = _owners()
    locator = MunicipalityLocator()
    rows: list[tuple[Row, dict[str, Any]]] = []
    names: dict[str, Row] = {}
    for row in read_csv(path, FARM_COLUMNS, c):
        name = row.get("name", text(200))
        lat = row.get("lat", number(minimum=50.7, maximum=53.7))
        lon = row.get("lon", number(minimum=3.2, maximum=7.3))
        capacity = row.get("capacity_t", number())
        if capacity is not None and capacity <= 0:
            row.problem(
                "capacity_t",
                f"must be more than 0 t (got {capacity:g}); leave a farm without "
                "capacity out of the file",
            )
            capacity = None
        member = row.get("is_member", boolean, required=False)
        slug = row.get("organisation", text(120), required=False)
        organisation = None
        if slug:
            organisation = owners.get(slug)
            if organisation is None:
                row.problem("organisation", f"unknown organisation {slug!r}")
        if name is not None:
            if name in names:
                row.problem("name", f"{name!r} appears twice")
            names[name] = row
        if None in (name, lat, lon, capacity):
            continue
        assert lat is not None and lon is not None
        rows.append(
            (
                row,
                {
                    "name": name,
                    "lat": lat,
                    "lon": lon,
                    "capacity": capacity,
                    "is_member": True if member is None else member,
                    "organisation": organisation,
                    "municipality": locator.at(lat, lon),
                },
            )
        )
    if not rows and not c.problems:
        c.add(Problem(path.name, "holds no farms"))
    c.raise_if_any()
    report = ImportReport(path.name, "farms", records=len(rows))
    for _row, v in rows:
        capacity = v.pop("capacity")
        farm = Farm.objects.filter(name=v["name"]).first()
        if farm is None:
            farm = Farm(is_demo=demo)
            report.created += 1
        else:
            report.updated += 1
        for name, value in v.items():
            setattr(farm, name, value)
        farm.save()
        FarmCapacity.objects.update_or_create(
            farm=farm, season=season, defaults={"capacity_t": capacity}
        )
    return report


def parcels_geojson(parcels: Any) -> str:
    """The parcels in the import's GeoJSON format (WGS84)."""
    features = [
        {
            "type": "Feature",
            "geometry": p.geometry,
            "properties": {
                "owner": p.owner.slug,
                "external_id": p.external_id,
                "name": p.name,
                "tonnes_per_season": p.tonnes_per_season,
                "tonnes_per_round": p.tonnes_per_round,
                "rounds_per_season": p.rounds_per_season,
                "alternative_eur_per_t": p.alternative_eur_per_t,
                "quality_notes": p.quality_notes,
            },
        }
        for p in parcels
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    )
