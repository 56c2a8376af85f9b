# SPDX-License-Identifier: EUPL-1.2
"""The roads API: reads for everyone, filters, the released materials of a work
(hand-computed tonnes), imports for road managers of their own authority only, and
the demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from rest_framework.test import APIClient

from cirkelregio.regions.tests.factories import OrganisationFactory
from cirkelregio.roads import services
from cirkelregio.roads.models import MaintenanceWork, RoadSection
from cirkelregio.roads.tests.conftest import Roads, write
from cirkelregio.roads.tests.test_imports import PASSPORTS, SECTIONS, WORKS

API = "/api/v1/roads/"


@pytest.fixture
def loaded(roads: Roads, tmp_path: Path) -> Roads:
    services.import_sections(write(tmp_path, "s.csv", SECTIONS), authority=roads.town)
    services.import_passports(write(tmp_path, "p.csv", PASSPORTS), authority=roads.town)
    reconstruction = WORKS + (
        "P2,W1,2028-01-01,2028-06-30,full_reconstruction,,,planned,1,AC 16 surf,40,30,"
        "\n"
    )
    services.import_works(
        write(tmp_path, "w.csv", reconstruction), authority=roads.town
    )
    return roads


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_sections_public_with_filters(loaded: Roads) -> None:
    body = _client().get(API + "sections/").json()
    assert [s["external_id"] for s in body["results"]] == ["W1", "W2"]
    by_municipality = (
        _client().get(API + "sections/", {"municipality": "GM9001"}).json()
    )
    assert [s["external_id"] for s in by_municipality["results"]] == ["W1"]
    assert (
        _client().get(API + "sections/", {"authority": "provincie-x"}).json()["count"]
        == 0
    )
    # The RD New polygon lies near Amersfoort (5.387 E, 52.155 N).
    box = _client().get(API + "sections/", {"bbox": "5.38,52.15,5.39,52.16"}).json()
    assert [s["external_id"] for s in box["results"]] == ["W2"]
    bad = _client().get(API + "sections/", {"bbox": "5.39,52.15"})
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["invalid_params"][0]["name"] == "bbox"


def test_unpublished_authority_hidden_from_public(loaded: Roads) -> None:
    loaded.town.is_published = False
    loaded.town.save()
    assert _client().get(API + "sections/").json()["count"] == 0
    assert _client(loaded.town_editor).get(API + "sections/").json()["count"] == 2
    assert _client(loaded.coordinator).get(API + "sections/").json()["count"] == 2


def test_section_passports(loaded: Roads) -> None:
    section = RoadSection.objects.get(external_id="W1")
    body = _client().get(f"{API}sections/{section.pk}/passports/").json()
    assert [layer["mixture"] for layer in body[0]["layers"]] == [
        "PA 16",
        "AC 16 bin",
        "AC 22 base",
    ]
    assert body[0]["layers"][2]["tar_containing"] is True


def test_works_filter_by_authority_and_year(loaded: Roads) -> None:
    def ids(params: dict[str, Any]) -> list[str]:
        return [
            w["external_id"]
            for w in _client().get(API + "works/", params).json()["results"]
        ]

    assert ids({"year": 2027}) == ["P1"]
    assert ids({"year": 2028}) == ["P2"]
    assert ids({"year": 2026}) == []
    assert ids({"authority": "gemeente-a"}) == ["P1", "P2"]
    assert ids({"authority": "provincie-x"}) == []


def test_released_materials_milling_hand_computed(loaded: Roads) -> None:
    work = MaintenanceWork.objects.get(external_id="P1")
    body = _client().get(f"{API}works/{work.pk}/released-materials/").json()
    # Milling 50 mm of 1,000 m2 takes the PA 16 top layer: 1000 x 0.050 x 2.0 t/m3
    # (the catalogue's sourced density of PA) = 100 t, tar-free, offered.
    (line,) = body["released"]
    assert (line["mixture"], line["thickness_mm"], line["tonnes"]) == (
        "PA 16",
        50,
        100.0,
    )
    assert (line["eural"], line["offered"], line["hazardous"]) == (
        "17 03 02",
        True,
        False,
    )
    assert body["complete"] is True
    assert body["offered_tonnes"] == pytest.approx(100.0)
    assert body["needed_tonnes"] == pytest.approx(100.0)
    assert body["needed_reclaimed_tonnes"] == 0


def test_full_reconstruction_tar_never_offered_and_missing_density_refused(
    loaded: Roads,
) -> None:
    work = MaintenanceWork.objects.get(external_id="P2")
    body = _client().get(f"{API}works/{work.pk}/released-materials/").json()
    released = {line["mixture"]: line for line in body["released"]}
    assert set(released) == {"PA 16", "AC 16 bin", "AC 22 base"}
    tar = released["AC 22 base"]
    assert tar["tar_containing"] and tar["hazardous"] and not tar["offered"]
    assert tar["eural"] == "17 03 01*"
    # AC has no verified density in the catalogue: no tonnes, no totals.
    assert tar["tonnes"] is None and "no verified density" in tar["error"]
    assert released["PA 16"]["tonnes"] == pytest.approx(100.0)
    assert body["complete"] is False and body["released_tonnes"] is None


def test_mixtures_listed(loaded: Roads) -> None:
    body = _client().get(API + "mixtures/").json()
    codes = {m["code"]: m for m in body}
    assert {
        "AC 11 surf",
        "AC 16 bin",
        "AC 22 base",
        "SMA-NL 8",
        "PA 8",
        "PA 16",
    } <= set(codes)
    assert (
        codes["PA 16"]["density_t_per_m3"] == 2.0 and codes["PA 16"]["density_source"]
    )
    assert codes["AC 16 bin"]["density_t_per_m3"] is None


# Imports and permissions -----------------------------------------------------------


def _upload(client: APIClient, kind: str, text: str, **data: Any) -> Any:
    file = SimpleUploadedFile(f"{kind}.csv", text.encode(), content_type="text/csv")
    return client.post(
        f"{API}import/{kind}/", {"file": file, **data}, format="multipart"
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 403),
        ("member", 403),
        ("company_editor", 403),
        ("province_editor", 403),
        ("town_editor", 200),
        ("coordinator", 200),
    ],
)
def test_import_sections_permissions(
    roads: Roads, who: str | None, status: int
) -> None:
    user = getattr(roads, who) if who else None
    response = _upload(_client(user), "sections", SECTIONS, authority="gemeente-a")
    assert response.status_code == status, response.content
    assert RoadSection.objects.count() == (2 if status == 200 else 0)


@pytest.mark.parametrize("kind", ["passports", "works"])
def test_import_other_authority_rows_refused(loaded: Roads, kind: str) -> None:
    text = PASSPORTS if kind == "passports" else WORKS
    response = _upload(
        _client(loaded.province_editor), kind, text, authority="gemeente-a"
    )
    assert response.status_code == 403
    # Without an authority, each row's authority column (here: the default) is
    # checked: the province's editor may not write the town's records.
    text = "authority," + text.replace("\nW1", "\ngemeente-a,W1").replace(
        "\nP1", "\ngemeente-a,P1"
    )
    response = _upload(_client(loaded.province_editor), kind, text)
    assert response.status_code == 400
    assert (
        "you may not import data of 'gemeente-a'"
        in response.json()["problems"][0]["message"]
    )


def test_import_problem_details_list_rows_and_nothing_written(roads: Roads) -> None:
    text = SECTIONS + 'W3,Demo,,rural_road,500,,"LINESTRING (52.05 5.02, 52.06 5.02)"\n'
    response = _upload(
        _client(roads.town_editor), "sections", text, authority="gemeente-a"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (
        body["problems"][0]["line"] == 4 and body["problems"][0]["field"] == "geometry"
    )
    assert "outside the Netherlands" in body["invalid_params"][0]["reason"]
    assert not RoadSection.objects.exists()


def test_import_rd_new_option(roads: Roads) -> None:
    text = (
        "external_id,name,road_type,geometry\n"
        'A1,Demo,rural_road,"POLYGON ((155000 463000, 155010 463000, 155010 463010, '
        '155000 463000))"\n'
    )
    response = _upload(
        _client(roads.coordinator),
        "sections",
        text,
        authority="gemeente-a",
        crs="EPSG:28992",
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    assert RoadSection.objects.get().area_m2 == pytest.approx(50.0, abs=0.01)


def test_reads_refuse_writes(loaded: Roads) -> None:
    section = RoadSection.objects.first()
    assert section is not None
    client = _client(loaded.town_editor)
    assert client.delete(f"{API}sections/{section.pk}/").status_code == 405
    assert client.post(API + "works/", {}).status_code == 405


def test_demo_data_loads_twice_unchanged(db: Any) -> None:
    OrganisationFactory(
        slug="gemeente-utrecht", name="Gemeente Utrecht", kind="municipality"
    )
    OrganisationFactory(
        slug="provincie-utrecht", name="Provincie Utrecht", kind="province"
    )
    directory = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "roads"
    first = services.roads_demo_load(directory=directory)
    # Five sections, each with a passport and a work (DEMO-U-2026-01 on DEMO-U-003,
    # the overlay of 2026 for the Regiomonitor, is the fifth).
    assert (first.sections.created, first.passports.created, first.works.created) == (
        5,
        5,
        5,
    )
    assert all(
        s.is_demo and s.name.startswith("Demo") for s in RoadSection.objects.all()
    )
    again = services.roads_demo_load(directory=directory)
    assert again.sections.unchanged == 5
    assert RoadSection.objects.count() == 5 and MaintenanceWork.objects.count() == 5
