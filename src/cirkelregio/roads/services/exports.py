# SPDX-License-Identifier: EUPL-1.2
"""Export road sections, passports and works in the formats the imports read
(``cirkelregio.roads.services.imports``), so that an export imports again unchanged.
Geometry is written in WGS84 (``crs`` EPSG:4326)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from cirkelregio.roads.models import MaintenanceWork, Passport, RoadSection

SECTION_CSV = (
    "authority",
    "external_id",
    "name",
    "street",
    "road_type",
    "area_m2",
    "crs",
    "geometry",
)
PASSPORT_CSV = (
    "authority",
    "section",
    "valid_from",
    "valid_to",
    "data_source",
    "note",
    "position",
    "mixture",
    "thickness_mm",
    "year_laid",
    "pr_percent",
    "binder",
    "pak_mg_per_kg",
    "tar_containing",
    "offered_for_reuse",
    "density_t_per_m3",
    "density_source",
)
WORK_CSV = (
    "authority",
    "external_id",
    "section",
    "window_start",
    "window_end",
    "work_type",
    "removal_depth_mm",
    "layers_removed",
    "status",
    "note",
    "layer_position",
    "mixture",
    "thickness_mm",
    "pr_percent",
    "low_temperature",
    "plant",
    "density_t_per_m3",
    "density_source",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if value == int(value) else repr(value)
    return str(value)


def _csv(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _area(section: RoadSection) -> float | None:
    return None if section.area_computed else section.area_m2


def sections_csv(sections: Iterable[RoadSection]) -> str:
    return _csv(
        SECTION_CSV,
        (
            {
                "authority": s.authority.slug,
                "external_id": s.external_id,
                "name": s.name,
                "street": s.street,
                "road_type": s.road_type,
                "area_m2": _area(s),
                "crs": "EPSG:4326",
                "geometry": json.dumps(s.geometry, separators=(",", ":")),
            }
            for s in sections
        ),
    )


def sections_geojson(sections: Iterable[RoadSection]) -> str:
    features = [
        {
            "type": "Feature",
            "geometry": s.geometry,
            "properties": {
                "authority": s.authority.slug,
                "external_id": s.external_id,
                "name": s.name,
                "street": s.street,
                "road_type": s.road_type,
                "area_m2": _area(s),
                "municipality": s.municipality.cbs_code if s.municipality else None,
            },
        }
        for s in sections
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        indent=1,
    )


def passports_csv(passports: Iterable[Passport]) -> str:
    rows = [
        {
            "authority": p.section.authority.slug,
            "section": p.section.external_id,
            "valid_from": p.valid_from.isoformat(),
            "valid_to": p.valid_to.isoformat() if p.valid_to else None,
            "data_source": p.data_source,
            "note": p.note,
            "position": layer.position,
            "mixture": layer.mixture.code,
            "thickness_mm": layer.thickness_mm,
            "year_laid": layer.year_laid,
            "pr_percent": layer.pr_percent,
            "binder": layer.binder,
            "pak_mg_per_kg": layer.pak_mg_per_kg,
            "tar_containing": layer.tar_containing,
            "offered_for_reuse": layer.offered_for_reuse,
            "density_t_per_m3": layer.density_t_per_m3,
            "density_source": layer.density_source,
        }
        for p in passports
        for layer in p.layers.all()
    ]
    return _csv(PASSPORT_CSV, rows)


def works_csv(works: Iterable[MaintenanceWork]) -> str:
    rows = []
    for w in works:
        base = {
            "authority": w.authority.slug,
            "external_id": w.external_id,
            "section": w.section.external_id,
            "window_start": w.window_start.isoformat(),
            "window_end": w.window_end.isoformat(),
            "work_type": w.work_type,
            "removal_depth_mm": w.removal_depth_mm,
            "layers_removed": w.layers_removed,
            "status": w.status,
            "note": w.note,
            "plant": w.plant,
        }
        layers = list(w.new_layers.all())
        if not layers:
            rows.append(base)
        rows.extend(
            base
            | {
                "layer_position": layer.position,
                "mixture": layer.mixture.code,
                "thickness_mm": layer.thickness_mm,
                "pr_percent": layer.pr_percent,
                "low_temperature": layer.low_temperature,
                "density_t_per_m3": layer.density_t_per_m3,
                "density_source": layer.density_source,
            }
            for layer in layers
        )
    return _csv(WORK_CSV, rows)
