# SPDX-License-Identifier: EUPL-1.2
"""Imports of sections, passports and works: all or nothing with messages naming
file, line and field; re-import updates; RD New lands at the right WGS84 point;
exports import again unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied

import pytest

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.roads import services
from cirkelregio.roads.models import (
    MaintenanceWork,
    Passport,
    PassportLayer,
    RoadSection,
)
from cirkelregio.roads.tests.conftest import Roads, write

SECTIONS = (
    "external_id,name,street,road_type,area_m2,crs,geometry\n"
    'W1,Demo Dorpsstraat,Dorpsstraat,residential_street,1000,,"LINESTRING (5.02 52.05, '
    '5.04 52.05)"\n'
    'W2,Demo Ring,,distributor_road,,EPSG:28992,"POLYGON ((155000 463000, 155100 '
    '463000, 155100 463010, 155000 463010, 155000 463000))"\n'
)
PASSPORTS = (
    "section,valid_from,valid_to,data_source,position,mixture,thickness_mm,year_laid,"
    "pr_percent,binder,pak_mg_per_kg,tar_containing,offered_for_reuse\n"
    "W1,2020-01-01,,survey,1,PA 16,50,2015,0,polymer_modified,,,\n"
    "W1,2020-01-01,,survey,2,AC 16 bin,60,2015,50,conventional,,,\n"
    "W1,2020-01-01,,survey,3,AC 22 base,80,1985,,conventional,310,,\n"
)
WORKS = (
    "external_id,section,window_start,window_end,work_type,removal_depth_mm,"
    "layers_removed,status,layer_position,mixture,thickness_mm,pr_percent,"
    "low_temperature\n"
    "P1,W1,2027,2027,milling_and_overlay,50,,planned,1,PA 16,50,0,true\n"
)


def _sections(
    roads: Roads, tmp_path: Path, text: str = SECTIONS
) -> services.ImportReport:
    return services.import_sections(
        write(tmp_path, "wegvakken.csv", text),
        authority=roads.town,
        actor=roads.town_editor,
    )


def test_sections_csv_wkt_wgs84_and_rd_new(roads: Roads, tmp_path: Path) -> None:
    report = _sections(roads, tmp_path)
    assert (report.created, report.updated) == (2, 0)
    line = RoadSection.objects.get(external_id="W1")
    assert line.area_m2 == 1000 and not line.area_computed
    assert line.municipality == roads.a  # the line's midpoint lies in A
    assert line.length_m == pytest.approx(1370, rel=0.01)  # 0.02 deg lon at 52.05 N
    rd = RoadSection.objects.get(external_id="W2")
    # The Amersfoort reference point RD 155000, 463000 = 52.1552 N, 5.3872 E.
    lon, lat = rd.geometry["coordinates"][0][0]
    assert (lat, lon) == (
        pytest.approx(52.1552, abs=1e-4),
        pytest.approx(5.3872, abs=1e-4),
    )
    assert rd.area_m2 == pytest.approx(1000.0, abs=0.01) and rd.area_computed
    assert rd.municipality is None  # outside the test region's boundaries
    assert rd.bbox[0] == pytest.approx(5.3872, abs=1e-4)


def test_section_reimport_updates_rather_than_duplicates(
    roads: Roads, tmp_path: Path
) -> None:
    _sections(roads, tmp_path)
    again = _sections(roads, tmp_path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    report = _sections(
        roads, tmp_path, SECTIONS.replace("Demo Dorpsstraat", "Demo Kerkstraat")
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert RoadSection.objects.count() == 2
    assert RoadSection.objects.get(external_id="W1").name == "Demo Kerkstraat"


@pytest.mark.parametrize(
    ("geometry", "field", "message"),
    [
        ('"LINESTRING (5.02 52.05"', "geometry", "neither GeoJSON nor WKT"),
        (
            '"POLYGON ((5.0 52.0, 5.1 52.1, 5.1 52.0, 5.0 52.1, 5.0 52.0))"',
            "geometry",
            "Invalid geometry: is not valid: Self-intersection",
        ),
        ('"POINT (5.02 52.05)"', "geometry", "must be a LineString"),
        (
            '"LINESTRING (52.05 5.02, 52.06 5.02)"',
            "geometry",
            "outside the Netherlands",
        ),
    ],
)
def test_bad_geometry_names_line_and_field_and_writes_nothing(
    roads: Roads, tmp_path: Path, geometry: str, field: str, message: str
) -> None:
    text = SECTIONS + f"W3,Demo,,rural_road,500,,{geometry}\n"
    with pytest.raises(DataLoadError) as exc:
        _sections(roads, tmp_path, text)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.field) == ("wegvakken.csv", 4, field)
    assert message in problem.message
    assert not RoadSection.objects.exists()


def test_rd_coordinates_given_as_wgs84_are_explained(
    roads: Roads, tmp_path: Path
) -> None:
    with pytest.raises(DataLoadError, match="RD New metres"):
        services.import_sections(
            write(tmp_path, "s.csv", SECTIONS.replace("EPSG:28992", "")),
            authority=roads.town,
        )


def test_sections_geojson_with_rd_new_crs_member(roads: Roads, tmp_path: Path) -> None:
    text = """{"type": "FeatureCollection",
      "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
      "features": [{"type": "Feature", "properties": {"external_id": 7,
        "name": "Demo N-weg", "road_type": "main_road", "area_m2": 2500},
        "geometry": {"type": "LineString", "coordinates": [[155000, 463000],
        [155000, 463500]]}}]}"""
    services.import_sections(
        write(tmp_path, "n.geojson", text), authority=roads.province
    )
    section = RoadSection.objects.get(authority=roads.province, external_id="7")
    assert section.geometry["coordinates"][0] == [
        pytest.approx(5.3872, abs=1e-4),
        pytest.approx(52.1552, abs=1e-4),
    ]
    assert section.length_m == pytest.approx(500.0, abs=0.01)


def test_editor_imports_only_for_own_authority(roads: Roads, tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", SECTIONS)
    with pytest.raises(PermissionDenied):
        services.import_sections(
            path, authority=roads.town, actor=roads.province_editor
        )
    with pytest.raises(PermissionDenied):
        services.import_sections(path, authority=roads.town, actor=roads.member)
    with pytest.raises(DataLoadError, match="not a road authority"):
        services.import_sections(path, authority=roads.company, actor=roads.coordinator)


# Passports -------------------------------------------------------------------------


def _passports(roads: Roads, tmp_path: Path, text: str) -> services.ImportReport:
    return services.import_passports(
        write(tmp_path, "paspoort.csv", text),
        authority=roads.town,
        actor=roads.town_editor,
    )


def test_passport_import_derives_tar_and_reimport_replaces_layers(
    roads: Roads, tmp_path: Path
) -> None:
    _sections(roads, tmp_path)
    report = _passports(roads, tmp_path, PASSPORTS)
    assert (report.records, report.created) == (1, 1)
    layers = list(PassportLayer.objects.order_by("position"))
    assert [lay.mixture.code for lay in layers] == ["PA 16", "AC 16 bin", "AC 22 base"]
    assert [lay.tar_containing for lay in layers] == [False, False, True]
    assert [lay.offered_for_reuse for lay in layers] == [True, True, False]
    again = _passports(roads, tmp_path, PASSPORTS.replace(",60,", ",70,"))
    assert (again.created, again.updated) == (0, 1)
    assert Passport.objects.count() == 1
    assert PassportLayer.objects.get(position=2).thickness_mm == 70


BAD_LAYERS = [
    ("1,AC 17 surf,50,2015,0,,,,", "mixture", "unknown mixture"),
    (
        "1,PA 16,2,2015,0,,,,",
        "thickness_mm",
        "Physical bounds: a layer is at least 5 mm",
    ),
    (
        "1,PA 16,1500,2015,0,,,,",
        "thickness_mm",
        "Physical bounds: a layer is at most 1000",
    ),
    (
        "1,PA 16,50,2015,120,,,,",
        "pr_percent",
        "Physical bounds: PR is a share from 0 to 100",
    ),
    (
        "1,PA 16,50,1850,0,,,,",
        "year_laid",
        "Physical bounds: the year laid is 1900 or later",
    ),
    ("1,PA 16,50,2999,0,,,,", "year_laid", "cannot be in the future"),
    (
        "1,PA 16,50,2015,0,,80,,true",
        "offered_for_reuse",
        "can never be offered for reuse",
    ),
    ("1,PA 16,50,2015,0,,,true,true", "offered_for_reuse", "EURAL 17 03 01*"),
    ("1,PA 16,50,2015,0,gravel,,,", "binder", "must be one of"),
]


@pytest.mark.parametrize(("layer", "field", "message"), BAD_LAYERS)
def test_bad_layer_refused_with_its_rule_and_nothing_written(
    roads: Roads, tmp_path: Path, layer: str, field: str, message: str
) -> None:
    _sections(roads, tmp_path)
    text = PASSPORTS + f"W2,2021-01-01,,estimate,{layer}\n"
    with pytest.raises(DataLoadError) as exc:
        _passports(roads, tmp_path, text)
    (problem,) = exc.value.problems
    assert (problem.line, problem.field) == (5, field)
    assert message in problem.message
    assert not Passport.objects.exists() and not PassportLayer.objects.exists()


def test_overlapping_passports_refused_in_file_and_against_stored(
    roads: Roads, tmp_path: Path
) -> None:
    _sections(roads, tmp_path)
    closed = PASSPORTS.replace("2020-01-01,,", "2020-01-01,2024-12-31,")
    _passports(roads, tmp_path, closed)
    overlapping = "\n".join(
        line.replace("2020-01-01,2024-12-31", "2024-06-01,")
        for line in closed.splitlines()
    )
    with pytest.raises(DataLoadError) as exc:
        _passports(roads, tmp_path, overlapping + "\n")
    assert {p.field for p in exc.value.problems} == {"valid_from"}
    assert "Overlapping passports for the same section and period" in str(exc.value)
    assert Passport.objects.count() == 1
    # The next period, from 2025, is accepted.
    later = "\n".join(
        line.replace("2020-01-01,2024-12-31", "2025-01-01,")
        for line in closed.splitlines()
    )
    _passports(roads, tmp_path, later + "\n")
    assert Passport.objects.count() == 2


def test_unknown_section_is_named(roads: Roads, tmp_path: Path) -> None:
    with pytest.raises(DataLoadError, match="unknown section 'W1' of gemeente-a"):
        _passports(roads, tmp_path, PASSPORTS)


# Works -----------------------------------------------------------------------------


def test_works_import_year_window_and_reimport(roads: Roads, tmp_path: Path) -> None:
    _sections(roads, tmp_path)
    path = write(tmp_path, "werken.csv", WORKS)
    report = services.import_works(path, authority=roads.town, actor=roads.town_editor)
    assert report.created == 1
    work = MaintenanceWork.objects.get()
    assert (work.window_start, work.window_end) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
    )
    assert work.new_layers.get().low_temperature is True
    path.write_text(WORKS.replace("planned", "tendered"), encoding="utf-8")
    again = services.import_works(path, authority=roads.town)
    assert (again.created, again.updated) == (0, 1)
    assert MaintenanceWork.objects.get().status == "tendered"


def test_work_with_bad_layer_writes_nothing(roads: Roads, tmp_path: Path) -> None:
    _sections(roads, tmp_path)
    text = (
        WORKS
        + "P2,W2,2028-03-01,2028-02-01,full_reconstruction,,,planned,1,PA 16,50,0,\n"
    )
    text += "P3,W2,2028,2028,other,10,2,planned,1,ZOAB 99,50,0,\n"
    with pytest.raises(DataLoadError) as exc:
        services.import_works(write(tmp_path, "w.csv", text), authority=roads.town)
    found = {(p.line, p.field) for p in exc.value.problems}
    assert (4, "mixture") in found
    assert (3, None) in found  # the window ends before it starts
    assert not MaintenanceWork.objects.exists()


# Export round trip ---------------------------------------------------------------


def test_export_round_trip(roads: Roads, tmp_path: Path) -> None:
    _sections(roads, tmp_path)
    _passports(roads, tmp_path, PASSPORTS)
    services.import_works(write(tmp_path, "w.csv", WORKS), authority=roads.town)
    sections = RoadSection.objects.order_by("external_id")
    csv_text = services.sections_csv(sections)
    geojson_text = services.sections_geojson(sections)
    passports_text = services.passports_csv(Passport.objects.all())
    works_text = services.works_csv(MaintenanceWork.objects.all())
    before = [(s.geometry, s.area_m2, s.name, s.road_type) for s in sections]

    for name, text in (("e.csv", csv_text), ("e.geojson", geojson_text)):
        report = services.import_sections(
            write(tmp_path, name, text), authority=roads.town
        )
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2), name
    assert [
        (s.geometry, s.area_m2, s.name, s.road_type) for s in sections.all()
    ] == before
    assert services.passports_csv(Passport.objects.all()) == passports_text
    services.import_passports(write(tmp_path, "p.csv", passports_text))
    assert services.passports_csv(Passport.objects.all()) == passports_text
    services.import_works(write(tmp_path, "w2.csv", works_text))
    assert services.works_csv(MaintenanceWork.objects.all()) == works_text

    # Into an empty database the exports give the same records again.
    MaintenanceWork.objects.all().delete()
    RoadSection.objects.all().delete()
    services.import_sections(
        write(tmp_path, "e2.geojson", geojson_text), authority=roads.town
    )
    services.import_passports(write(tmp_path, "p2.csv", passports_text))
    services.import_works(write(tmp_path, "w3.csv", works_text))
    assert (
        services.sections_csv(RoadSection.objects.order_by("external_id")) == csv_text
    )
    assert services.passports_csv(Passport.objects.all()) == passports_text
    assert services.works_csv(MaintenanceWork.objects.all()) == works_text
