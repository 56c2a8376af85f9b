# SPDX-License-Identifier: EUPL-1.2
"""The roads admin: road managers see only their own authority's sections; the
section's history (audit log) records an import's change."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from cirkelregio.roads import services
from cirkelregio.roads.models import RoadSection
from cirkelregio.roads.tests.conftest import Roads, write
from cirkelregio.roads.tests.test_imports import SECTIONS


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_section_admin_scoped_and_history(roads: Roads, tmp_path: Path) -> None:
    services.import_sections(write(tmp_path, "s.csv", SECTIONS), authority=roads.town)
    services.import_sections(
        write(tmp_path, "s.csv", SECTIONS.replace("Demo Ring", "Demo Singel")),
        authority=roads.town,
    )
    section = RoadSection.objects.get(external_id="W2")
    base = "/admin/roads/roadsection/"
    town = _client(roads.town_editor)
    assert "Demo Singel" in town.get(base, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert town.get(f"{base}{section.pk}/change/").status_code == 200
    other = _client(roads.province_editor)
    assert "Demo Singel" not in other.get(base).content.decode()
    assert other.get(f"{base}{section.pk}/change/").status_code == 302
    assert _client(roads.company_editor).get(base).status_code == 403
    history = _client(roads.coordinator).get(f"{base}{section.pk}/auditlog/")
    assert history.status_code == 200
    assert "Demo Singel" in history.content.decode()
