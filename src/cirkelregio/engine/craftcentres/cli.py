# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio craftcentres plan FILE [--points PC4.csv]
[--model p-median|coverage|both] [--p 1-10] [--coverage-km 10] [--detour 1.3]
[--kg-per-inhabitant KG]
[--reusable-fraction F] [--harvest] [--heuristics] [--time-limit S]
[--output OUT.json] [--geojson MAP.geojson]``: plan a network of craft centres
(:mod:`cirkelregio.engine.craftcentres.network`) on files only (no database, no
Django).

Input (UTF-8 JSON; the full description is in docs/craftcentres.md)::

    {
      "parameters": {"detour_factor": 1.3, "coverage_km": 10,
                     "kg_per_inhabitant": 146, "kg_source": "...",
                     "reusable_fraction": 0.03,
                     "reusable_fraction_source": "assumption: ..."},
      "points": [{"id": "3511", "lat": 52.09, "lon": 5.11, "population": 5120,
                  "municipality": "GM0344"}, ...],
      "sites": [{"id": "A", "name": "...", "lat": 52.1, "lon": 5.1,
                 "existing": true, "municipality": "GM0344"}, ...]
    }

``parameters`` and every field in it are optional; ``kg_per_inhabitant`` may be one
number or an object municipality code -> number. ``points`` may be left out when
``--points`` names a PC4 CSV (columns ``pc4, lat, lon, cbs_code, population`` and,
if present, ``in_province_utrecht``: only rows with True are read), such as
data/regions/nl-utrecht/pc4_centroids.csv. The flags override the parameters of the
file.

``--p`` is one number, a range ``1-10`` or a list ``1,3,5``; without it, every p from
the number of existing sites (at least 1) to 10 (at most the number of sites).

Output (stdout, or ``--output FILE`` written through a temporary file, and then the
side-by-side table on stdout): ``{"parameters", "points", "sites", "networks",
"comparison"}``, ``networks`` the :meth:`NetworkResult.to_dict` of every model and p.
``--geojson`` writes the map of every network (sites and assignment lines, each
feature with its ``model`` and ``p``).

Problems in the input are printed with the file and the JSON path (or the CSV line)
and the field; the exit code is then 2 and nothing is written. A solver failure gives
exit code 3 and nothing written.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from cirkelregio.engine.craftcentres.heuristics import greedy
from cirkelregio.engine.craftcentres.network import (
    DEFAULT_TIME_LIMIT,
    MODELS,
    DemandPoint,
    InputIssue,
    Model,
    NetworkInputError,
    NetworkResult,
    Parameters,
    Site,
    SolveError,
    check,
    compare,
    plan,
)
from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    FieldError,
    Problem,
    emit_text,
    number,
    read_csv,
    write_text_atomically,
)
from cirkelregio.engine.dataio import read_json as _read_json
from cirkelregio.engine.inputs import json_records

__all__ = [
    "EXIT_INPUT",
    "EXIT_SOLVER",
    "PlanInput",
    "build_parser",
    "input_from_dict",
    "main",
    "parse_p",
    "read_pc4_csv",
]

EXIT_INPUT = 2
EXIT_SOLVER = 3
DEFAULT_P_MAX = 10

_POINT_FIELDS = ("id", "lat", "lon", "population", "municipality", "name", "note")
_SITE_FIELDS = ("id", "name", "lat", "lon", "existing", "municipality", "note")
_PARAMETER_FIELDS = (
    "detour_factor",
    "coverage_km",
    "kg_per_inhabitant",
    "kg_source",
    "reusable_fraction",
    "reusable_fraction_source",
)


@dataclass(frozen=True)
class PlanInput:
    points: tuple[DemandPoint, ...]
    sites: tuple[Site, ...]
    params: Parameters


# Reading ----------------------------------------------------------------------------


def _label(value: Any, path: str, issues: list[InputIssue]) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    issues.append(InputIssue(path, f"must be non-empty text (got {value!r})"))
    return None


def _num(
    value: Any, path: str, issues: list[InputIssue], minimum: float | None = None
) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        issues.append(InputIssue(path, f"must be a number (got {value!r})"))
        return None
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        limit = "" if minimum is None else f" of at least {minimum:g}"
        issues.append(
            InputIssue(path, f"must be a finite number{limit} (got {value!r})")
        )
        return None
    return float(value)


def _parameters(raw: Any, issues: list[InputIssue]) -> Parameters:
    params = Parameters()
    if raw is None:
        return params
    if not isinstance(raw, dict):
        issues.append(InputIssue("parameters", "must be an object"))
        return params
    unknown = sorted(set(raw) - set(_PARAMETER_FIELDS))
    if unknown:
        issues.append(InputIssue("parameters", "unknown fields: " + ", ".join(unknown)))
    changes: dict[str, Any] = {}
    for key in ("detour_factor", "coverage_km", "reusable_fraction"):
        if raw.get(key) is not None:
            value = _num(raw[key], f"parameters.{key}", issues)
            if value is not None:
                changes[key] = value
    for key in ("kg_source", "reusable_fraction_source"):
        if key in raw:
            text = _label(raw[key], f"parameters.{key}", issues)
            if text is not None:
                changes[key] = text
    kg = raw.get("kg_per_inhabitant")
    if isinstance(kg, dict):
        rates = {}
        for code, value in kg.items():
            v = _num(value, f"parameters.kg_per_inhabitant.{code}", issues, 0.0)
            if v is not None:
                rates[str(code)] = v
        changes["kg_per_inhabitant"] = rates
    elif kg is not None:
        v = _num(kg, "parameters.kg_per_inhabitant", issues, 0.0)
        if v is not None:
            changes["kg_per_inhabitant"] = v
    if "kg_per_inhabitant" in changes and "kg_source" not in changes:
        issues.append(
            InputIssue(
                "parameters.kg_source",
                "is required with kg_per_inhabitant: say where the figure comes from",
            )
        )
    if "reusable_fraction" in changes and "reusable_fraction_source" not in changes:
        issues.append(
            InputIssue(
                "parameters.reusable_fraction_source",
                "is required with reusable_fraction: say where it comes from, or "
                "that it is an assumption",
            )
        )
    return replace(params, **changes)


def input_from_dict(
    data: Any, points: Sequence[DemandPoint] | None = None, *, validate: bool = True
) -> PlanInput:
    """The input of a parsed JSON document (docs/craftcentres.md). ``points``: the
    demand points read elsewhere (``--points``); the document then has none.
    Raises NetworkInputError with every problem found, each with its JSON path;
    with ``validate`` False only the problems of the fields themselves (the caller
    then runs :func:`.network.check`)."""
    if not isinstance(data, dict):
        raise NetworkInputError([InputIssue("", "must be a JSON object")])
    issues: list[InputIssue] = []
    unknown = sorted(set(data) - {"parameters", "points", "sites", "note", "source"})
    if unknown:
        issues.append(InputIssue("", "unknown fields: " + ", ".join(unknown)))
    params = _parameters(data.get("parameters"), issues)
    read_points: list[DemandPoint] = []
    if points is not None:
        if "points" in data:
            issues.append(
                InputIssue(
                    "points",
                    "the demand points come from --points; leave them out of the "
                    "file, or leave out --points",
                )
            )
        read_points = list(points)
    else:
        for where, item in json_records(data, "points", _POINT_FIELDS, issues):
            id_ = _label(item.get("id"), f"{where}.id", issues)
            lat = _num(item.get("lat"), f"{where}.lat", issues)
            lon = _num(item.get("lon"), f"{where}.lon", issues)
            pop = _num(item.get("population"), f"{where}.population", issues, 0.0)
            mun = _label(item.get("municipality"), f"{where}.municipality", issues)
            if None not in (id_, lat, lon, pop, mun):
                read_points.append(DemandPoint(id_, lat, lon, pop, mun))  # type: ignore[arg-type]
    sites: list[Site] = []
    for where, item in json_records(data, "sites", _SITE_FIELDS, issues):
        id_ = _label(item.get("id"), f"{where}.id", issues)
        name = (
            _label(item["name"], f"{where}.name", issues)
            if item.get("name") is not None
            else id_
        )
        lat = _num(item.get("lat"), f"{where}.lat", issues)
        lon = _num(item.get("lon"), f"{where}.lon", issues)
        existing = item.get("existing", False)
        if not isinstance(existing, bool):
            issues.append(InputIssue(f"{where}.existing", "must be true or false"))
        mun = (
            _label(item["municipality"], f"{where}.municipality", issues)
            if item.get("municipality") is not None
            else None
        )
        if None not in (id_, name, lat, lon):
            sites.append(Site(id_, name, lat, lon, existing is True, mun))  # type: ignore[arg-type]
    if issues:
        # check()'s indexes would no longer match the file once a record is left
        # out, so the semantic checks wait until the fields themselves are right.
        raise NetworkInputError(issues)
    issues = check(read_points, sites, (), params) if validate else []
    if issues:
        raise NetworkInputError(issues)
    return PlanInput(tuple(read_points), tuple(sites), params)


def _pc4(raw: Any) -> str:
    if not re.fullmatch(r"[1-9][0-9]{3}", str(raw)):
        raise FieldError("must be a four-digit postcode")
    return str(raw)


def _code(raw: Any) -> str:
    if not re.fullmatch(r"GM[0-9]{4}", str(raw)):
        raise FieldError("must be a CBS municipality code like GM0344")
    return str(raw)


def read_pc4_csv(
    path: Path, collector: Collector
) -> tuple[list[DemandPoint], list[int]]:
    """Demand points from a PC4 CSV (``pc4, lat, lon, cbs_code, population``; rows
    whose ``in_province_utrecht`` is not True are skipped when that column exists),
    with the line of each point. Problems go to the collector with file and line."""
    points: list[DemandPoint] = []
    lines: list[int] = []
    for row in read_csv(
        path, ("pc4", "lat", "lon", "cbs_code", "population"), collector
    ):
        if "in_province_utrecht" in row.data and (
            str(row.data["in_province_utrecht"]).strip() != "True"
        ):
            continue
        pc4 = row.get("pc4", _pc4)
        lat = row.get("lat", number(-90, 90))
        lon = row.get("lon", number(-180, 180))
        code = row.get("cbs_code", _code)
        pop = row.get("population", number(0))
        if (
            pc4 is not None
            and lat is not None
            and lon is not None
            and code is not None
            and pop is not None
        ):
            points.append(DemandPoint(pc4, lat, lon, pop, code))
            lines.append(row.line or 0)
    if not points and not collector.problems:
        collector.add(Problem(path.name, "holds no demand point"))
    return points, lines


def parse_p(text: str) -> list[int]:
    """``3``, ``1-10`` or ``1,3,5`` (whole numbers of at least 1, ascending, once)."""
    out: list[int] = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not m:
            raise ValueError(f"{part.strip()!r} is not a number or a range like 1-10")
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        if lo < 1 or hi < lo:
            raise ValueError(
                f"{part.strip()!r}: p must be at least 1, ranges ascending"
            )
        out += range(lo, hi + 1)
    return sorted(set(out))


# Command ----------------------------------------------------------------------------


def build_parser(
    prog: str = "cirkelregio craftcentres plan",
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Plan a network of craft centres (Circulaire Ambachtscentra): "
        "p-median (least population-weighted travel distance) or maximal coverage "
        "(most population within a distance), exact with HiGHS, p sites of which "
        "the existing ones are always open.",
    )
    parser.add_argument("file", type=Path, help="the JSON input (docs/craftcentres.md)")
    parser.add_argument(
        "--points",
        type=Path,
        help="PC4 CSV with the demand points (e.g. "
        "data/regions/nl-utrecht/pc4_centroids.csv); the file then has no points",
    )
    parser.add_argument(
        "--model",
        choices=[*MODELS, "both"],
        default="p-median",
        help="(default %(default)s)",
    )
    parser.add_argument(
        "--p",
        help="number of sites: 3, a range 1-10 or a list 1,3,5 (default: from the "
        "number of existing sites, at least 1, to 10)",
    )
    parser.add_argument("--coverage-km", type=float, help="S in km (default 10)")
    parser.add_argument("--detour", type=float, help="detour factor (default 1.3)")
    parser.add_argument(
        "--kg-per-inhabitant",
        type=float,
        help="bulky waste kg per inhabitant per year for every municipality "
        "(default 146, CBS 2021)",
    )
    parser.add_argument(
        "--reusable-fraction",
        type=float,
        help="share of bulky waste that is reusable, 0..1 (no default: no sourced "
        "figure exists; the value is recorded as given on the command line)",
    )
    parser.add_argument(
        "--harvest",
        action="store_true",
        help="require harvestable tonnes (an error without a reusable fraction)",
    )
    parser.add_argument(
        "--heuristics",
        action="store_true",
        help="also the greedy and greedy + vertex-substitution networks, to compare",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        help="seconds for HiGHS per model, all p together (default %(default)s)",
    )
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--geojson", type=Path, help="also write the map as GeoJSON")
    return parser


def _flag_problems(args: argparse.Namespace) -> list[Problem]:
    out: list[Problem] = []
    if args.coverage_km is not None and not (
        math.isfinite(args.coverage_km) and args.coverage_km > 0
    ):
        out.append(Problem("--coverage-km", "must be a finite number more than 0"))
    if args.detour is not None and not (
        math.isfinite(args.detour) and args.detour >= 1
    ):
        out.append(Problem("--detour", "must be a finite number of at least 1"))
    if args.kg_per_inhabitant is not None and not (
        math.isfinite(args.kg_per_inhabitant) and args.kg_per_inhabitant >= 0
    ):
        out.append(
            Problem("--kg-per-inhabitant", "must be a finite number of at least 0")
        )
    if args.reusable_fraction is not None and not (0 <= args.reusable_fraction <= 1):
        out.append(Problem("--reusable-fraction", "must be a number from 0 to 1"))
    if not (math.isfinite(args.time_limit) and args.time_limit > 0):
        out.append(Problem("--time-limit", "must be a finite number more than 0"))
    return out


def _to_problem(
    issue: InputIssue, file: str, csv_file: str | None, csv_lines: Sequence[int]
) -> Problem:
    if issue.path == "p":
        return Problem("--p", issue.message)
    m = re.match(r"points\[(\d+)\](?:\.(\w+))?$", issue.path)
    if csv_file is not None and m:
        return Problem(
            csv_file, issue.message, line=csv_lines[int(m.group(1))], field=m.group(2)
        )
    return Problem(
        file, issue.message, record="$" + ("." if issue.path else "") + issue.path
    )


def _overrides(params: Parameters, args: argparse.Namespace) -> Parameters:
    changes: dict[str, Any] = {}
    if args.coverage_km is not None:
        changes["coverage_km"] = args.coverage_km
    if args.detour is not None:
        changes["detour_factor"] = args.detour
    if args.kg_per_inhabitant is not None:
        changes["kg_per_inhabitant"] = args.kg_per_inhabitant
        changes["kg_source"] = "given on the command line (--kg-per-inhabitant)"
    if args.reusable_fraction is not None:
        changes["reusable_fraction"] = args.reusable_fraction
        changes["reusable_fraction_source"] = (
            "given on the command line (--reusable-fraction)"
        )
    return replace(params, **changes)


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    collector = Collector(_flag_problems(args))
    ps: list[int] | None = None
    if args.p is not None:
        try:
            ps = parse_p(args.p)
        except ValueError as exc:
            collector.add(Problem("--p", str(exc)))
    csv_name = args.points.name if args.points is not None else None
    points: list[DemandPoint] | None = None
    lines: list[int] = []
    if args.points is not None:
        points, lines = read_pc4_csv(args.points, collector)
    data = _read_json(args.file, collector)
    if collector.problems:
        print(
            "Nothing was calculated or written.\n"
            + DataLoadError(collector.problems).summary(),
            file=stderr,
        )
        return EXIT_INPUT
    models: list[Model] = list(MODELS) if args.model == "both" else [args.model]
    try:
        given = input_from_dict(data, points, validate=False)
        params = _overrides(given.params, args)
        if ps is None:
            existing = sum(1 for s in given.sites if s.existing)
            ps = list(range(max(1, existing), min(DEFAULT_P_MAX, len(given.sites)) + 1))
        issues = check(given.points, given.sites, ps, params, harvest=args.harvest)
        if issues:
            raise NetworkInputError(issues)
        results: list[NetworkResult] = []
        for model in models:
            results += plan(
                given.points,
                given.sites,
                ps,
                model,
                params,
                harvest=args.harvest,
                time_limit=args.time_limit,
            )
            if args.heuristics:
                for swap in (False, True):
                    results += [
                        greedy(given.points, given.sites, p, model, params, swap=swap)
                        for p in ps
                    ]
    except NetworkInputError as exc:
        problems = [_to_problem(i, args.file.name, csv_name, lines) for i in exc.issues]
        print(
            "Nothing was calculated or written.\n" + DataLoadError(problems).summary(),
            file=stderr,
        )
        return EXIT_INPUT
    except SolveError as exc:
        print(f"Nothing was written.\n{exc}", file=stderr)
        return EXIT_SOLVER
    comparison = compare(results)
    document = {
        "parameters": params.to_dict(),
        "points": len(given.points),
        "sites": len(given.sites),
        "networks": [r.to_dict() for r in results],
        "comparison": comparison.to_list(),
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.geojson is not None:
        features: list[dict[str, Any]] = []
        for r in results:
            features += r.to_geojson(given.points, given.sites)["features"]
        write_text_atomically(
            args.geojson,
            json.dumps(
                {"type": "FeatureCollection", "features": features}, ensure_ascii=False
            )
            + "\n",
        )
    emit_text(text, args.output, stdout)
    if args.output is not None:
        print(comparison.to_text(), file=stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
