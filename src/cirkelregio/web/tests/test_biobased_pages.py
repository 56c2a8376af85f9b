# SPDX-License-Identifier: EUPL-1.2
"""The biobased-insulation pages with the real reference data, the material
catalogue and the demo projects: the public reads the progress and the municipality
section; only coordinators and a municipality's own editors import, all or nothing,
with a CSRF token."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.biobased import selectors, services
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.regions.tests.factories import OrganisationFactory

DATA = Path(settings.DATA_DIR)
HEADER = ",".join(services.COLUMNS)


@dataclass
class Site:
    users: dict[str, User | None]

    def client(self, who: str) -> Client:
        client = Client()
        user = self.users[who]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def site(reference_data: Any) -> Site:
    services.materials_load(path=DATA / "biobased" / "materials.csv")
    services.biobased_demo_load(directory=DATA / "demo" / "nl-utrecht" / "biobased")
    utrecht = region_selectors.municipality_get(slug="utrecht")
    own = region_selectors.organisation_list().get(
        kind="municipality", municipality=utrecht
    )
    company = OrganisationFactory(
        slug="isolatiebedrijf", kind="company", municipality=utrecht
    )
    return Site(
        users={
            "anonymous": None,
            "member": UserFactory(),
            "company editor": EditorFactory(organisation=company),
            "utrecht editor": EditorFactory(organisation=own),
            "coordinator": CoordinatorFactory(),
        }
    )


def _upload(name: str, *rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, ("\n".join([HEADER, *rows]) + "\n").encode(), content_type="text/csv"
    )


@pytest.mark.parametrize(
    "who", ["anonymous", "member", "company editor", "utrecht editor", "coordinator"]
)
def test_everyone_reads_the_progress_and_the_municipality_section(
    site: Site, who: str
) -> None:
    client = site.client(who)
    page = client.get("/en/biobased-isoleren/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Biobased insulation" in text
    assert "demo data" in text
    assert "Amersfoort" in text and "Zeist" in text
    assert "ten minste 30%" in text  # the target with its source
    can_import = who in ("utrecht editor", "coordinator")
    assert ("/en/biobased-isoleren/importeren/" in text) is can_import
    municipality = client.get("/en/gemeenten/utrecht/")
    assert municipality.status_code == 200
    assert "Biobased insulation in Utrecht" in municipality.content.decode()


def test_the_page_shows_the_selector_figures(site: Site) -> None:
    report = selectors.progress_report(basis="homes")
    page = Client().get("/en/biobased-isoleren/?basis=homes")
    text = page.content.decode()
    assert page.context["total"].meeting_share == report.total.meeting_share
    assert f"{report.total.meeting_share:.1f} %" in text
    assert [r.year for r in page.context["report"].years] == [2022, 2023, 2024, 2025]


def test_the_municipality_table_sorts(site: Site) -> None:
    page = Client().get("/en/biobased-isoleren/?sort=co2&order=desc")
    values = [r.progress.co2_stored_kg for r in page.context["rows"]]
    assert values == sorted(values, reverse=True)
    assert 'aria-sort="descending"' in page.content.decode()
    by_name = Client().get("/en/biobased-isoleren/?sort=bogus")
    names = [r.municipality.name for r in by_name.context["rows"]]
    assert names == sorted(names, key=str.lower)


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("company editor", 403), ("utrecht editor", 200)],
)
def test_the_import_page_is_for_reporters(site: Site, who: str, status: int) -> None:
    assert site.client(who).get("/biobased-isoleren/importeren/").status_code == status
    assert (
        site.client("coordinator").get("/biobased-isoleren/importeren/").status_code
        == 200
    )


def test_the_import_page_asks_the_anonymous_to_sign_in(site: Site) -> None:
    response = Client().get("/biobased-isoleren/importeren/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    post = Client().post(
        "/biobased-isoleren/importeren/",
        {"file": _upload("p.csv", "GM0344,2025,1,10,eps,company,,,,")},
    )
    assert post.status_code == 302


def test_a_bad_row_imports_nothing_and_is_listed(site: Site) -> None:
    before = selectors.project_list().count()
    response = site.client("utrecht editor").post(
        "/en/biobased-isoleren/importeren/",
        {
            "file": _upload(
                "p.csv",
                "GM0344,2025,10,500,straw_blown,energy_desk,,,,",
                "GM0344,2025,-1,500,straw_blown,energy_desk,,,,",
                "GM0307,2025,1,50,eps,company,,,,",
            )
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 2 problems" in text
    assert "must be at least 0" in text
    assert "you may not report projects for Amersfoort" in text
    assert selectors.project_list().count() == before


def test_a_good_import_is_saved_and_reported(site: Site) -> None:
    before = selectors.project_list().count()
    response = site.client("utrecht editor").post(
        "/en/biobased-isoleren/importeren/",
        {"file": _upload("p.csv", "GM0344,2025,10,500,straw_blown,energy_desk,,,,")},
    )
    assert "p.csv imported: 1 projects, 1 new" in response.content.decode()
    assert selectors.project_list().count() == before + 1


def test_the_import_needs_a_csrf_token_and_a_file(site: Site) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(site.users["coordinator"])
    response = client.post(
        "/biobased-isoleren/importeren/",
        {"file": _upload("p.csv", "GM0344,2025,10,500,eps,energy_desk,,,,")},
    )
    assert response.status_code == 403
    empty = site.client("coordinator").post("/en/biobased-isoleren/importeren/", {})
    assert "Choose a file." in empty.content.decode()


def test_a_member_cannot_post_an_import(site: Site) -> None:
    response = site.client("member").post(
        "/biobased-isoleren/importeren/",
        {"file": _upload("p.csv", "GM0344,2025,10,500,eps,energy_desk,,,,")},
    )
    assert response.status_code == 403
