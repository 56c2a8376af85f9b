# SPDX-License-Identifier: EUPL-1.2
"""A small world for the biobased tests: two municipalities, the municipal
organisation of M1 with its editor, an organisation without a municipality with its
editor, a coordinator; the material catalogue of ``data/biobased/materials.csv``
plus two test materials with round figures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.biobased.models import InsulationMaterial
from cirkelregio.biobased.services import materials_load
from cirkelregio.regions.models import Municipality
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory

MATERIALS = Path(settings.DATA_DIR) / "biobased" / "materials.csv"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class World:
    m1: Municipality
    m2: Municipality
    editor_m1: User
    editor_other: User
    coordinator: User
    bio: InsulationMaterial
    mineral: InsulationMaterial

    def users(self) -> dict[str, Any]:
        return {
            "anonymous": None,
            "editor_other": self.editor_other,
            "editor_m1": self.editor_m1,
            "coordinator": self.coordinator,
        }


@pytest.fixture
def world(db: Any) -> World:
    materials_load(path=MATERIALS)
    m1 = MunicipalityFactory(cbs_code="GM9001", name="Eerstedorp", slug="eerstedorp")
    m2 = MunicipalityFactory(cbs_code="GM9002", name="Tweestad", slug="tweestad")
    org_m1 = OrganisationFactory(
        slug="gemeente-eerstedorp", kind="municipality", municipality=m1
    )
    org_other = OrganisationFactory(slug="bedrijf", name="Bedrijf")
    bio = InsulationMaterial.objects.create(
        code="test_bio",
        name_nl="Testvezel",
        biobased_share=60,
        biobased_share_source="test",
        biogenic_co2_per_kg=1.5,
        biogenic_co2_source="test",
        density_kg_m3=50,
        density_source="test",
    )
    mineral = InsulationMaterial.objects.create(
        code="test_mineral",
        name_nl="Testmineraal",
        biobased_share=0,
        biobased_share_source="test",
        biogenic_co2_per_kg=0,
        biogenic_co2_source="test",
    )
    return World(
        m1=m1,
        m2=m2,
        editor_m1=EditorFactory(organisation=org_m1),
        editor_other=EditorFactory(organisation=org_other),
        coordinator=CoordinatorFactory(),
        bio=bio,
        mineral=mineral,
    )
