# SPDX-License-Identifier: EUPL-1.2
"""Importing repair places from CSV and OpenStreetMap GeoJSON: the good files, every
kind of bad input (named by file, line or feature and field, and nothing written),
unreadable opening hours as warnings, re-imports that update rather than duplicate,
the command, and the demo data of the region."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

import pytest
from auditlog.models import LogEntry

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.repair.models import RepairPlace
from cirkelregio.repair.services import import_places, repair_demo_load
from cirkelregio.repair.tests.conftest import Area

pytestmark = pytest.mark.django_db

HEADER = (
    "name,kind,street,postcode,city,lat,lon,categories,opening_hours,website,email,"
    "phone"
)
GOOD_ROWS = [
    "Repair Café Centrum,repair_cafe,Kerkstraat 1,3511 ab,Stad A,52.02,5.03,"
    "electronics;clothing,Sa[2] 10:00-13:00,https://example.org/rc,rc@example.org,",
    "Fietsenmaker Oost,bicycle_repair,,3600,Stad B,,,bicycle,"
    "Tu-Fr 08:30-18:00; PH off,,,+31 30 000 0000",
    "Kleermaker Zuid,tailor,Zuidweg 2,,Stad A,52.08,5.08,clothing,op afspraak,,,",
]


def _csv(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _problems(exc: pytest.ExceptionInfo[DataLoadError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_csv_import(area: Area, tmp_path: Path) -> None:
    report = import_places(_csv(tmp_path, *GOOD_ROWS), source="partner")
    assert (report.places, report.created, report.updated) == (3, 3, 0)
    cafe = RepairPlace.objects.get(name="Repair Café Centrum")
    assert cafe.postcode == "3511 AB"
    assert (cafe.lat, cafe.lon, cafe.coordinates_derived) == (52.02, 5.03, False)
    assert cafe.municipality == area.a
    assert sorted(cafe.categories.values_list("code", flat=True)) == [
        "clothing",
        "electronics",
    ]
    assert cafe.source == "partner"
    assert cafe.import_key == "partner|repair café centrum|3511AB"
    bikes = RepairPlace.objects.get(name="Fietsenmaker Oost")
    assert (bikes.lat, bikes.lon, bikes.coordinates_derived) == (52.05, 5.15, True)
    assert bikes.municipality == area.b
    assert bikes.phone == "+31 30 000 0000"
    tailor = RepairPlace.objects.get(name="Kleermaker Zuid")
    # Unreadable hours: kept, flagged, and a warning with line and field.
    assert tailor.opening_hours == "op afspraak"
    assert tailor.opening_hours_unparsable is True
    assert [str(w) for w in report.warnings] == [
        "p.csv, line 4, field 'opening_hours': not OpenStreetMap opening_hours "
        "syntax (at 1:1, expected EOI, any_rule_separator, rules_modifier, "
        "always_open, small_range_selectors, week_selector, monthday_range, year, "
        "or comment); kept as text and flagged"
    ]


def test_reimport_updates_rather_than_duplicates(area: Area, tmp_path: Path) -> None:
    import_places(_csv(tmp_path, *GOOD_ROWS), source="partner")
    log_entries = LogEntry.objects.count()
    again = import_places(_csv(tmp_path, *GOOD_ROWS), source="partner")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert LogEntry.objects.count() == log_entries  # nothing was saved
    changed = [
        GOOD_ROWS[0].replace("Stad A", "Stad C").replace("electronics;", ""),
        *GOOD_ROWS[1:],
    ]
    report = import_places(_csv(tmp_path, *changed), source="partner")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert RepairPlace.objects.count() == 3
    cafe = RepairPlace.objects.get(name="Repair Café Centrum")
    assert cafe.city == "Stad C"
    assert list(cafe.categories.values_list("code", flat=True)) == ["clothing"]
    # Another source is other data: new places.
    other = import_places(_csv(tmp_path, *GOOD_ROWS), source="other")
    assert other.created == 3
    assert RepairPlace.objects.count() == 6


def test_reimport_keeps_what_the_file_does_not_hold(area: Area, tmp_path: Path) -> None:
    import_places(_csv(tmp_path, *GOOD_ROWS), source="partner")
    RepairPlace.objects.filter(name="Kleermaker Zuid").update(
        owner=area.org_a, internal_notes="Belt terug", is_published=False
    )
    import_places(_csv(tmp_path, *GOOD_ROWS), source="partner")
    tailor = RepairPlace.objects.get(name="Kleermaker Zuid")
    assert (tailor.owner, tailor.internal_notes, tailor.is_published) == (
        area.org_a,
        "Belt terug",
        False,
    )


ROW = "Plek,repair_cafe,Straat 1,3511 AB,Stad,52.02,5.03,clothing,Sa 10:00-12:00,,,"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ROW.replace("3511 AB", "35111"),
            "field 'postcode': must be a Dutch postcode: 1234 AB, or the four "
            "digits 1234 (got '35111')",
        ),
        (ROW.replace("3511 AB", "0511 AB"), "field 'postcode': must be a Dutch"),
        (ROW.replace("3511 AB", "3511 A1"), "field 'postcode': must be a Dutch"),
        (
            ROW.replace("52.02,5.03", "48.85,2.35"),
            "field 'lat': The place must lie in the Netherlands.",
        ),
        (ROW.replace("52.02,5.03", "52.02,"), "field 'lon': Give both latitude"),
        (ROW.replace("52.02,5.03", "abc,5.03"), "field 'lat': must be a number"),
        (
            ROW.replace("52.02,5.03", "91,5.03"),
            "field 'lat': must be at most 90",
        ),
        (
            ROW.replace("repair_cafe", "bakery"),
            "field 'kind': must be one of repair_cafe, repair_business",
        ),
        (
            ROW.replace("clothing", "clothing;boats"),
            "field 'categories': unknown category boats; known: bicycle,",
        ),
        (ROW.replace("Plek,", ","), "field 'name': a value is required"),
        (
            ROW.replace("52.02,5.03", ",").replace("3511 AB", "1000"),
            "field 'postcode': Unknown postcode area 1000: give coordinates.",
        ),
        (
            ROW.replace("52.02,5.03", ",").replace("3511 AB", ""),
            "field 'postcode': Give coordinates or a postcode.",
        ),
        (
            ROW.replace(",,,", ",ftp://example.org,,"),
            "field 'website': must be a web address starting with http",
        ),
        (ROW.replace(",,,", ",,geen-adres,"), "field 'email': must be an e-mail"),
        (ROW.replace(",,,", ",,,bel ons"), "field 'phone': must be a phone number"),
        (ROW + ",extra", "line 3: more values than columns"),
    ],
)
def test_bad_csv_rows_are_named_and_nothing_is_written(
    area: Area, tmp_path: Path, row: str, expected: str
) -> None:
    good = GOOD_ROWS[0]
    with pytest.raises(DataLoadError) as exc:
        import_places(_csv(tmp_path, good, row), source="partner")
    problems = _problems(exc)
    assert len(problems) == 1, problems
    assert problems[0].startswith("p.csv, line 3"), problems
    assert expected in problems[0], problems
    assert not RepairPlace.objects.exists()


def test_every_problem_of_a_file_is_reported(area: Area, tmp_path: Path) -> None:
    rows = [
        ROW.replace("3511 AB", "35111"),
        ROW.replace("repair_cafe", "bakery").replace("Plek", "Plek 2"),
        ROW,
        ROW,  # the same place twice
    ]
    with pytest.raises(DataLoadError) as exc:
        import_places(_csv(tmp_path, *rows), source="partner")
    assert [p.line for p in exc.value.problems] == [2, 3, 5]
    assert "the same place as line 4" in _problems(exc)[2]
    assert not RepairPlace.objects.exists()


def test_bad_csv_files(area: Area, tmp_path: Path) -> None:
    with pytest.raises(DataLoadError) as exc:
        import_places(_csv(tmp_path, ROW, header="name,kind,postcode"))
    assert _problems(exc) == [
        "p.csv, line 1: missing columns: street, city, lat, lon, categories, "
        "opening_hours, website, email, phone"
    ]
    with pytest.raises(DataLoadError) as exc:
        import_places(_csv(tmp_path))
    assert _problems(exc) == ["p.csv: holds no repair places"]
    with pytest.raises(DataLoadError) as exc:
        import_places(_csv(tmp_path, ROW, name="p.txt"))
    assert _problems(exc) == ["p.txt: must be a .csv, .geojson or .json file"]
    with pytest.raises(DataLoadError) as exc:
        import_places(tmp_path / "missing.csv")
    assert _problems(exc)[0].startswith("missing.csv: cannot be read")
    with pytest.raises(DataLoadError) as exc:
        import_places(_csv(tmp_path, ROW), source="a|b")
    assert "the source must be" in _problems(exc)[0]


def test_optional_csv_columns(area: Area, tmp_path: Path) -> None:
    header = HEADER + ",repairs_nl,not_repaired_en,last_verified,owner"
    path = _csv(
        tmp_path,
        ROW + ",Kleding,No leather,2026-10-01,org-a",
        header=header,
    )
    import_places(path, source="partner")
    place = RepairPlace.objects.get()
    assert (place.repairs_nl, place.not_repaired_en) == ("Kleding", "No leather")
    assert place.last_verified == dt.date(2026, 10, 1)
    assert place.owner == area.org_a
    bad = _csv(tmp_path, ROW + ",,,2026-13-01,org-x", header=header)
    with pytest.raises(DataLoadError) as exc:
        import_places(bad, source="partner")
    assert [p.field for p in exc.value.problems] == ["last_verified", "owner"]


def test_only_coordinators_import(area: Area, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        import_places(_csv(tmp_path, ROW), actor=area.editor_a)
    assert import_places(_csv(tmp_path, ROW), actor=area.coordinator).created == 1


# GeoJSON -----------------------------------------------------------------------------


def _feature(
    tags: dict[str, Any],
    point: tuple[float, float] | None = (5.03, 52.02),
    **extra: Any,
) -> dict[str, Any]:
    geometry = {"type": "Point", "coordinates": list(point)} if point else None
    return {"type": "Feature", "properties": tags, "geometry": geometry, **extra}


def _geojson(tmp_path: Path, *features: Any, name: str = "osm.geojson") -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": list(features)}),
        encoding="utf-8",
    )
    return path


POINTLESS = {"type": "Point", "coordinates": []}
OSM_FEATURES = [
    _feature(
        {
            "@id": "node/101",
            "name": "Repair Café De Buurt",
            "repair": "assisted_self_service",
            "service:electronics:repair": "yes",
            "service:clothes:repair": "yes",
            "service:bicycle:repair": "no",
            "opening_hours": "Sa[1] 10:00-13:00",
            "addr:street": "Dorpsstraat",
            "addr:housenumber": "5a",
            "addr:postcode": "3511AB",
            "addr:city": "Stad A",
            "contact:website": "https://example.org/buurt",
            "contact:email": "buurt@example.org",
            "check_date": "2026-09-01",
        }
    ),
    _feature(
        {
            "@id": "node/102",
            "name": "Fietsenwinkel Oost",
            "shop": "bicycle",
            "service:bicycle:repair": "yes",
            "phone": "+31 30 111 1111;+31 6 0000 0000",
        },
        (5.16, 52.04),
    ),
    _feature(
        {
            "@id": "way/103",
            "name": "Schoenmakerij",
            "craft": "shoemaker",
            "opening_hours": "ma-za 9-17",
        },
        None,
        geometry={
            "type": "Polygon",
            "coordinates": [
                [[5.0, 52.0], [5.02, 52.0], [5.02, 52.02], [5.0, 52.02], [5.0, 52.0]]
            ],
        },
    ),
    {
        "type": "Feature",
        "id": "node/104",
        "properties": {
            "tags": {
                "name": "Kleermaker",
                "craft": "tailor",
                "addr:postcode": "3600",
            }
        },
        "geometry": None,
    },
    _feature(
        {
            "name": "Telefoonhersteller",
            "shop": "mobile_phone",
            "service:mobile_phone:repair": "yes",
            "service:drone:repair": "yes",
            "addr:postcode": "3511",
        }
    ),
]


def test_geojson_import(area: Area, tmp_path: Path) -> None:
    report = import_places(_geojson(tmp_path, *OSM_FEATURES))
    assert (report.source, report.created) == ("OpenStreetMap", 5)
    by_key = {p.import_key: p for p in RepairPlace.objects.all()}
    cafe = by_key["osm:node/101"]
    assert cafe.kind == "repair_cafe"
    assert sorted(cafe.categories.values_list("code", flat=True)) == [
        "clothing",
        "electronics",
    ]
    assert cafe.street == "Dorpsstraat 5a"
    assert (cafe.postcode, cafe.city) == ("3511 AB", "Stad A")
    assert cafe.website == "https://example.org/buurt"
    assert cafe.email == "buurt@example.org"
    assert cafe.last_verified == dt.date(2026, 9, 1)
    assert (cafe.lat, cafe.lon, cafe.municipality) == (52.02, 5.03, area.a)
    bikes = by_key["osm:node/102"]
    assert bikes.kind == "bicycle_repair"
    assert list(bikes.categories.values_list("code", flat=True)) == ["bicycle"]
    assert bikes.phone == "+31 30 111 1111"
    assert bikes.municipality == area.b
    shoes = by_key["osm:way/103"]
    assert shoes.kind == "shoemaker"
    assert (round(shoes.lat, 6), round(shoes.lon, 6)) == (52.01, 5.01)  # centroid
    assert shoes.opening_hours_unparsable is True
    tailor = by_key["osm:node/104"]
    assert tailor.kind == "tailor"
    assert list(tailor.categories.values_list("code", flat=True)) == ["clothing"]
    assert (tailor.lat, tailor.lon, tailor.coordinates_derived) == (52.05, 5.15, True)
    phones = by_key["OpenStreetMap|telefoonhersteller|3511"]
    assert phones.kind == "electronics_repair"
    assert sorted(phones.categories.values_list("code", flat=True)) == [
        "electronics",
        "other",
        "phone",
    ]
    assert [(w.record, w.field) for w in report.warnings] == [
        ("features[2]", "opening_hours"),
        ("features[4]", "service:drone:repair"),
    ]
    assert str(report.warnings[1]) == (
        "osm.geojson, features[4], field 'service:drone:repair': no category for "
        "repair item 'drone'; counted as other"
    )


def test_geojson_reimport_finds_places_by_their_osm_id(
    area: Area, tmp_path: Path
) -> None:
    import_places(_geojson(tmp_path, *OSM_FEATURES))
    renamed = json.loads(json.dumps(OSM_FEATURES))
    renamed[0]["properties"]["name"] = "Repair Café De Nieuwe Buurt"
    report = import_places(_geojson(tmp_path, *renamed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert RepairPlace.objects.count() == 5
    assert RepairPlace.objects.get(import_key="osm:node/101").name == (
        "Repair Café De Nieuwe Buurt"
    )


@pytest.mark.parametrize(
    ("feature", "expected"),
    [
        (
            _feature({"name": "Bakker", "shop": "bakery"}),
            "features[1]: the tags do not say what kind of repair place this is",
        ),
        (
            _feature({"name": "Fietsen", "shop": "bicycle"}),
            "features[1]: the tags do not say what kind",
        ),
        (
            _feature({"name": "X", "craft": "tailor", "addr:postcode": "35 11"}),
            "features[1], field 'addr:postcode': must be a Dutch postcode",
        ),
        (
            _feature({"name": "X", "craft": "tailor"}, (2.35, 48.85)),
            "features[1], field 'geometry': The place must lie in the Netherlands.",
        ),
        (
            _feature({"name": "X", "craft": "tailor"}, (52.02, 5.03)),
            "features[1], field 'geometry': The place must lie in the Netherlands.",
        ),
        (
            _feature({"name": "X", "kind": "bakery"}),
            "features[1], field 'kind': must be one of",
        ),
        (
            _feature({"name": "X", "craft": "tailor", "categories": "boats"}),
            "features[1], field 'categories': unknown category boats",
        ),
        (_feature({"craft": "tailor"}), "features[1], field 'name': a value is"),
        (
            _feature({"name": "X", "craft": "tailor"}, None),
            "features[1], field 'addr:postcode': Give coordinates or a postcode.",
        ),
        (
            _feature({"name": "X", "craft": "tailor"}, (200.0, 52.0)),
            "features[1], field 'geometry': coordinates outside longitude",
        ),
        (
            _feature({"name": "X", "craft": "tailor"}, None, geometry=POINTLESS),
            "features[1], field 'geometry': a Point needs [longitude, latitude]",
        ),
        (
            _feature({"name": "X", "craft": "tailor"}, None, geometry={"type": "Li"}),
            "features[1], field 'geometry': is not a valid GeoJSON geometry",
        ),
        (
            _feature({"name": "X", "craft": "tailor", "contact:email": "nee"}),
            "features[1], field 'contact:email': must be an e-mail address",
        ),
        ("not a feature", "features[1]: must be a GeoJSON Feature"),
    ],
)
def test_bad_features_are_named_and_nothing_is_written(
    area: Area, tmp_path: Path, feature: Any, expected: str
) -> None:
    with pytest.raises(DataLoadError) as exc:
        import_places(_geojson(tmp_path, OSM_FEATURES[0], feature))
    problems = _problems(exc)
    assert len(problems) == 1, problems
    assert problems[0].startswith("osm.geojson, " + expected.split(":")[0]), problems
    assert expected in problems[0], problems
    assert not RepairPlace.objects.exists()


def test_bad_geojson_files(area: Area, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(DataLoadError) as exc:
        import_places(path)
    assert _problems(exc) == ["bad.json: must be a GeoJSON FeatureCollection"]
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(DataLoadError) as exc:
        import_places(path)
    assert _problems(exc)[0].startswith("bad.json, line 1: is not valid JSON")
    with pytest.raises(DataLoadError) as exc:
        import_places(_geojson(tmp_path))
    assert _problems(exc) == ["osm.geojson: holds no features"]


def test_the_same_osm_id_twice_is_refused(area: Area, tmp_path: Path) -> None:
    with pytest.raises(DataLoadError) as exc:
        import_places(_geojson(tmp_path, OSM_FEATURES[0], OSM_FEATURES[0]))
    assert _problems(exc) == [
        "osm.geojson, features[1]: the same place as features[0] (import key "
        "'osm:node/101')"
    ]


# The command -------------------------------------------------------------------------


def test_import_command(area: Area, tmp_path: Path) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "repair_import_places",
        str(_csv(tmp_path, *GOOD_ROWS)),
        source="partner",
        stdout=out,
        stderr=err,
    )
    assert "p.csv (source partner): 3 repair places, 3 created" in out.getvalue()
    assert "warning: p.csv, line 4, field 'opening_hours'" in err.getvalue()
    with pytest.raises(CommandError) as exc:
        call_command(
            "repair_import_places",
            str(_csv(tmp_path, ROW.replace("3511 AB", "35111"))),
            stdout=out,
        )
    assert str(exc.value).startswith(
        "Nothing was imported.\np.csv, line 2, field 'postcode':"
    )


# Demo data ---------------------------------------------------------------------------


@pytest.fixture
def region(db: Any) -> None:
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data = Path(settings.DATA_DIR)
    reference_data_load(directory=data / "regions" / "nl-utrecht")
    demo_data_load(directory=data / "demo" / "nl-utrecht")


def test_demo_data_covers_every_municipality(region: None) -> None:
    from cirkelregio.regions.selectors import municipality_list

    directory = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "repair"
    report = repair_demo_load(directory=directory)
    assert report.created == report.places > 26
    places = list(RepairPlace.objects.select_related("municipality"))
    assert all(p.is_demo and p.name.startswith("Demo ") for p in places)
    assert all(p.municipality is not None for p in places)
    # Every municipality has its demo Repair Café, inside its boundary.
    for municipality in municipality_list():
        cafe = RepairPlace.objects.get(name=f"Demo Repair Café {municipality.name}")
        assert cafe.municipality == municipality
        assert cafe.kind == "repair_cafe"
    assert RepairPlace.objects.filter(coordinates_derived=True).exists()
    assert RepairPlace.objects.filter(opening_hours_unparsable=True).count() == 1
    again = repair_demo_load(directory=directory)
    assert (again.created, again.updated) == (0, 0)
