# SPDX-License-Identifier: EUPL-1.2
"""The MKI admin: coordinators see everything, editors their own organisation's
projects, and saves go through the services."""

from __future__ import annotations

from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.mki.models import Project
from cirkelregio.mki.tests.factories import (
    BidFactory,
    BillLineFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "profilelibrary",
    "profile",
    "project",
    "variant",
    "element",
    "billline",
    "calculationresult",
    "tender",
    "bid",
]


def test_coordinator_opens_every_page() -> None:
    line = BillLineFactory()
    BidFactory(tender__project=line.element.variant.project)
    client = Client()
    client.force_login(CoordinatorFactory())
    for page in PAGES:
        response = client.get(f"/admin/mki/{page}/")
        assert response.status_code == 200, page
    project = line.element.variant.project
    assert client.get(f"/admin/mki/project/{project.pk}/change/").status_code == 200


def test_editor_sees_and_changes_own_projects_only() -> None:
    own = ProjectFactory(name="Eigen project")
    other = ProjectFactory(name="Ander project")
    editor = EditorFactory(organisation=own.owner)
    client = Client()
    client.force_login(editor)
    listing = client.get("/admin/mki/project/").content.decode()
    assert "Eigen project" in listing and "Ander project" not in listing
    assert client.get(f"/admin/mki/project/{other.pk}/change/").status_code == 302
    data = {
        "name": "Eigen project (nieuw)",
        "owner": own.owner.pk,
        "municipality": own.municipality.pk,
        "year": 2026,
        "phase": "design",
        "description": "",
        "reference_period": 50,
        "replacement_rule": "ceil",
        "is_published": "on",
    }
    response = client.post(f"/admin/mki/project/{own.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Project.objects.get(pk=own.pk).name == "Eigen project (nieuw)"
