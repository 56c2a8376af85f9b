# SPDX-License-Identifier: EUPL-1.2
"""Imports are all or nothing and name the file, line or feature and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

import pytest

from cirkelregio.agricycling import services
from cirkelregio.agricycling.models import Farm, FarmCapacity, MowingParcel
from cirkelregio.agricycling.tests.conftest import write
from cirkelregio.engine.dataio import DataLoadError

LINE = "LINESTRING (5.01 52.01, 5.02 52.011)"


def _csv(rows: list[str]) -> str:
    head = (
        "external_id,name,geometry,tonnes_per_season,tonnes_per_round,"
        "rounds_per_season\n"
    )
    return head + "\n".join(rows) + "\n"


def test_a_good_csv_imports_with_centroid_and_municipality(
    agri: Any, tmp_path: Path
) -> None:
    path = write(tmp_path, "p.csv", _csv([f'B-1,Berm,"{LINE}",,10,2']))
    report = services.import_parcels(path, owner=agri.town, actor=agri.town_editor)
    assert (report.created, report.updated) == (1, 0)
    p = MowingParcel.objects.get()
    assert p.expected_tonnes == 20.0
    assert (p.centroid_lon, p.centroid_lat) == pytest.approx((5.015, 52.0105))
    assert p.municipality == agri.a
    assert p.alternative_eur_per_t == 45.0
    # Again: updated, not duplicated.
    again = services.import_parcels(path, owner=agri.town, actor=agri.town_editor)
    assert (again.created, again.updated) == (0, 1)


def test_rd_new_is_accepted(agri: Any, tmp_path: Path) -> None:
    rd = "LINESTRING (136000 455000, 136500 455200)"
    path = write(
        tmp_path,
        "p.csv",
        "external_id,name,geometry,tonnes_per_season,crs\n"
        f'B-1,Berm,"{rd}",5,EPSG:28992\n',
    )
    services.import_parcels(path, owner=agri.town, actor=None)
    p = MowingParcel.objects.get()
    assert 52.0 < p.centroid_lat < 52.2 and 5.0 < p.centroid_lon < 5.2


def test_bad_rows_are_all_named_and_nothing_is_written(
    agri: Any, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "p.csv",
        _csv(
            [
                f'B-1,Berm,"{LINE}",20,,',
                "B-2,Geen geometrie,,5,,",
                f'B-3,Negatief,"{LINE}",-3,,',
                f'B-4,Half,"{LINE}",,4,',
            ]
        ),
    )
    with pytest.raises(DataLoadError) as err:
        services.import_parcels(path, owner=agri.town, actor=None)
    text = str(err.value)
    assert "p.csv, line 3, field 'geometry': a parcel without geometry" in text
    assert "p.csv, line 4, field 'tonnes_per_season': must be at least 0" in text
    assert "p.csv, line 5, field 'rounds_per_season'" in text
    assert MowingParcel.objects.count() == 0


def test_geojson_without_geometry_and_duplicate_ids(agri: Any, tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [[5.01, 52.01], [5.02, 52.02]],
        },
        "properties": {"external_id": "X", "name": "x", "tonnes_per_season": 1},
    }
    data = {
        "type": "FeatureCollection",
        "features": [feature, feature, {**feature, "geometry": None}],
    }
    path = write(tmp_path, "p.geojson", json.dumps(data))
    with pytest.raises(DataLoadError) as err:
        services.import_parcels(path, owner=agri.board, actor=agri.board_editor)
    text = str(err.value)
    assert "feature 2, field 'external_id': 'X' appears twice" in text
    assert "feature 3, field 'geometry'" in text
    assert MowingParcel.objects.count() == 0


def test_an_editor_imports_only_their_own_parcels(agri: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.csv",
        "owner,external_id,name,geometry,tonnes_per_season\n"
        f'waterschap-x,B-1,Berm,"{LINE}",5\n',
    )
    with pytest.raises(
        DataLoadError, match="you may not import parcels of Waterschap X"
    ):
        services.import_parcels(path, actor=agri.town_editor)
    with pytest.raises(PermissionDenied):
        services.import_parcels(path, actor=agri.company_editor)
    with pytest.raises(PermissionDenied):
        services.import_parcels(path, owner=agri.board, actor=agri.town_editor)
    services.import_parcels(path, actor=agri.board_editor)
    assert MowingParcel.objects.get().owner == agri.board


def test_a_company_owns_no_mowings(agri: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.csv",
        "owner,external_id,name,geometry,tonnes_per_season\n"
        f'boer,B-1,Berm,"{LINE}",5\n',
    )
    with pytest.raises(DataLoadError, match="Boer is no owner of mowings"):
        services.import_parcels(path, actor=None)


def test_farms_capacity_zero_is_refused_and_nothing_written(
    agri: Any, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "f.csv",
        "name,lat,lon,capacity_t,is_member\nHoeve A,52.05,5.05,40,true\n"
        "Hoeve B,52.06,5.06,0,false\nHoeve C,52.07,,10,\n",
    )
    with pytest.raises(DataLoadError) as err:
        services.import_farms(path, season=agri.season, actor=agri.coordinator)
    text = str(err.value)
    assert "f.csv, line 3, field 'capacity_t': must be more than 0 t (got 0)" in text
    assert "f.csv, line 4, field 'lon': a value is required" in text
    assert Farm.objects.count() == 0


def test_farms_import_for_coordinators_only(agri: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "name,lat,lon,capacity_t\nHoeve A,52.05,5.05,40\n")
    with pytest.raises(PermissionDenied):
        services.import_farms(path, season=agri.season, actor=agri.town_editor)
    report = services.import_farms(path, season=agri.season, actor=agri.coordinator)
    assert report.created == 1
    farm = Farm.objects.get()
    assert farm.is_member and farm.municipality == agri.a
    assert FarmCapacity.objects.get().capacity_t == 40
