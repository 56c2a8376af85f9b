# SPDX-License-Identifier: EUPL-1.2
"""The roads pages under /wegen/ with the real reference data and the roads demo
data: who may open which page (the public, a member without a role, a road manager
of another authority, a road manager of the section's own authority, a coordinator),
what the pages show (the demo bundle of 2027, the tar-containing layers, the
released tonnes, the history for road managers) and the imports, all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.regions.tests.factories import OrganisationFactory
from cirkelregio.roads import selectors, services

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "roads"


@dataclass
class Site:
    users: dict[str, User | None]
    province: Any

    def client(self, who: str) -> Client:
        client = Client()
        user = self.users[who]
        if user is not None:
            client.force_login(user)
        return client

    def section(self, external_id: str) -> Any:
        return selectors.section_list(user=self.users["coordinator"]).get(
            external_id=external_id
        )


@pytest.fixture
def site(reference_data: Any) -> Site:
    services.roads_demo_load(directory=DEMO)
    town = region_selectors.organisation_list().get(slug="gemeente-utrecht")
    province = region_selectors.organisation_list().get(slug="provincie-utrecht")
    water_board = OrganisationFactory(
        slug="waterschap-x", name="Waterschap X", kind="water_board"
    )
    return Site(
        users={
            "anonymous": None,
            "member": UserFactory(organisation=town),
            "other manager": EditorFactory(organisation=water_board),
            "own manager": EditorFactory(organisation=town),
            "coordinator": CoordinatorFactory(),
        },
        province=province,
    )


PUBLIC_PAGES = [
    "/wegen/",
    "/wegen/?wegbeheerder=gemeente-utrecht&wegtype=distributor_road",
    "/wegen/werken/?jaar=2027",
    "/wegen/bundels/?jaar=2027&afstand=500",
    "/wegen/export/",
]
EVERYONE = ["anonymous", "member", "other manager", "own manager", "coordinator"]


@pytest.mark.parametrize("who", EVERYONE)
def test_the_public_pages_open_for_everyone(site: Site, who: str) -> None:
    client = site.client(who)
    section = site.section("DEMO-U-001")
    for path in [*PUBLIC_PAGES, f"/wegen/{section.pk}/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'href="/wegen/"' in response.content.decode(), "navigation entry"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("other manager", 200),
        ("own manager", 200),
        ("coordinator", 200),
    ],
)
def test_the_import_page_is_for_road_managers_and_coordinators(
    site: Site, who: str, status: int
) -> None:
    response = site.client(who).get("/wegen/importeren/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    ("who", "history"),
    [
        ("anonymous", False),
        ("member", False),
        ("other manager", False),
        ("own manager", True),
        ("coordinator", True),
    ],
)
def test_the_history_of_a_section_is_for_its_road_managers(
    site: Site, who: str, history: bool
) -> None:
    section = site.section("DEMO-U-001")
    body = site.client(who).get(f"/en/wegen/{section.pk}/").content.decode()
    assert ("History of changes" in body) is history


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("member", 404),
        ("other manager", 404),
        ("own manager", 404),  # the town's manager; the section is the province's
        ("coordinator", 200),
    ],
)
def test_a_section_of_an_unpublished_authority_is_hidden(
    site: Site, who: str, status: int
) -> None:
    section = site.section("DEMO-P-N901-1")
    site.province.is_published = False
    site.province.save()
    assert site.client(who).get(f"/wegen/{section.pk}/").status_code == status
    overview = site.client(who).get("/en/wegen/").content.decode()
    assert ("DEMO-P-N901-1" in overview) is (status == 200)


def test_the_province_manager_sees_the_unpublished_province(site: Site) -> None:
    section = site.section("DEMO-P-N901-1")
    site.province.is_published = False
    site.province.save()
    client = Client()
    client.force_login(EditorFactory(organisation=site.province))
    response = client.get(f"/en/wegen/{section.pk}/")
    assert response.status_code == 200
    assert "History of changes" in response.content.decode()


def test_the_section_page_shows_the_passport_and_marks_tar(site: Site) -> None:
    section = site.section("DEMO-U-001")
    body = site.client("anonymous").get(f"/en/wegen/{section.pk}/").content.decode()
    # Layer 3 of the demo passport: AC 22 base with PAK-10 420 mg/kg.
    assert body.count("Tar-containing: hazardous waste (EURAL 17 03 01*)") == 1
    assert "PAK-10 420 mg/kg" in body
    assert "Tar-free, offered for reuse" in body
    assert "DEMO-U-2027-01" in body
    assert "New layer 2: AC 16 bin with 60 % reclaimed asphalt" in body


def test_the_section_page_shows_the_released_tonnes(site: Site) -> None:
    # DEMO-P-N901-1 loses 50 mm of PA 16 (2.0 t/m3) over 4500 m2: 450 t, tar-free.
    section = site.section("DEMO-P-N901-1")
    body = site.client("anonymous").get(f"/en/wegen/{section.pk}/").content.decode()
    assert "Removed layer 1: PA 16, 450 t" in body


def test_the_bundle_page_shows_the_demo_bundle(site: Site) -> None:
    response = site.client("anonymous").get("/en/wegen/bundels/?jaar=2027&afstand=500")
    body = response.content.decode()
    assert "1 bundle" in body
    assert "Bundle 1" in body
    assert "1 June 2027 – 30 September 2027" in body
    assert "PA 16: 450 t" in body
    for work in ("DEMO-U-2027-01", "DEMO-P-2027-01", "DEMO-P-2027-02"):
        assert work in body
    assert "within 500 m" in body
    data = json.loads(
        body.split('id="bundles-map-data" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    bundled = [f for f in data["features"] if f["properties"].get("bundle") == 1]
    pairs = [f for f in data["features"] if f["properties"].get("pair")]
    assert len(bundled) == 3 and len(pairs) == 2


def test_a_smaller_distance_and_other_years_show_no_bundle(site: Site) -> None:
    client = site.client("anonymous")
    small = client.get("/en/wegen/bundels/?jaar=2027&afstand=100").content.decode()
    assert "0 bundles" in small and "3 works without a partner" in small
    later = client.get("/en/wegen/bundels/?jaar=2028").content.decode()
    assert "0 bundles" in later and "DEMO-U-2028-01" in later


def test_bad_filter_values_are_named(site: Site) -> None:
    body = (
        site.client("anonymous")
        .get("/en/wegen/bundels/?jaar=twee&afstand=ver")
        .content.decode()
    )
    assert "Enter a year, e.g. 2027." in body
    assert "Enter a distance from 0 to 10000 m." in body
    assert 'aria-invalid="true"' in body


def test_the_works_page_lists_the_works_of_the_year(site: Site) -> None:
    body = site.client("anonymous").get("/en/wegen/werken/?jaar=2027").content.decode()
    assert "3 works" in body
    assert "DEMO-U-2028-01" not in body


def test_the_overview_filters_by_authority_and_road_type(site: Site) -> None:
    client = site.client("anonymous")
    body = client.get("/en/wegen/?wegbeheerder=provincie-utrecht").content.decode()
    assert "2 road sections" in body and "DEMO-U-001" not in body
    body = client.get("/en/wegen/?wegtype=cycle_path").content.decode()
    assert "1 road section" in body and "DEMO-P-N901-FP" in body


def test_the_downloads_hold_the_public_data(site: Site) -> None:
    client = site.client("anonymous")
    sections = client.get("/wegen/export/wegvakken.geojson")
    assert sections.status_code == 200
    assert sections["Content-Type"].startswith("application/geo+json")
    assert len(json.loads(sections.content)["features"]) == 5
    works = client.get("/wegen/export/werken.csv").content.decode()
    assert works.startswith("authority,external_id,section")
    assert "DEMO-U-2028-01" in works
    assert "DEMO-U-001" in client.get("/wegen/export/wegvakken.csv").content.decode()
    assert "AC 22 base" in client.get("/wegen/export/paspoorten.csv").content.decode()
    assert client.get("/wegen/export/elders.csv").status_code == 404


SECTION_ROWS = (
    "external_id,name,road_type,area_m2,geometry\n"
    "T-1,Teststraat,residential_street,700,"
    '"LINESTRING (5.12 52.09, 5.121 52.091)"\n'
)


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _count(site: Site) -> int:
    return selectors.section_list(user=site.users["coordinator"]).count()


def test_an_import_with_a_bad_row_writes_nothing_and_lists_the_problems(
    site: Site,
) -> None:
    before = _count(site)
    bad = SECTION_ROWS + "T-2,Kapotstraat,snelweg,300,POINT (5.12 52.09)\n"
    response = site.client("own manager").post(
        "/en/wegen/importeren/",
        {
            "kind": "sections",
            "authority": "gemeente-utrecht",
            "crs": "EPSG:4326",
            "file": _upload("wegvakken.csv", bad),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="cr-error-summary" role="alert"' in body
    assert "Nothing was imported" in body
    assert "wegvakken.csv" in body and "road_type" in body
    assert '<td class="utrecht-table__cell cr-num">3</td>' in body  # line 3
    assert _count(site) == before


def test_a_good_import_is_saved_and_reported(site: Site) -> None:
    before = _count(site)
    response = site.client("own manager").post(
        "/en/wegen/importeren/",
        {
            "kind": "sections",
            "authority": "gemeente-utrecht",
            "crs": "EPSG:4326",
            "file": _upload("wegvakken.csv", SECTION_ROWS),
        },
    )
    assert response.status_code == 200
    assert "wegvakken.csv imported: 1 records, 1 new" in response.content.decode()
    assert _count(site) == before + 1


def test_a_road_manager_cannot_import_for_another_authority(site: Site) -> None:
    before = _count(site)
    response = site.client("other manager").post(
        "/en/wegen/importeren/",
        {
            "kind": "sections",
            "authority": "gemeente-utrecht",
            "crs": "EPSG:4326",
            "file": _upload("wegvakken.csv", SECTION_ROWS),
        },
    )
    assert response.status_code == 200
    assert "Choose one of the road authorities." in response.content.decode()
    assert _count(site) == before


def test_the_import_needs_a_csrf_token(site: Site) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(site.users["own manager"])
    response = client.post(
        "/wegen/importeren/",
        {"kind": "sections", "file": _upload("wegvakken.csv", SECTION_ROWS)},
    )
    assert response.status_code == 403


def test_a_member_cannot_post_an_import(site: Site) -> None:
    response = site.client("member").post(
        "/wegen/importeren/",
        {"kind": "sections", "file": _upload("wegvakken.csv", SECTION_ROWS)},
    )
    assert response.status_code == 403


def test_the_history_lists_the_imports_of_the_section_passport_and_work(
    site: Site,
) -> None:
    section = site.section("DEMO-U-001")
    history = selectors.section_history(section=section, user=site.users["own manager"])
    # The demo import created the section, its passport with four layers, and the
    # work DEMO-U-2027-01 with two new layers: nine records, each once.
    assert [e.action for e in history] == [0] * 9
    assert selectors.section_history(section=section, user=site.users["member"]) == []
    body = site.client("own manager").get(f"/en/wegen/{section.pk}/").content.decode()
    assert body.count("system (import or command)") == 9
