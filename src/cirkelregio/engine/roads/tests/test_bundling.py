# SPDX-License-Identifier: EUPL-1.2
"""Bundling of works across road authorities (docs/planning-models.md section 4):
hand-made instances with hand-computed distances and windows, random instances against
a brute-force O(n^2) implementation written here, WGS84 against RD New input, and the
command ``cirkelregio roads bundle`` end to end."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import subprocess
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from cirkelregio.engine.roads.bundling import (
    Work,
    WorkError,
    find_bundles,
    make_work,
    windows_overlap,
)
from cirkelregio.engine.roads.bundling_cli import main, read_works

D = dt.date
MAY_1, MAY_31 = D(2027, 5, 1), D(2027, 5, 31)
X0, Y0 = 136_000.0, 456_000.0  # RD New, near the centre of Utrecht
EXAMPLE = (
    Path(__file__).resolve().parents[5] / "data/examples/roads/bundle-small.geojson"
)


def work(
    wid: str,
    authority: str,
    geometry: BaseGeometry,
    start: dt.date = MAY_1,
    end: dt.date = MAY_31,
    **tonnes: float,
) -> Work:
    return Work(wid, authority, geometry, start, end, dict(tonnes))


def hline(x: float, y: float, length: float = 400.0) -> LineString:
    """A road section of ``length`` m eastwards from (X0 + x, Y0 + y)."""
    return LineString([(X0 + x, Y0 + y), (X0 + x + length, Y0 + y)])


def members(works: Sequence[Work], distance_m: float = 500.0) -> list[list[str]]:
    return [list(b.members) for b in find_bundles(works, distance_m).bundles]


# Hand-made instances ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "bundled"), [(499.0, True), (500.0, True), (501.0, False)]
)
def test_distance_threshold_between_parallel_sections(
    offset: float, bundled: bool
) -> None:
    """Two parallel 400 m sections of a municipality and the province, ``offset`` m
    apart: compatible up to and including 500 m."""
    a = work("A", "Gemeente Utrecht", hline(0, 0))
    b = work("B", "Provincie Utrecht", hline(100, offset))
    result = find_bundles([a, b])
    if bundled:
        assert len(result.bundles) == 1
        (pair,) = result.bundles[0].pairs
        assert (pair.a, pair.b) == ("A", "B")
        assert pair.distance_m == pytest.approx(offset, abs=1e-9)
        assert result.unbundled == ()
    else:
        assert result.bundles == ()
        assert [w.id for w in result.unbundled] == ["A", "B"]


def test_adjacent_sections_end_to_end_at_499_and_501_m() -> None:
    """Sections on one line: B starts 499 m past A's end, C 501 m past B's end."""
    a = work("A", "Gemeente Zeist", hline(0, 0, 1000))
    b = work("B", "Provincie Utrecht", hline(1499, 0, 300))
    c = work("C", "Gemeente Bunnik", hline(2300, 0, 300))
    result = find_bundles([a, b, c])
    assert [list(x.members) for x in result.bundles] == [["A", "B"]]
    assert result.bundles[0].pairs[0].distance_m == pytest.approx(499.0)
    assert [w.id for w in result.unbundled] == ["C"]
    assert members([a, b, c], distance_m=501.0) == [["A", "B", "C"]]


@pytest.mark.parametrize(
    ("b_start", "b_end", "window"),
    [
        (D(2027, 5, 31), D(2027, 6, 30), (D(2027, 5, 31), D(2027, 5, 31))),  # touch
        (D(2027, 5, 20), D(2027, 6, 30), (D(2027, 5, 20), D(2027, 5, 31))),
        (D(2027, 5, 10), D(2027, 5, 12), (D(2027, 5, 10), D(2027, 5, 12))),  # inside
        (D(2027, 4, 1), D(2027, 5, 1), (D(2027, 5, 1), D(2027, 5, 1))),  # touch
        (D(2027, 6, 1), D(2027, 6, 30), None),  # the day after: disjoint
        (D(2027, 3, 1), D(2027, 4, 30), None),  # the day before
    ],
)
def test_windows_touching_overlapping_and_disjoint(
    b_start: dt.date, b_end: dt.date, window: tuple[dt.date, dt.date] | None
) -> None:
    a = work("A", "Gemeente Utrecht", hline(0, 0), D(2027, 5, 1), D(2027, 5, 31))
    b = work("B", "Provincie Utrecht", hline(0, 50), b_start, b_end)
    result = find_bundles([a, b])
    assert windows_overlap(a.start, a.end, b.start, b.end) is (window is not None)
    if window is None:
        assert result.bundles == ()
    else:
        assert [x.window for x in result.bundles] == [window]


def test_same_authority_is_never_bundled_directly() -> None:
    a1 = work("A1", "Gemeente Utrecht", hline(0, 0))
    a2 = work("A2", "Gemeente Utrecht", hline(0, 10))
    result = find_bundles([a1, a2])
    assert result.bundles == ()
    assert [w.id for w in result.unbundled] == ["A1", "A2"]


def test_chain_through_another_authority() -> None:
    """A1 - B - A2: A1 and A2 (one authority, 20 m apart) are not compatible with each
    other, but both are with B, so all three make one bundle with two pairs."""
    a1 = work("A1", "Gemeente Utrecht", hline(0, 0), AC16=100.0)
    b = work("B", "Provincie Utrecht", hline(0, 300), SMA11=40.0, AC16=12.5)
    a2 = work("A2", "Gemeente Utrecht", hline(0, 20), AC16=30.0)
    result = find_bundles([a1, b, a2])
    (bundle,) = result.bundles
    assert bundle.members == ("A1", "B", "A2")
    assert bundle.authorities == ("Gemeente Utrecht", "Provincie Utrecht")
    assert [(p.a, p.b, p.distance_m) for p in bundle.pairs] == [
        ("A1", "B", pytest.approx(300.0)),
        ("B", "A2", pytest.approx(280.0)),
    ]
    assert bundle.tonnes == {"AC16": 142.5, "SMA11": 40.0}
    assert bundle.window == (D(2027, 5, 1), D(2027, 5, 31))


def test_common_window_none_when_the_chain_has_no_common_day() -> None:
    """A and B overlap 8-10 January, B and C 15-20 January, A and C never (and they are
    800 m apart): one bundle without a common window."""
    a = work("A", "Gemeente Utrecht", hline(0, 0), D(2027, 1, 1), D(2027, 1, 10))
    b = work("B", "Provincie Utrecht", hline(600, 100), D(2027, 1, 8), D(2027, 1, 20))
    c = work("C", "HDSR", hline(1200, 0), D(2027, 1, 15), D(2027, 1, 30))
    (bundle,) = find_bundles([a, b, c]).bundles
    assert bundle.members == ("A", "B", "C")
    assert [(p.a, p.b, p.distance_m) for p in bundle.pairs] == [
        ("A", "B", pytest.approx(50_000**0.5)),  # (400, 0) to (600, 100)
        ("B", "C", pytest.approx(50_000**0.5)),  # (1000, 100) to (1200, 0)
    ]
    assert bundle.window is None
    assert bundle.to_dict()["window"] is None


def test_bundles_ordered_by_first_work_and_geometry_types() -> None:
    """A polygon (a roundabout), a point (a crossing) and lines; distances to and
    between non-line geometries are plain shapely distances."""
    square = Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)])
    far = 10_000.0
    works = [
        work("P", "Gemeente Utrecht", Point(X0 + far, Y0)),
        work("Q", "Provincie Utrecht", square),
        work("R", "HDSR", Point(X0 + far + 300, Y0 + 400)),  # 500 m from P
        work("S", "Gemeente Utrecht", Point(X0 + 50, Y0 + 600)),  # 500 m from Q
        work("T", "HDSR", Point(X0 + 20_000, Y0)),
    ]
    result = find_bundles(works)
    assert [list(b.members) for b in result.bundles] == [["P", "R"], ["Q", "S"]]
    assert [b.pairs[0].distance_m for b in result.bundles] == [
        pytest.approx(500.0),
        pytest.approx(500.0),
    ]
    assert [w.id for w in result.unbundled] == ["T"]
    assert result.to_dict()["bundles"][1]["number"] == 2
    assert find_bundles([]).bundles == ()


def test_to_dict() -> None:
    a = work("A", "Gemeente Utrecht", hline(0, 0), AC16=10.0)
    b = Work(
        "B",
        "Provincie Utrecht",
        hline(0, 123.4567),
        D(2027, 5, 20),
        D(2027, 6, 2),
        {"AC16": 5.0},
        section="N230-12",
        work_type="deklaag",
    )
    c = work("C", "HDSR", hline(5000, 0))
    assert find_bundles([a, b, c]).to_dict() == {
        "distance_m": 500.0,
        "works": 3,
        "bundled_works": 2,
        "bundles": [
            {
                "number": 1,
                "members": ["A", "B"],
                "authorities": ["Gemeente Utrecht", "Provincie Utrecht"],
                "window": {"start": "2027-05-20", "end": "2027-05-31"},
                "tonnes": {"AC16": 15.0},
                "sections": ["N230-12"],
                "pairs": [{"a": "A", "b": "B", "distance_m": 123.457}],
            }
        ],
        "unbundled": ["C"],
    }


# Validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"geometry": LineString()}, "geometry", "is empty"),
        (
            {
                "geometry": Polygon(
                    [(X0, Y0), (X0 + 9, Y0 + 9), (X0 + 9, Y0), (X0, Y0 + 9)]
                )
            },
            "geometry",
            "is invalid: Self-intersection",
        ),
        (
            {"geometry": LineString([(5.1, 52.1), (5.2, 52.1)])},
            "geometry",
            "outside the RD New area",
        ),
        ({"end": D(2027, 4, 30)}, "end", "ends before it starts"),
        ({"tonnes": {"AC16": -1.0}}, "tonnes.AC16", "must be at least 0"),
        ({"tonnes": {"AC16": float("nan")}}, "tonnes.AC16", "finite"),
        ({"authority": ""}, "authority", "non-empty text"),
        ({"start": "2027-05-01"}, "start", "must be a date"),
    ],
)
def test_work_validation_names_work_and_field(
    kwargs: dict[str, Any], field: str, text: str
) -> None:
    values: dict[str, Any] = {
        "id": "W7",
        "authority": "Gemeente Utrecht",
        "geometry": hline(0, 0),
        "start": D(2027, 5, 1),
        "end": D(2027, 5, 31),
        "tonnes": {"AC16": 1.0},
    }
    values.update(kwargs)
    with pytest.raises(WorkError) as caught:
        Work(**values)
    assert caught.value.work_id == "W7"
    assert caught.value.field == field
    assert text in caught.value.message
    assert str(caught.value).startswith(f"work 'W7', field '{field}': ")


def test_make_work_crs_errors() -> None:
    line = LineString([(5.1, 52.1), (5.2, 52.1)])
    with pytest.raises(WorkError, match="field 'crs': unknown CRS 'EPSG:3857'"):
        make_work(
            id="W1",
            authority="X",
            geometry=line,
            start=D(2027, 1, 1),
            end=D(2027, 1, 2),
            crs="EPSG:3857",
        )
    with pytest.raises(WorkError, match="field 'geometry': coordinates outside"):
        make_work(
            id="W1",
            authority="X",
            geometry=LineString([(136000, 456000), (136100, 456000)]),
            start=D(2027, 1, 1),
            end=D(2027, 1, 2),
            crs="EPSG:4326",
        )


def test_find_bundles_rejects_duplicate_ids_and_bad_distance() -> None:
    a = work("A", "Gemeente Utrecht", hline(0, 0))
    with pytest.raises(WorkError, match="work 'A', field 'id': is used by more"):
        find_bundles([a, work("A", "Provincie Utrecht", hline(0, 10))])
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="distance_m"):
            find_bundles([a], bad)


# Random instances against brute force ------------------------------------------------


def brute_force(
    works: Sequence[Work], distance_m: float
) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Every pair measured with shapely, components by breadth-first search."""
    n = len(works)
    edges: dict[tuple[int, int], float] = {}
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            a, b = works[i], works[j]
            if a.authority == b.authority:
                continue
            if a.end < b.start or b.end < a.start:
                continue
            d = a.geometry.distance(b.geometry)
            if d <= distance_m:
                edges[(i, j)] = d
                neighbours[i].append(j)
                neighbours[j].append(i)
    seen = [False] * n
    components = []
    for root in range(n):
        if seen[root]:
            continue
        seen[root] = True
        queue, component = deque([root]), [root]
        while queue:
            for k in neighbours[queue.popleft()]:
                if not seen[k]:
                    seen[k] = True
                    queue.append(k)
                    component.append(k)
        components.append(sorted(component))
    return components, edges


def random_geometry(rng: random.Random, size: float) -> BaseGeometry:
    x, y = X0 + rng.uniform(0, size), Y0 + rng.uniform(0, size)
    kind = rng.random()
    if kind < 0.15:
        return Point(x, y)
    if kind < 0.25:
        w, h = rng.uniform(5, 150), rng.uniform(5, 150)
        return Polygon([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])
    points = [(x, y)]
    for _ in range(rng.randint(1, 4)):
        x, y = x + rng.uniform(-300, 300), y + rng.uniform(-300, 300)
        points.append((x, y))
    return LineString(points)


def random_works(rng: random.Random, n: int, size: float) -> list[Work]:
    authorities = [f"authority-{k}" for k in range(rng.randint(1, 6))]
    mixtures = ["AC 16 surf", "AC 22 base", "SMA 11", "ZOAB 16"]
    out = []
    for k in range(n):
        start = D(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        end = start + dt.timedelta(days=rng.choice([0, 0, 1, 6, 13, 30, 90]))
        tonnes = {m: round(rng.uniform(0, 300), 1) for m in rng.sample(mixtures, 2)}
        out.append(
            Work(
                f"w{k}",
                rng.choice(authorities),
                random_geometry(rng, size),
                start,
                end,
                tonnes,
            )
        )
    return out


@pytest.mark.parametrize("seed", range(60))
def test_random_instances_against_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 90)
    works = random_works(rng, n, size=rng.choice([1500.0, 4000.0, 10_000.0]))
    distance_m = rng.choice([0.0, 150.0, 500.0, 500.0, 1200.0])
    result = find_bundles(works, distance_m)
    components, edges = brute_force(works, distance_m)
    index = {w.id: k for k, w in enumerate(works)}

    expected = [c for c in components if len(c) > 1]
    got = [[index[m] for m in b.members] for b in result.bundles]
    assert got == expected  # the same groups, members and bundles in input order
    assert [index[w.id] for w in result.unbundled] == [
        c[0] for c in components if len(c) == 1
    ]
    got_pairs = {
        (index[p.a], index[p.b]): p.distance_m for b in result.bundles for p in b.pairs
    }
    assert got_pairs.keys() == edges.keys()
    for key, d in edges.items():
        assert got_pairs[key] == pytest.approx(d, rel=1e-12, abs=1e-9)
    for bundle, group in zip(result.bundles, expected, strict=True):
        group_works = [works[k] for k in group]
        start = max(w.start for w in group_works)
        end = min(w.end for w in group_works)
        assert bundle.window == ((start, end) if start <= end else None)
        assert bundle.authorities == tuple(sorted({w.authority for w in group_works}))
        totals: dict[str, float] = {}
        for w in group_works:
            for m, t in w.tonnes.items():
                totals[m] = totals.get(m, 0.0) + t
        assert bundle.tonnes.keys() == totals.keys()
        for m, t in totals.items():
            assert bundle.tonnes[m] == pytest.approx(t, rel=1e-12)


def test_random_instances_exercise_chains() -> None:
    """Across the seeds of the cross-check, some bundle holds two works of one
    authority (reached through another) and some has no common window."""
    bundles = same_authority = no_window = 0
    for seed in range(60):
        rng = random.Random(seed)
        n = rng.randint(1, 90)
        works = random_works(rng, n, size=rng.choice([1500.0, 4000.0, 10_000.0]))
        result = find_bundles(works, rng.choice([0.0, 150.0, 500.0, 500.0, 1200.0]))
        bundles += len(result.bundles)
        for b in result.bundles:
            same_authority += len(b.authorities) < len(b.works)
            no_window += b.window is None
    assert bundles > 100
    assert same_authority > 0
    assert no_window > 0


# WGS84 input against RD New input ----------------------------------------------------


def test_wgs84_input_gives_the_same_bundles_as_rd_new() -> None:
    rng = random.Random(7)
    rd_works = random_works(rng, 400, size=12_000.0)
    to_wgs84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    wgs_works = [
        make_work(
            id=w.id,
            authority=w.authority,
            geometry=shapely.transform(
                w.geometry,
                lambda c: np.column_stack(to_wgs84.transform(c[:, 0], c[:, 1])),
            ),
            start=w.start,
            end=w.end,
            tonnes=w.tonnes,
            crs="urn:ogc:def:crs:OGC:1.3:CRS84",
        )
        for w in rd_works
    ]
    rd = find_bundles(rd_works)
    wgs = find_bundles(wgs_works)
    # no pair so near the threshold that the round trip (well under 1 mm) could flip it
    _, edges = brute_force(rd_works, 600.0)
    assert all(abs(d - 500.0) > 0.01 for d in edges.values())
    assert len(rd.bundles) > 5
    assert [b.members for b in wgs.bundles] == [b.members for b in rd.bundles]
    assert [w.id for w in wgs.unbundled] == [w.id for w in rd.unbundled]
    for a, b in zip(rd.bundles, wgs.bundles, strict=True):
        assert [(p.a, p.b) for p in a.pairs] == [(p.a, p.b) for p in b.pairs]
        for p, q in zip(a.pairs, b.pairs, strict=True):
            assert q.distance_m == pytest.approx(p.distance_m, abs=1e-3)


# The command line ---------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_example_file() -> None:
    """The example: UTR-2027-014 - PRV-N230-03 - HDSR-2027-02 end to end 300 m apart
    (windows April-May, May-June, June-July: no common day); DBT-2027-05 -
    PRV-N237-11 480 m, touching on 24 September, PRV-N237-11 - DBT-2027-06
    sqrt(300^2 + 280^2) = 410.366 m; AMF-2027-21 and PRV-N221-02 510 m apart."""
    code, out, err = _run(str(EXAMPLE))
    assert code == 0, err
    data = json.loads(out)
    assert data["crs"] == "EPSG:4326"
    assert data["input"] == "bundle-small.geojson"
    first, second = data["bundles"]
    assert first["members"] == ["UTR-2027-014", "PRV-N230-03", "HDSR-2027-02"]
    assert first["window"] is None
    assert first["tonnes"] == {"AC 16 surf": 180.0, "AC 22 base": 200.0, "SMA 11": 90.0}
    assert [p["distance_m"] for p in first["pairs"]] == [
        pytest.approx(300.0, abs=0.02),
        pytest.approx(300.0, abs=0.02),
    ]
    assert second["members"] == ["DBT-2027-05", "PRV-N237-11", "DBT-2027-06"]
    assert second["authorities"] == ["Gemeente De Bilt", "Provincie Utrecht"]
    assert second["window"] == {"start": "2027-09-24", "end": "2027-09-24"}
    assert second["tonnes"] == {
        "AC 16 surf": 220.0,
        "AC 22 base": 80.0,
        "SMA 11": 110.0,
    }
    assert [(p["a"], p["b"], p["distance_m"]) for p in second["pairs"]] == [
        ("DBT-2027-05", "PRV-N237-11", pytest.approx(480.0, abs=0.02)),
        ("PRV-N237-11", "DBT-2027-06", pytest.approx(410.366, abs=0.02)),
    ]
    assert data["unbundled"] == ["AMF-2027-21", "PRV-N221-02"]
    code, out, _ = _run(str(EXAMPLE), "--distance-m", "520")
    assert json.loads(out)["unbundled"] == []


def test_cli_dispatch_output_and_geojson(tmp_path: Path) -> None:
    """Through ``cirkelregio roads bundle`` in a subprocess (the engine tests import
    nothing that imports Django)."""
    out_json, out_geo = tmp_path / "bundles.json", tmp_path / "bundles.geojson"
    done = subprocess.run(
        [sys.executable, "-m", "cirkelregio.cli", "roads", "bundle", str(EXAMPLE)]
        + ["--output", str(out_json), "--geojson", str(out_geo)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert len(json.loads(out_json.read_text())["bundles"]) == 2
    features = json.loads(out_geo.read_text())["features"]
    assert [(f["properties"]["kind"], f["properties"]["number"]) for f in features] == [
        ("bundle", 1),
        ("pair", 1),
        ("pair", 1),
        ("bundle", 2),
        ("pair", 2),
        ("pair", 2),
    ]
    source = json.loads(EXAMPLE.read_text())["features"]
    lines = {f["properties"]["id"]: shape(f["geometry"]) for f in source}
    for f in features:
        geom = shape(f["geometry"])
        if f["properties"]["kind"] == "bundle":
            for wid in f["properties"]["members"]:
                assert geom.buffer(1e-6).contains(lines[wid])
        else:  # the shortest line runs from work a to work b
            start, end = (Point(c) for c in geom.coords)
            assert lines[f["properties"]["a"]].distance(start) < 1e-6
            assert lines[f["properties"]["b"]].distance(end) < 1e-6


def _collection(features: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **extra, "features": features}


def _feature(wid: str, authority: str, coords: list[list[float]], **props: Any) -> Any:
    properties = {
        "id": wid,
        "authority": authority,
        "start": "2027-05-01",
        "end": "2027-05-31",
        "tonnes": {"AC 16 surf": 10},
        **props,
    }
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def test_cli_rd_new_from_crs_member_or_option(tmp_path: Path) -> None:
    rd_features = [
        _feature("A", "Gemeente Utrecht", [[X0, Y0], [X0 + 400, Y0]]),
        _feature("B", "Provincie Utrecht", [[X0, Y0 + 499], [X0 + 400, Y0 + 499]]),
    ]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    with_member = tmp_path / "member.geojson"
    with_member.write_text(json.dumps(_collection(rd_features, crs=crs)))
    plain = tmp_path / "plain.geojson"
    plain.write_text(json.dumps(_collection(rd_features)))
    for args in ([str(with_member)], [str(plain), "--crs", "EPSG:28992"]):
        code, out, err = _run(*args)
        assert (code, err) == (0, "")
        data = json.loads(out)
        assert data["crs"] == "EPSG:28992"
        assert data["bundles"][0]["pairs"] == [
            {"a": "A", "b": "B", "distance_m": 499.0}
        ]
    code, out, err = _run(str(with_member), "--crs", "EPSG:4326")
    assert code == 0
    assert json.loads(out)["crs"] == "EPSG:28992"
    assert "declares EPSG:28992" in err
    # without a CRS the RD New coordinates are read as WGS84: rejected
    code, out, err = _run(str(plain))
    assert code == 2 and out == ""
    assert "field 'geometry': coordinates outside longitude" in err


def test_cli_input_errors_name_file_feature_and_field(tmp_path: Path) -> None:
    features = [
        _feature("W1", "Gemeente Utrecht", [[5.1, 52.1], [5.11, 52.1]]),
        _feature("W2", "", [[5.1, 52.1], [5.11, 52.1]], end="2027-04-01"),
        _feature("W3", "HDSR", [[5.1, 52.1], [5.11, 52.1]], tonnes={"SMA 11": -5}),
        _feature("W1", "HDSR", [[5.1, 52.1], [5.11, 52.1]]),
        _feature("W5", "HDSR", [[5.1, 52.1]]),
        _feature("W6", "HDSR", [[5.1, 52.1], [5.11, 52.1]], start="1 mei"),
    ]
    features[4]["geometry"] = {"type": "LineString", "coordinates": []}
    del features[5]["properties"]["end"]
    path = tmp_path / "works.geojson"
    path.write_text(json.dumps(_collection(features)))
    output = tmp_path / "out.json"
    code, out, err = _run(str(path), "--output", str(output))
    assert code == 2
    assert out == "" and not output.exists()
    assert err.splitlines() == [
        "Nothing was calculated or written.",
        "works.geojson, features[1] (id 'W2'), field 'authority': a value is required",
        "works.geojson, features[1] (id 'W2'), field 'end': ends before it starts "
        "(2027-04-01 is before 2027-05-01)",
        "works.geojson, features[2] (id 'W3'), field 'tonnes.SMA 11': must be at "
        "least 0 (got -5)",
        "works.geojson, features[3] (id 'W1'), field 'id': is also the id of "
        "features[0]",
        "works.geojson, features[4] (id 'W5'), field 'geometry': is empty",
        "works.geojson, features[5] (id 'W6'), field 'start': must be a date "
        "YYYY-MM-DD (got '1 mei')",
        "works.geojson, features[5] (id 'W6'), field 'end': a value is required",
    ]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("{not json", [], "works.geojson, line 1: is not valid JSON"),
        (
            '{"type": "Feature"}',
            [],
            "works.geojson: must be a GeoJSON FeatureCollection",
        ),
        (
            json.dumps(
                _collection(
                    [], crs={"type": "name", "properties": {"name": "EPSG:3857"}}
                )
            ),
            [],
            "works.geojson, field 'crs': unknown CRS 'EPSG:3857'",
        ),
        (json.dumps(_collection([])), ["--crs", "EPSG:3857"], "--crs: unknown CRS"),
        (json.dumps(_collection([])), ["--distance-m", "-1"], "--distance-m: must be"),
        (
            json.dumps(_collection([{"type": "Feature", "properties": None}])),
            [],
            "works.geojson, features[0], field 'properties': must be an object",
        ),
    ],
)
def test_cli_file_level_errors(
    tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    path = tmp_path / "works.geojson"
    path.write_text(content)
    code, out, err = _run(str(path), *args)
    assert code == 2 and out == ""
    assert err.splitlines()[1].startswith(message)


def test_read_works_converts_wgs84_to_rd_new() -> None:
    works, crs = read_works(EXAMPLE)
    assert crs == "EPSG:4326"
    first = works[0]
    assert first.id == "UTR-2027-014" and first.section == "UTR-0412"
    assert first.work_type == "groot onderhoud"
    # the example was written from RD New (136000, 456000) - (136400, 456000)
    (x0, y0), (x1, y1) = first.geometry.coords
    assert (x0, y0) == (
        pytest.approx(136_000, abs=0.02),
        pytest.approx(456_000, abs=0.02),
    )
    assert (x1, y1) == (
        pytest.approx(136_400, abs=0.02),
        pytest.approx(456_000, abs=0.02),
    )
