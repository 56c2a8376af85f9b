# SPDX-License-Identifier: EUPL-1.2
"""The admin: coordinators see every project, a municipality's editor only that
municipality's; the material catalogue is read-only (it comes from the data file)."""

from __future__ import annotations

from django.test import Client

from cirkelregio.biobased.models import InsulationProject
from cirkelregio.biobased.services import project_create
from cirkelregio.biobased.tests.conftest import World

URL = "/en/admin/biobased/"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_who_sees_which_projects_and_materials(world: World) -> None:
    for municipality in (world.m1, world.m2):
        project_create(
            actor=None,
            municipality=municipality,
            year=2025,
            homes=3,
            area_m2=90,
            material="straw_blown",
            source_channel="energy_desk",
        )
    own = InsulationProject.objects.get(municipality=world.m2)
    coordinator = _client(world.coordinator)
    assert coordinator.get(URL + "insulationproject/").context["cl"].result_count == 2
    editor = _client(world.editor_m1)
    listed = editor.get(URL + "insulationproject/")
    assert listed.context["cl"].result_count == 1
    assert editor.get(f"{URL}insulationproject/{own.pk}/change/").status_code in (
        302,
        403,
        404,
    )
    assert coordinator.get(URL + "insulationmaterial/add/").status_code == 403
    assert coordinator.get(URL + "insulationmaterial/").status_code == 200


def test_a_project_added_in_the_admin_goes_through_the_service(world: World) -> None:
    response = _client(world.editor_m1).post(
        URL + "insulationproject/add/",
        {
            "municipality": world.m1.pk,
            "year": 2025,
            "homes": -1,
            "area_m2": 50,
            "material": world.bio.pk,
            "source_channel": "company",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not InsulationProject.objects.exists()
