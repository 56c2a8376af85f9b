# SPDX-License-Identifier: EUPL-1.2
"""Benchmark: bundling of planned road works across authorities
(``engine/roads/bundling.py``, docs/planning-models.md section 4) against two peers.

Instance (deterministic, ``random.Random(seed)``): ``--works`` road sections spread
over the 26 municipalities of the province of Utrecht
(``data/regions/nl-utrecht/municipalities.geojson``), a municipality drawn by its
area, a point inside it, a section of 1 to 4 segments of 80 to 400 m each from there.
Authorities: the municipality the section lies in (70 %), the province (15 %) or the
water board of the area (15 %; four boards by rough position); 31 authorities in all.
Windows of 3 days to 12 weeks starting anywhere in a 5-year horizon (2027-2031);
one or two of six asphalt mixtures, 20 to 1,500 t each.

Rows (all in this process, one after the other; issue target under 5 s for 10,000
works, printed, never asserted):

- engine: ``find_bundles`` (STRtree candidates from bounding boxes grown by B, numpy
  filters on authority and window, then shapely distances, scipy components); the
  first run and the median of ``--repeats``;
- dwithin query first: the same with the candidates from
  ``STRtree.query(..., predicate="dwithin", distance=B)``, so every candidate is
  measured before the authority and window filters (the engine's first version);
- bbox join + loop: what a spatial join without geopandas gives: an STRtree query of
  every section's bounding box grown by B, then per candidate pair in Python the
  authority and window test and one shapely distance, components by union-find;
- naive O(n^2): every pair of works of different authorities with overlapping
  windows measured with shapely, union-find; on all works, or on the first
  ``--naive-works`` (the engine then runs on those too, to compare on the same
  works). The command line (``roads bundle`` on the instance written as a
WGS84 GeoJSON file, reading, conversion to RD New and writing included) runs once
in a fresh interpreter. Memory: the process's peak RSS (``ru_maxrss``) before and
after the engine runs (the engine runs first), and the ``tracemalloc`` peak of one
engine run (Python and numpy allocations; GEOS allocates outside it); the
command's own peak RSS from ``os.wait4``.

Correctness (the script exits non-zero otherwise): every peer finds the same bundles
(members) and the same compatible pairs, with distances equal to 1e-9 m.

    .venv/bin/python benchmarks/roads/bench_bundling.py [--works 10000]
        [--naive-works N] [--distance-m 500] [--repeats 5] [--seed 20270601]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from cirkelregio.engine.roads.bundling import (
    BundlingResult,
    Work,
    find_bundles,
)

REPO = Path(__file__).resolve().parents[2]
MUNICIPALITIES = REPO / "data/regions/nl-utrecht/municipalities.geojson"
PROVINCE = "Provincie Utrecht"
MIXTURES = ["AC 16 surf", "AC 22 base", "AC 32 base", "SMA 11", "ZOAB 16", "DAB 0/11"]
HORIZON_START = dt.date(2027, 1, 1)
HORIZON_DAYS = 5 * 365

Pairs = dict[tuple[int, int], float]


def water_board(x: float, y: float) -> str:
    """A rough split of the province among its four water boards (for the
    benchmark's spread of authorities only, not their real boundaries)."""
    if x > 152_000:
        return "Waterschap Vallei en Veluwe"
    if y > 466_000:
        return "Waterschap Amstel, Gooi en Vecht"
    if y < 443_000:
        return "Waterschap Rivierenland"
    return "Hoogheemraadschap De Stichtse Rijnlanden"


def generate(n: int, seed: int) -> list[Work]:
    rng = random.Random(seed)
    to_rd = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
    areas = json.loads(MUNICIPALITIES.read_text(encoding="utf-8"))["features"]
    names, polygons = [], []
    for feature in areas:
        geom = shapely.transform(
            shape(feature["geometry"]),
            lambda c: np.column_stack(to_rd.transform(c[:, 0], c[:, 1])),
        )
        names.append(feature["properties"]["name"])
        polygons.append(geom)
    weights = [p.area for p in polygons]
    for p in polygons:
        shapely.prepare(p)
    works = []
    for k in range(n):
        m = rng.choices(range(len(names)), weights)[0]
        poly = polygons[m]
        west, south, east, north = poly.bounds
        while True:
            x, y = rng.uniform(west, east), rng.uniform(south, north)
            if poly.contains(Point(x, y)):
                break
        points = [(x, y)]
        heading = rng.uniform(0, 2 * math.pi)
        for _ in range(rng.randint(1, 4)):
            heading += rng.uniform(-0.6, 0.6)
            length = rng.uniform(80, 400)
            x, y = x + length * math.cos(heading), y + length * math.sin(heading)
            points.append((x, y))
        draw = rng.random()
        if draw < 0.70:
            authority = f"Gemeente {names[m]}"
        elif draw < 0.85:
            authority = PROVINCE
        else:
            authority = water_board(*points[0])
        duration = rng.choice([3, 5, 10, 14, 21, 28, 42, 56, 84])
        start = HORIZON_START + dt.timedelta(
            days=rng.randint(0, HORIZON_DAYS - duration)
        )
        tonnes = {
            mix: round(rng.uniform(20, 1500), 1)
            for mix in rng.sample(MIXTURES, rng.randint(1, 2))
        }
        works.append(
            Work(
                id=f"W{k:05d}",
                authority=authority,
                geometry=LineString(points),
                start=start,
                end=start + dt.timedelta(days=duration - 1),
                tonnes=tonnes,
                section=f"S{k:05d}",
            )
        )
    return works


# Peers ------------------------------------------------------------------------------


def _components(n: int, pairs: Pairs) -> list[list[int]]:
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def _compatible_in_time(a: Work, b: Work) -> bool:
    return a.authority != b.authority and a.start <= b.end and b.start <= a.end


def bbox_join(
    works: Sequence[Work], distance_m: float
) -> tuple[list[list[int]], Pairs]:
    geoms = [w.geometry for w in works]
    boxes = [
        shapely.box(x0 - distance_m, y0 - distance_m, x1 + distance_m, y1 + distance_m)
        for x0, y0, x1, y1 in (g.bounds for g in geoms)
    ]
    left, right = shapely.STRtree(geoms).query(boxes, predicate="intersects")
    pairs: Pairs = {}
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j and _compatible_in_time(works[i], works[j]):
            d = geoms[i].distance(geoms[j])
            if d <= distance_m:
                pairs[(i, j)] = d
    return _components(len(works), pairs), pairs


def dwithin_first(
    works: Sequence[Work], distance_m: float
) -> tuple[list[list[int]], Pairs]:
    geoms = np.empty(len(works), dtype=object)
    geoms[:] = [w.geometry for w in works]
    left, right = shapely.STRtree(geoms).query(
        geoms, predicate="dwithin", distance=distance_m
    )
    keep = left < right
    left, right = left[keep], right[keep]
    _, authority = np.unique([w.authority for w in works], return_inverse=True)
    start = np.array([w.start.toordinal() for w in works])
    end = np.array([w.end.toordinal() for w in works])
    keep = (
        (authority[left] != authority[right])
        & (start[left] <= end[right])
        & (start[right] <= end[left])
    )
    left, right = left[keep], right[keep]
    distance = shapely.distance(geoms[left], geoms[right])
    keys = zip(left.tolist(), right.tolist(), strict=True)
    pairs = dict(zip(keys, distance.tolist(), strict=True))
    return _components(len(works), pairs), pairs


def naive(works: Sequence[Work], distance_m: float) -> tuple[list[list[int]], Pairs]:
    pairs: Pairs = {}
    n = len(works)
    for i in range(n):
        a = works[i]
        for j in range(i + 1, n):
            b = works[j]
            if _compatible_in_time(a, b):
                d = a.geometry.distance(b.geometry)
                if d <= distance_m:
                    pairs[(i, j)] = d
    return _components(n, pairs), pairs


def engine_view(
    works: Sequence[Work], result: BundlingResult
) -> tuple[list[list[int]], Pairs]:
    index = {w.id: k for k, w in enumerate(works)}
    groups = [[index[m] for m in b.members] for b in result.bundles]
    pairs = {
        (index[p.a], index[p.b]): p.distance_m for b in result.bundles for p in b.pairs
    }
    return groups, pairs


def same(a: tuple[list[list[int]], Pairs], b: tuple[list[list[int]], Pairs]) -> bool:
    if a[0] != b[0] or a[1].keys() != b[1].keys():
        return False
    return all(abs(a[1][k] - b[1][k]) <= 1e-9 for k in a[1])


# Measuring --------------------------------------------------------------------------


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def write_geojson(works: Sequence[Work], path: Path) -> None:
    to_wgs = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)

    def convert(geom: BaseGeometry) -> Any:
        return mapping(
            shapely.transform(
                geom,
                lambda c: np.round(
                    np.column_stack(to_wgs.transform(c[:, 0], c[:, 1])), 7
                ),
            )
        )

    features = [
        {
            "type": "Feature",
            "properties": {
                "id": w.id,
                "authority": w.authority,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "tonnes": dict(w.tonnes),
                "section": w.section,
            },
            "geometry": convert(w.geometry),
        }
        for w in works
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def run_command(path: Path, distance_m: float) -> tuple[float, float, dict[str, Any]]:
    out = path.with_suffix(".out.json")
    argv = [sys.executable, "-m", "cirkelregio.cli", "roads", "bundle", str(path)]
    argv += ["--distance-m", str(distance_m), "--output", str(out)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"the command failed with status {status}")
    return wall, usage.ru_maxrss / 1024, json.loads(out.read_text())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument(
        "--naive-works", type=int, help="works for the naive peer (default: all)"
    )
    parser.add_argument("--distance-m", type=float, default=500.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20270601)
    parser.add_argument("--json", type=Path, help="keep the raw numbers")
    args = parser.parse_args(argv)
    B = args.distance_m  # noqa: N806 (the B of the model document)

    print(
        f"Python {sys.version.split()[0]}, shapely {shapely.__version__}, "
        f"GEOS {shapely.geos_version_string}, numpy {np.__version__}"
    )
    print(
        f"CPUs: {os.cpu_count()}; load average before: "
        + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    )
    t_gen, works = timed(lambda: generate(args.works, args.seed))
    print(
        f"Generated {len(works):,} works of {len({w.authority for w in works})} "
        f"authorities in {t_gen:.1f} s (untimed below); B = {B:g} m"
    )
    rows: list[tuple[str, int, str, str]] = []
    raw: dict[str, Any] = {"works": args.works, "distance_m": B, "seed": args.seed}

    # engine, full size
    rss_before = rss_mib()
    first, result = timed(lambda: find_bundles(works, B))
    times = [timed(lambda: find_bundles(works, B))[0] for _ in range(args.repeats)]
    rss_after = rss_mib()
    tracemalloc.start()
    find_bundles(works, B)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    reference = engine_view(works, result)
    med = sorted(times)[len(times) // 2]
    rows.append(("engine", len(works), f"{first:.3f}", f"{med:.3f}"))
    raw["engine"] = {"first": first, "times": times, "traced_mib": traced}
    sizes = [len(b.works) for b in result.bundles]
    print(
        f"Bundles: {len(result.bundles):,} holding {sum(sizes):,} works "
        f"(largest {max(sizes, default=0)}), "
        f"{sum(len(b.pairs) for b in result.bundles):,} compatible pairs, "
        f"{sum(b.window is None for b in result.bundles):,} without a common window"
    )

    ok = True
    # dwithin first, full size
    t_dw, dw = timed(lambda: dwithin_first(works, B))
    equal_dw = same(reference, dw)
    ok &= equal_dw
    rows.append(("dwithin query first", len(works), f"{t_dw:.3f}", ""))
    raw["dwithin_first"] = {"time": t_dw, "equal": equal_dw}

    # bbox join, full size
    t_join, join = timed(lambda: bbox_join(works, B))
    equal = same(reference, join)
    ok &= equal
    rows.append(("bbox join + loop", len(works), f"{t_join:.3f}", ""))
    raw["bbox_join"] = {"time": t_join, "equal": equal}

    # naive, on the first --naive-works works (and the engine on those when fewer)
    small = works[: args.naive_works or len(works)]
    small_result = result
    if len(small) < len(works):
        first_s, small_result = timed(lambda: find_bundles(small, B))
        times_s = [
            timed(lambda: find_bundles(small, B))[0] for _ in range(args.repeats)
        ]
        median_s = sorted(times_s)[len(times_s) // 2]
        rows.append(("engine", len(small), f"{first_s:.3f}", f"{median_s:.3f}"))
        raw["engine_small"] = {"first": first_s, "times": times_s}
    t_naive, naive_out = timed(lambda: naive(small, B))
    equal_naive = same(engine_view(small, small_result), naive_out)
    ok &= equal_naive
    rows.append(("naive O(n^2)", len(small), f"{t_naive:.3f}", ""))
    raw["naive"] = {"works": len(small), "time": t_naive, "equal": equal_naive}

    # the command
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "works.geojson"
        write_geojson(works, path)
        size_mib = path.stat().st_size / 2**20
        t_cmd, cmd_rss, cmd_out = run_command(path, B)
    cmd_equal = [b["members"] for b in cmd_out["bundles"]] == [
        list(b.members) for b in result.bundles
    ]
    rows.append(("command (WGS84 file)", len(works), f"{t_cmd:.3f}", ""))
    raw["command"] = {
        "time": t_cmd,
        "rss_mib": cmd_rss,
        "file_mib": size_mib,
        "same_bundles": cmd_equal,
    }
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cirkelregio.cli", "roads", "bundle", "--help"],
        check=True,
        capture_output=True,
    )
    t_help = time.perf_counter() - t0
    rows.append(("command --help (start-up, imports)", 0, f"{t_help:.3f}", ""))
    raw["command"]["help_time"] = t_help

    print()
    print("| implementation | works | first s | median s |")
    print("|---|---:|---:|---:|")
    for name, n, a, b in rows:
        print(f"| {name} | {f'{n:,}' if n else '-'} | {a} | {b or '-'} |")
    print()
    print(
        f"Median of {args.repeats} engine runs after the first. Target: under 5 s "
        f"for {args.works:,} works: {'met' if med < 5 else 'NOT met'} ({med:.3f} s)."
    )
    print(
        f"Memory: peak RSS {rss_before:.0f} MiB before the engine runs, "
        f"{rss_after:.0f} MiB after; tracemalloc peak of one run {traced:.1f} MiB. "
        f"The command: peak RSS {cmd_rss:.0f} MiB on a {size_mib:.1f} MiB file."
    )
    print(
        f"Equal to the engine: dwithin first {equal_dw}, bbox join {equal}, "
        f"naive {equal_naive} "
        f"(on {len(small):,} works); the command's bundles (WGS84 input, "
        f"round trip to 1e-7 degrees) {cmd_equal}."
    )
    print("Load average after: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
