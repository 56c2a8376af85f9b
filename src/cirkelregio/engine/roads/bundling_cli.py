# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio roads bundle``: bundling of planned road works across road authorities
(docs/planning-models.md section 4) on a GeoJSON file only (no database, no Django).

Input: a GeoJSON FeatureCollection, one feature per planned work; the format is in
``docs/roads.md`` ("Bundling of works — file format"). The coordinates are in the CRS
of the file's ``crs`` member when it has one, else in ``--crs``, else WGS84 (RFC 7946).

Output (stdout, or ``--output FILE`` written through a temporary file and moved into
place): JSON ``{"input", "crs", "distance_m", "works", "bundled_works", "bundles":
[{"number", "members", "authorities", "window": {"start", "end"} | null, "tonnes":
{mixture: t}, "sections", "pairs": [{"a", "b", "distance_m"}]}], "unbundled"}``.
``--geojson FILE`` also writes a FeatureCollection in WGS84: per bundle its convex
hull (``kind`` = ``bundle``, with number, members, authorities, window and tonnes) and
per compatible pair the shortest line between the two works (``kind`` = ``pair``).

Problems in the input are printed with file, feature (``features[i]`` and the work's
id) and field, all of them; the exit code is then 2 and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    FieldError,
    Problem,
    Row,
    date,
    emit_text,
    read_json,
    write_text_atomically,
)
from cirkelregio.engine.geo.projection import rd_to_wgs84
from cirkelregio.engine.roads.bundling import (
    DEFAULT_DISTANCE_M,
    WGS84,
    WGS84_RANGE_MESSAGE,
    BundlingResult,
    Work,
    WorkError,
    find_bundles,
    normalise_crs,
    to_rd_new_all,
)

__all__ = [
    "EXIT_INPUT",
    "build_parser",
    "main",
    "read_works",
    "to_geojson",
    "to_json",
]

EXIT_INPUT = 2
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


def build_parser(prog: str = "cirkelregio roads bundle") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Bundle planned road works of different road authorities that "
        "lie close together and overlap in time (docs/planning-models.md section 4).",
    )
    parser.add_argument("file", type=Path, help="GeoJSON FeatureCollection of works")
    parser.add_argument(
        "--distance-m",
        type=float,
        default=DEFAULT_DISTANCE_M,
        help="largest distance between two works of a bundle, in metres "
        f"(default {DEFAULT_DISTANCE_M:g})",
    )
    parser.add_argument(
        "--crs",
        help="CRS of the coordinates when the file has no 'crs' member: EPSG:28992 "
        "(RD New) or EPSG:4326 (WGS84, the default)",
    )
    parser.add_argument("--output", type=Path, help="JSON file (default: stdout)")
    parser.add_argument(
        "--geojson", type=Path, help="also write the bundles as GeoJSON (WGS84)"
    )
    return parser


def _file_crs(data: dict[str, Any], file: str, collector: Collector) -> str | None:
    """The CRS named by the (2008 GeoJSON) ``crs`` member, None without one."""
    member = data.get("crs")
    if member is None:
        return None
    name = None
    if isinstance(member, dict) and isinstance(member.get("properties"), dict):
        name = member["properties"].get("name")
    if not isinstance(name, str):
        collector.add(
            Problem(
                file,
                "must be {'type': 'name', 'properties': {'name': 'EPSG:...'}}",
                field="crs",
            )
        )
        return None
    try:
        return normalise_crs(name)
    except ValueError as exc:
        collector.add(Problem(file, str(exc), field="crs"))
        return None


def _work_id(feature: dict[str, Any], properties: dict[str, Any]) -> Any:
    raw = properties.get("id", feature.get("id"))
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return raw


def _tonnes(row: Row) -> dict[str, float] | None:
    raw = row.data.get("tonnes")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        row.problem("tonnes", f"must be an object {{mixture: tonnes}} (got {raw!r})")
        return None
    out: dict[str, float] = {}
    ok = True
    for mixture, value in raw.items():
        where = f"tonnes.{mixture}"
        if not mixture.strip():
            row.problem("tonnes", "a mixture name must be non-empty text")
            ok = False
        elif isinstance(value, bool) or not isinstance(value, int | float):
            row.problem(where, f"must be a number (got {value!r})")
            ok = False
        elif not math.isfinite(value):
            row.problem(where, "must be a finite number")
            ok = False
        elif value < 0:
            row.problem(where, f"must be at least 0 (got {value!r})")
            ok = False
        else:
            out[mixture] = float(value)
    return out if ok else None


def _shape(feature: Any) -> tuple[BaseGeometry | None, str | None]:
    """A feature's geometry as shapely, or None and the problem."""
    raw = feature.get("geometry") if isinstance(feature, dict) else None
    if raw is None:
        return None, "a value is required"
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind not in GEOMETRY_TYPES:
        return None, f"must be one of {', '.join(GEOMETRY_TYPES)} (got type {kind!r})"
    try:
        geom: BaseGeometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        return None, f"has malformed coordinates ({exc})"
    return geom, None


def _optional_text(row: Row, name: str) -> str | None:
    raw = row.data.get(name)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        row.problem(name, f"must be text (got {raw!r})")
        return None
    return raw


def _parse_feature(
    index: int,
    feature: Any,
    geometry: BaseGeometry | None,
    geometry_problem: str | None,
    file: str,
    collector: Collector,
) -> Work | None:
    """The work of a feature, its geometry already converted to RD New (or the
    problem with it)."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        collector.add(
            Problem(file, "must be a GeoJSON Feature", record=f"features[{index}]")
        )
        return None
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        collector.add(
            Problem(
                file,
                "must be an object",
                record=f"features[{index}]",
                field="properties",
            )
        )
        return None
    wid = _work_id(feature, properties)
    record = f"features[{index}]" + (
        f" (id {wid!r})" if isinstance(wid, str) and wid else ""
    )
    row = Row(file, properties, collector, record=record)
    before = len(collector.problems)
    if not isinstance(wid, str) or not wid.strip():
        row.problem("id", f"must be non-empty text (got {wid!r})")
    authority = row.get("authority", _text)
    start = row.get("start", date)
    end = row.get("end", date)
    if start is not None and end is not None and end < start:
        row.problem(
            "end",
            f"ends before it starts ({end.isoformat()} is before {start.isoformat()})",
        )
    tonnes = _tonnes(row)
    section = _optional_text(row, "section")
    work_type = _optional_text(row, "work_type")
    if geometry_problem is not None:
        row.problem("geometry", geometry_problem)
    if len(collector.problems) > before:
        return None
    assert authority is not None and start is not None and end is not None
    assert tonnes is not None and geometry is not None
    try:
        return Work(
            id=wid,
            authority=authority,
            geometry=geometry,
            start=start,
            end=end,
            tonnes=tonnes,
            section=section,
            work_type=work_type,
        )
    except WorkError as exc:
        row.problem(exc.field, exc.message)
        return None


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise FieldError("must be text")
    return raw


def read_works(path: Path, crs: str | None = None) -> tuple[list[Work], str]:
    """The works of a GeoJSON file (geometries converted to RD New) and the CRS the
    coordinates were read in. ``crs`` applies when the file has no ``crs`` member;
    without either, WGS84. Raises ``DataLoadError`` with every problem."""
    file = path.name
    collector = Collector()
    default = WGS84
    if crs is not None:
        try:
            default = normalise_crs(crs)
        except ValueError as exc:
            collector.add(Problem("--crs", str(exc)))
    data = read_json(path, collector)
    collector.raise_if_any()
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        collector.add(Problem(file, "must be a GeoJSON FeatureCollection"))
        collector.raise_if_any()
    features = data.get("features")
    if not isinstance(features, list):
        collector.add(Problem(file, "must be a list", field="features"))
        collector.raise_if_any()
    used = _file_crs(data, file, collector) or default
    collector.raise_if_any()
    # The geometries first, to convert them to RD New with one call.
    shapes = [_shape(feature) for feature in features]
    converted = to_rd_new_all([geom for geom, _ in shapes if geom is not None], used)
    rd = iter(converted)
    works: list[Work] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        geom, problem = shapes[index]
        if geom is not None:
            geom = next(rd)
            if geom is None:
                problem = WGS84_RANGE_MESSAGE
        work = _parse_feature(index, feature, geom, problem, file, collector)
        if work is None:
            continue
        if work.id in seen:
            collector.add(
                Problem(
                    file,
                    f"is also the id of features[{seen[work.id]}]",
                    record=f"features[{index}] (id {work.id!r})",
                    field="id",
                )
            )
            continue
        seen[work.id] = index
        works.append(work)
    collector.raise_if_any()
    return works, used


def to_json(result: BundlingResult, *, input_name: str, crs: str) -> str:
    data = {"input": input_name, "crs": crs, **result.to_dict()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _rd_coords_to_wgs84(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    lat, lon = rd_to_wgs84(coords[:, 0], coords[:, 1])
    return np.asarray(np.round(np.column_stack([lon, lat]), 7), dtype=np.float64)


def _wgs84_geojson(geom: BaseGeometry) -> Any:
    return mapping(shapely.transform(geom, _rd_coords_to_wgs84))


def to_geojson(result: BundlingResult) -> str:
    """Per bundle its convex hull and per compatible pair the shortest line between
    its two works, in WGS84."""
    features: list[dict[str, Any]] = []
    for number, bundle in enumerate(result.bundles, 1):
        info = bundle.to_dict()
        hull = shapely.GeometryCollection(
            [w.geometry for w in bundle.works]
        ).convex_hull
        properties = {"kind": "bundle", "number": number}
        for key in ("members", "authorities", "window", "tonnes"):
            properties[key] = info[key]
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": _wgs84_geojson(hull),
            }
        )
        geometry_of = {w.id: w.geometry for w in bundle.works}
        for pair in bundle.pairs:
            line = shapely.shortest_line(geometry_of[pair.a], geometry_of[pair.b])
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "kind": "pair",
                        "number": number,
                        "a": pair.a,
                        "b": pair.b,
                        "distance_m": round(pair.distance_m, 3),
                    },
                    "geometry": _wgs84_geojson(line),
                }
            )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False) + "\n"


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        if not math.isfinite(args.distance_m) or args.distance_m < 0:
            raise DataLoadError([Problem("--distance-m", "must be at least 0")])
        works, crs = read_works(args.file, args.crs)
    except DataLoadError as exc:
        print("Nothing was calculated or written.\n" + exc.summary(), file=stderr)
        return EXIT_INPUT
    if args.crs is not None and normalise_crs(args.crs) != crs:
        print(
            f"Note: {args.file.name} declares {crs} in its 'crs' member; "
            f"--crs {args.crs} was not used.",
            file=stderr,
        )
    result = find_bundles(works, args.distance_m)
    if args.geojson is not None:
        write_text_atomically(args.geojson, to_geojson(result))
    emit_text(to_json(result, input_name=args.file.name, crs=crs), args.output, stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
