# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling commands, on files only (no database, no Django); the file formats
are in docs/agricycling.md.

``cirkelregio agricycling allocate FILE [--mode split|whole] [--max-distance-km D]
[--detour F] [--transport-eur-per-tkm C] [--time-limit S] [--mip-gap G]
[--output OUT.json]``: FILE is a JSON object ``{"parameters": {...}, "parcels":
FeatureCollection, "farms": FeatureCollection}`` (WGS84 GeoJSON; a parcel's point is
the centroid of its geometry). The flags override ``parameters``. Output: the JSON of
:meth:`Allocation.to_dict`.

``cirkelregio agricycling settle ALLOCATION.json TARIFFS.json [--output OUT.json]
[--statements-dir DIR]``: the season's settlement of an allocation (the output of
``allocate``) under the tariffs; ``--statements-dir`` also writes one CSV statement
per party (owner, farm, cooperative).

Problems in the input are printed with the file and the JSON path of the field; the
exit code is then 2 and nothing is written. A solver failure gives exit code 3.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from cirkelregio.engine.agricycling.allocation import (
    DEFAULT_ALTERNATIVE_EUR_PER_T,
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_MAX_DISTANCE_KM,
    DEFAULT_MIP_GAP,
    DEFAULT_TIME_LIMIT,
    AllocationInputError,
    Farm,
    Parameters,
    Parcel,
    SolveError,
    allocate,
)
from cirkelregio.engine.agricycling.settlement import (
    SettlementInputError,
    settle,
    tariffs_from_dict,
)
from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    Problem,
    emit_text,
    write_atomically,
)
from cirkelregio.engine.dataio import read_json as _read_json

__all__ = ["EXIT_INPUT", "EXIT_SOLVER", "allocate_main", "read_input", "settle_main"]

EXIT_INPUT = 2
EXIT_SOLVER = 3

_PARCEL_FIELDS = {"id", "owner", "tonnes", "alternative_eur_per_t", "name", "note"}
_FARM_FIELDS = {"id", "capacity_t", "name", "note"}


def _finite_number(raw: Any) -> bool:
    return (
        isinstance(raw, (int, float))
        and not isinstance(raw, bool)
        and math.isfinite(raw)
    )


def _centroid(geometry: Any) -> tuple[float, float]:
    """(lat, lon) of a GeoJSON geometry's centroid; raises ValueError."""
    from shapely.geometry import shape

    geom = shape(geometry)
    if geom.is_empty:
        raise ValueError("is empty")
    c = geom.centroid
    return float(c.y), float(c.x)


def _features(
    data: dict[str, Any], name: str, file: str, c: Collector
) -> list[tuple[int, dict[str, Any], Any]]:
    fc = data.get(name)
    where = f"$.{name}"
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        c.add(Problem(file, "must be a GeoJSON FeatureCollection", record=where))
        return []
    feats = fc.get("features")
    if not isinstance(feats, list):
        c.add(Problem(file, "must be a list", record=f"{where}.features"))
        return []
    out = []
    for i, f in enumerate(feats):
        rec = f"{where}.features[{i}]"
        if not isinstance(f, dict) or not isinstance(f.get("properties"), dict):
            c.add(Problem(file, "must be a Feature with properties", record=rec))
            continue
        out.append((i, f["properties"], f.get("geometry")))
    return out


def _point(geometry: Any, file: str, rec: str, c: Collector) -> tuple[float, float]:
    if geometry is None:
        c.add(Problem(file, "has no geometry (a location is needed)", record=rec))
        return math.nan, math.nan
    try:
        return _centroid(geometry)
    except Exception as exc:  # shapely raises several types on bad GeoJSON
        c.add(Problem(file, f"is no valid GeoJSON geometry ({exc})", record=rec))
        return math.nan, math.nan


def _number(
    props: dict[str, Any],
    key: str,
    file: str,
    rec: str,
    c: Collector,
    *,
    minimum: float,
    strict: bool = False,
    default: float | None = None,
) -> float:
    raw = props.get(key)
    if raw is None and default is not None:
        return default
    bound = "more than" if strict else "at least"
    if raw is None:
        c.add(Problem(file, "a value is required", record=rec, field=key))
    elif not _finite_number(raw):
        c.add(Problem(file, f"must be a number (got {raw!r})", record=rec, field=key))
    elif raw < minimum or (strict and raw == minimum):
        c.add(
            Problem(
                file,
                f"must be {bound} {minimum:g} (got {raw!r})",
                record=rec,
                field=key,
            )
        )
    else:
        return float(raw)
    return math.nan


def _text(props: dict[str, Any], key: str, file: str, rec: str, c: Collector) -> str:
    raw = props.get(key)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    if not isinstance(raw, str) or not raw.strip():
        c.add(Problem(file, "must be non-empty text", record=rec, field=key))
        return ""
    return raw


def read_input(
    path: Path, overrides: dict[str, float | None], c: Collector | None = None
) -> tuple[list[Parcel], list[Farm], Parameters]:
    """Read and check the allocation input; raises DataLoadError with every problem,
    each named by the file and the JSON path."""
    c = c if c is not None else Collector()
    file = path.name
    data = _read_json(path, c)
    if c.problems:
        c.raise_if_any()
    if not isinstance(data, dict):
        c.add(Problem(file, "must be a JSON object", record="$"))
        c.raise_if_any()
    for k in sorted(set(data) - {"parameters", "parcels", "farms", "season", "note"}):
        c.add(Problem(file, "unknown field", record=f"$.{k}"))
    raw_params = data.get("parameters", {})
    if not isinstance(raw_params, dict):
        c.add(Problem(file, "must be an object", record="$.parameters"))
        raw_params = {}
    for k in sorted(
        set(raw_params)
        - {"transport_eur_per_tkm", "max_distance_km", "detour_factor", "note"}
    ):
        c.add(Problem(file, "unknown field", record="$.parameters", field=k))
    values: dict[str, float] = {}
    for key, minimum, strict, default in (
        ("transport_eur_per_tkm", 0.0, False, None),
        ("max_distance_km", 0.0, True, DEFAULT_MAX_DISTANCE_KM),
        ("detour_factor", 1.0, False, DEFAULT_DETOUR_FACTOR),
    ):
        flag = overrides.get(key)
        if flag is not None:
            ok = math.isfinite(flag) and (flag > minimum if strict else flag >= minimum)
            if not ok:
                c.add(
                    Problem(
                        "--" + key.replace("_", "-"),
                        "must be a finite number "
                        + ("more than" if strict else "at least")
                        + f" {minimum:g}",
                    )
                )
            values[key] = flag
            continue
        values[key] = _number(
            raw_params,
            key,
            file,
            "$.parameters",
            c,
            minimum=minimum,
            strict=strict,
            default=default,
        )
    parcels: list[Parcel] = []
    for i, props, geometry in _features(data, "parcels", file, c):
        rec = f"$.parcels.features[{i}]"
        for k in sorted(set(props) - _PARCEL_FIELDS):
            c.add(Problem(file, "unknown field", record=f"{rec}.properties", field=k))
        lat, lon = _point(geometry, file, f"{rec}.geometry", c)
        parcels.append(
            Parcel(
                id=_text(props, "id", file, f"{rec}.properties", c),
                owner=_text(props, "owner", file, f"{rec}.properties", c),
                lat=lat,
                lon=lon,
                tonnes=_number(
                    props, "tonnes", file, f"{rec}.properties", c, minimum=0
                ),
                alternative_eur_per_t=_number(
                    props,
                    "alternative_eur_per_t",
                    file,
                    f"{rec}.properties",
                    c,
                    minimum=0,
                    default=DEFAULT_ALTERNATIVE_EUR_PER_T,
                ),
            )
        )
    farms: list[Farm] = []
    for j, props, geometry in _features(data, "farms", file, c):
        rec = f"$.farms.features[{j}]"
        for k in sorted(set(props) - _FARM_FIELDS):
            c.add(Problem(file, "unknown field", record=f"{rec}.properties", field=k))
        lat, lon = _point(geometry, file, f"{rec}.geometry", c)
        farms.append(
            Farm(
                id=_text(props, "id", file, f"{rec}.properties", c),
                lat=lat,
                lon=lon,
                capacity_t=_number(
                    props,
                    "capacity_t",
                    file,
                    f"{rec}.properties",
                    c,
                    minimum=0,
                    strict=True,
                ),
            )
        )
    c.raise_if_any()
    params = Parameters(
        transport_eur_per_tkm=values["transport_eur_per_tkm"],
        max_distance_km=values["max_distance_km"],
        detour_factor=values["detour_factor"],
    )
    try:
        allocate_check(parcels, farms, params)
    except AllocationInputError as exc:
        for issue in exc.issues:
            c.add(Problem(file, issue.message, record=_json_path(issue.path)))
    c.raise_if_any()
    return parcels, farms, params


def allocate_check(
    parcels: Sequence[Parcel], farms: Sequence[Farm], params: Parameters
) -> None:
    from cirkelregio.engine.agricycling.allocation import check

    issues = check(parcels, farms, params)
    if issues:
        raise AllocationInputError(issues)


_ITEM = re.compile(r"^(parcels|farms)\[(\d+)\]\.(\w+)$")


def _json_path(path: str) -> str:
    """The engine's ``parcels[3].tonnes`` as the file's JSON path."""
    m = _ITEM.match(path)
    if not m:
        return "$." + path if path else "$"
    kind, i, name = m.groups()
    if name in ("lat", "lon"):
        return f"$.{kind}.features[{i}].geometry"
    return f"$.{kind}.features[{i}].properties.{name}"


def _allocate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cirkelregio agricycling allocate",
        description="Allocate mowings to composting farms within a maximum distance, "
        "respecting capacity, at least transport plus alternative cost (HiGHS: a "
        "transportation LP when parcels may be split, a MILP when each goes whole).",
    )
    parser.add_argument("file", type=Path, help="the JSON input (docs/agricycling.md)")
    parser.add_argument("--mode", choices=("split", "whole"), default="split")
    parser.add_argument(
        "--max-distance-km",
        type=float,
        help=f"on the detoured distance (default: the file's, else "
        f"{DEFAULT_MAX_DISTANCE_KM:g})",
    )
    parser.add_argument(
        "--detour",
        type=float,
        help=f"detour factor (default: the file's, else {DEFAULT_DETOUR_FACTOR:g})",
    )
    parser.add_argument(
        "--transport-eur-per-tkm", type=float, help="default: the file's"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        help="seconds for HiGHS (default %(default)s)",
    )
    parser.add_argument(
        "--mip-gap",
        type=float,
        default=DEFAULT_MIP_GAP,
        help="relative MIP gap at which HiGHS stops, whole mode (default %(default)s)",
    )
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    return parser


def allocate_main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _allocate_parser().parse_args(argv)
    c = Collector()
    if not (math.isfinite(args.time_limit) and args.time_limit > 0):
        c.add(Problem("--time-limit", "must be a finite number more than 0"))
    if not (math.isfinite(args.mip_gap) and args.mip_gap >= 0):
        c.add(Problem("--mip-gap", "must be a finite number at least 0"))
    overrides = {
        "transport_eur_per_tkm": args.transport_eur_per_tkm,
        "max_distance_km": args.max_distance_km,
        "detour_factor": args.detour,
    }
    try:
        parcels, farms, params = read_input(args.file, overrides, c)
    except DataLoadError as exc:
        print("Nothing was calculated or written.\n" + exc.summary(), file=stderr)
        return EXIT_INPUT
    try:
        result = allocate(
            parcels,
            farms,
            params,
            mode=args.mode,
            time_limit=args.time_limit,
            mip_gap=args.mip_gap,
        )
    except SolveError as exc:
        print(f"Nothing was written.\n{exc}", file=stderr)
        return EXIT_SOLVER
    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    emit_text(text, args.output, stdout)
    return 0


# Settlement ----------------------------------------------------------------------


def _check_allocation(data: Any, file: str, c: Collector) -> None:
    if not isinstance(data, dict):
        c.add(Problem(file, "must be the JSON output of allocate", record="$"))
        return
    for key, fields in (
        ("placements", ("owner", "farm", "tonnes", "distance_km")),
        ("unplaced", ("owner",)),
        ("farms", ("farm",)),
    ):
        items = data.get(key)
        if not isinstance(items, list):
            c.add(Problem(file, "must be a list", record=f"$.{key}"))
            continue
        for i, item in enumerate(items):
            rec = f"$.{key}[{i}]"
            if not isinstance(item, dict):
                c.add(Problem(file, "must be an object", record=rec))
                continue
            for f in fields:
                v = item.get(f)
                numeric = f in ("tonnes", "distance_km")
                if numeric and not (_finite_number(v) and v is not None and v >= 0):
                    c.add(
                        Problem(
                            file, "must be a number at least 0", record=rec, field=f
                        )
                    )
                elif not numeric and not (isinstance(v, str) and v):
                    c.add(Problem(file, "must be non-empty text", record=rec, field=f))


def _settle_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cirkelregio agricycling settle",
        description="The season's settlement of an allocation: what each owner pays, "
        "what each farm receives, the cooperative's result and each member's share, "
        "in cents that add up exactly.",
    )
    parser.add_argument("allocation", type=Path, help="the output of allocate")
    parser.add_argument("tariffs", type=Path, help="the tariffs (docs/agricycling.md)")
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument(
        "--statements-dir",
        type=Path,
        help="also write one CSV statement per party into this (existing) folder",
    )
    return parser


def _safe_name(party: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", party).strip("._") or "party"


def settle_main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _settle_parser().parse_args(argv)
    c = Collector()
    if args.statements_dir is not None and not args.statements_dir.is_dir():
        c.add(Problem("--statements-dir", "must be an existing folder"))
    allocation = _read_json(args.allocation, c)
    raw_tariffs = _read_json(args.tariffs, c)
    if allocation is not None:
        _check_allocation(allocation, args.allocation.name, c)
    tariffs = None
    if raw_tariffs is not None:
        try:
            tariffs = tariffs_from_dict(raw_tariffs)
        except SettlementInputError as exc:
            for path, message in exc.issues:
                rec = "$" + ("." + path if path else "")
                c.add(Problem(args.tariffs.name, message, record=rec))
    if c.problems or tariffs is None:
        print(
            "Nothing was calculated or written.\n"
            + DataLoadError(c.problems).summary(),
            file=stderr,
        )
        return EXIT_INPUT
    try:
        result = settle(allocation, tariffs)
    except SettlementInputError as exc:
        problems = [
            Problem(
                args.tariffs.name
                if p.startswith("share_key")
                else args.allocation.name,
                m,
                record="$" + ("." + p if p else ""),
            )
            for p, m in exc.issues
        ]
        print("Nothing was written.\n" + DataLoadError(problems).summary(), file=stderr)
        return EXIT_INPUT
    if args.statements_dir is not None:
        for s in result.statements:
            target = args.statements_dir / f"{s.role}-{_safe_name(s.party)}.csv"

            def write(p: Path, s: Any = s) -> None:
                with p.open("w", encoding="utf-8", newline="") as handle:
                    w = csv.writer(handle)
                    w.writerow(
                        [
                            "season",
                            "party",
                            "role",
                            "description",
                            "quantity",
                            "unit",
                            "eur",
                        ]
                    )
                    for d, q, u, v in s.lines:
                        w.writerow([result.season, s.party, s.role, d, q, u, str(v)])
                    w.writerow(
                        [
                            result.season,
                            s.party,
                            s.role,
                            "total",
                            "",
                            "",
                            str(s.total_eur),
                        ]
                    )

            write_atomically(target, write)
    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    emit_text(text, args.output, stdout)
    return 0
