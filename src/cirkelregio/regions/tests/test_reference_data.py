# SPDX-License-Identifier: EUPL-1.2
"""Loading the region's reference data: counts, idempotence, and bad input that names
the file, line or record and field and leaves the database as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.regions.models import (
    ActionLine,
    Municipality,
    Organisation,
    Postcode,
    Region,
)
from cirkelregio.regions.services import reference_data_load

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Region.objects.count(),
        Municipality.objects.count(),
        Postcode.objects.count(),
        ActionLine.objects.count(),
        Organisation.objects.count(),
    )


def test_loads_the_26_municipalities_and_the_lines(region_dir: Path) -> None:
    report = reference_data_load(directory=region_dir)
    assert report.municipalities == 26
    assert Municipality.objects.count() == 26
    utrecht = Municipality.objects.get(cbs_code="GM0344")
    assert utrecht.name == "Utrecht"
    assert utrecht.population == 374238
    assert utrecht.boundary["type"] in {"Polygon", "MultiPolygon"}
    west, south, east, north = utrecht.bbox
    assert west < utrecht.centroid_lon < east and south < utrecht.centroid_lat < north
    # The province total of the CBS 2024 key figures (provenance README).
    assert sum(Municipality.objects.values_list("population", flat=True)) == 1_400_057
    assert ActionLine.objects.exclude(number=None).count() == 8
    assert ActionLine.objects.filter(number=None).count() == 1
    assert Postcode.objects.count() == 4067
    assert Postcode.objects.filter(municipality__isnull=False).count() == 231
    assert Postcode.objects.get(code="3511").municipality == utrecht
    # One organisation per municipality, plus the province.
    assert Organisation.objects.filter(kind="municipality").count() == 26
    assert Organisation.objects.filter(kind="province").count() == 1


def test_loading_twice_changes_nothing(region_dir: Path) -> None:
    reference_data_load(directory=region_dir)
    before = _counts()
    log_before = LogEntry.objects.count()
    reference_data_load(directory=region_dir)
    assert _counts() == before
    assert LogEntry.objects.count() == log_before  # nothing was re-saved


def test_action_line_text_comes_from_the_document(region_dir: Path) -> None:
    reference_data_load(directory=region_dir)
    repair = ActionLine.objects.get(number=6)
    assert repair.name_nl == "Heel Utrecht Repareert"
    assert repair.subgoals.count() == 6
    assert repair.activities.exists()
    assert set(repair.r_strategies.values_list("code", flat=True)) == {"extend_life"}
    assert repair.subgoals.first().text_nl.startswith("Vergroten van bewustwording")


@pytest.fixture
def broken_dir(tmp_path: Path, region_dir: Path) -> Path:
    target = tmp_path / "region"
    shutil.copytree(region_dir, target)
    return target


def _replace_line(path: Path, line_no: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _load_fails(directory: Path) -> list[str]:
    before = _counts()
    with pytest.raises(DataLoadError) as info:
        reference_data_load(directory=directory)
    assert _counts() == before, "a failed load must leave the database as it was"
    return [str(p) for p in info.value.problems]


def test_negative_population_names_file_line_and_field(broken_dir: Path) -> None:
    _replace_line(broken_dir / "municipalities.csv", 3, ",25065,", ",-25065,")
    problems = _load_fails(broken_dir)
    assert problems == [
        "municipalities.csv, line 3, field 'population': "
        "must be at least 0 (got '-25065')"
    ]


def test_bad_cbs_code(broken_dir: Path) -> None:
    _replace_line(broken_dir / "municipalities.csv", 2, "GM0307", "XX0307")
    problems = _load_fails(broken_dir)
    assert problems[0].startswith(
        "municipalities.csv, line 2, field 'cbs_code': must be"
    )


def test_unknown_cbs_code_in_boundaries(broken_dir: Path) -> None:
    path = broken_dir / "municipalities.geojson"
    data = json.loads(path.read_text())
    data["features"][0]["properties"]["cbs_code"] = "GM9999"
    path.write_text(json.dumps(data))
    problems = _load_fails(broken_dir)
    assert (
        "municipalities.geojson, features[0], field 'cbs_code': "
        "unknown CBS code GM9999: not in the municipalities file" in problems
    )


def test_invalid_geometry(broken_dir: Path) -> None:
    path = broken_dir / "municipalities.geojson"
    data = json.loads(path.read_text())
    data["features"][2]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[5, 52], [6, 53], [6, 52], [5, 53], [5, 52]]],
    }
    path.write_text(json.dumps(data))
    problems = _load_fails(broken_dir)
    assert problems[0].startswith(
        "municipalities.geojson, features[2], field 'geometry': invalid geometry"
    )


def test_duplicate_municipality(broken_dir: Path) -> None:
    path = broken_dir / "municipalities.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]))
    problems = _load_fails(broken_dir)
    assert (
        "municipalities.csv, line 28, field 'cbs_code': duplicate municipality GM0307"
        in (problems)
    )


def test_missing_columns(broken_dir: Path) -> None:
    path = broken_dir / "pc4_centroids.csv"
    text = path.read_text().replace("pc4,lat,lon", "postcode,lat,lon", 1)
    path.write_text(text)
    assert _load_fails(broken_dir) == [
        "pc4_centroids.csv, line 1: missing columns: pc4"
    ]


def test_postcode_with_unknown_municipality(broken_dir: Path) -> None:
    path = broken_dir / "pc4_centroids.csv"
    text = path.read_text()
    path.write_text(text.replace(",GM0344,", ",GM0000,", 1))
    problems = _load_fails(broken_dir)
    assert any("field 'cbs_code': unknown CBS code GM0000" in p for p in problems)


def test_malformed_json(broken_dir: Path) -> None:
    (broken_dir / "action_lines.json").write_text('{"action_lines": [')
    problems = _load_fails(broken_dir)
    assert problems[0].startswith("action_lines.json, line 1: is not valid JSON")


def test_unknown_domain_and_strategy(broken_dir: Path) -> None:
    path = broken_dir / "action_lines.json"
    data: dict[str, Any] = json.loads(path.read_text())
    data["action_lines"][1]["domain"] = "space"
    data["action_lines"][2]["r_strategies"] = ["teleport"]
    path.write_text(json.dumps(data))
    problems = _load_fails(broken_dir)
    assert any(
        p.startswith(
            "action_lines.json, action_lines[1], field 'domain': must be one of"
        )
        for p in problems
    )
    assert (
        "action_lines.json, action_lines[2], field 'r_strategies': unknown R-ladder "
        "strategy 'teleport'" in problems
    )


def test_a_failed_reload_keeps_the_loaded_data(
    region_dir: Path, broken_dir: Path
) -> None:
    reference_data_load(directory=region_dir)
    _replace_line(
        broken_dir / "municipalities.csv", 2, "Amersfoort", "Amersfoort-Nieuw"
    )
    _replace_line(broken_dir / "municipalities.csv", 3, ",25065,", ",many,")
    _load_fails(broken_dir)
    assert Municipality.objects.get(cbs_code="GM0307").name == "Amersfoort"


def test_another_region_loads_the_same_way(tmp_path: Path, region_dir: Path) -> None:
    """Region-specific data is data: a region folder with other files loads too."""
    target = tmp_path / "nl-test"
    target.mkdir()
    (target / "region.json").write_text(
        json.dumps({"code": "nl-test", "name_nl": "Testland"})
    )
    (target / "municipalities.csv").write_text(
        "cbs_code,name,population,population_year,area_km2,centroid_lat,centroid_lon\n"
        "GM9001,Proefdorp,1200,2024,10.5,52.05,5.05\n"
    )
    square = {
        "type": "Polygon",
        "coordinates": [[[5, 52], [5.1, 52], [5.1, 52.1], [5, 52.1], [5, 52]]],
    }
    (target / "municipalities.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"cbs_code": "GM9001"},
                        "geometry": square,
                    }
                ],
            }
        )
    )
    (target / "pc4_centroids.csv").write_text(
        "pc4,lat,lon,cbs_code,population,area_km2\n9999,52.05,5.05,GM9001,1200,10.5\n"
    )
    shutil.copy(region_dir / "action_lines.json", target / "action_lines.json")
    report = reference_data_load(directory=target)
    assert report.municipalities == 1
    assert Postcode.objects.get(code="9999").municipality.name == "Proefdorp"
