# SPDX-License-Identifier: EUPL-1.2
"""A tiny world for the craft-centres tests, small enough to compute by hand.

Two municipalities: M1 (GM9001, 3,000 inhabitants in two PC4 areas, no bulky-waste
figure of its own, so the CBS 2021 default of 146 kg applies) and M2 (GM9002,
1,000 inhabitants in one PC4 area, an entered figure of 200 kg per inhabitant in
2021). PC4 areas: 9001 at (52.0, 5.0) with 1,000 inhabitants and 9002 at (52.0,
5.1) with 2,000, both in M1; 9003 at (52.2, 5.1) with 1,000 in M2. Candidate sites
A at 9001 (M1) and B at 9003 (M2). The municipal organisation of M1 with its
editor, an organisation elsewhere with its editor, and a coordinator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import translation

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.craftcentres.models import CentreSite, FigureSource
from cirkelregio.craftcentres.services import figure_set, site_create
from cirkelregio.regions.models import Municipality, Postcode
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class World:
    m1: Municipality
    m2: Municipality
    a: CentreSite
    b: CentreSite
    editor_m1: User
    editor_other: User
    coordinator: User

    def users(self) -> dict[str, Any]:
        return {
            "anonymous": None,
            "editor_other": self.editor_other,
            "editor_m1": self.editor_m1,
            "coordinator": self.coordinator,
        }


@pytest.fixture
def world(db: Any) -> World:
    m1 = MunicipalityFactory(
        cbs_code="GM9001", name="Eerstedorp", slug="eerstedorp", population=3000
    )
    m2 = MunicipalityFactory(
        cbs_code="GM9002", name="Tweestad", slug="tweestad", population=1000
    )
    for code, lat, lon, population, m in (
        ("9001", 52.0, 5.0, 1000, m1),
        ("9002", 52.0, 5.1, 2000, m1),
        ("9003", 52.2, 5.1, 1000, m2),
    ):
        Postcode.objects.create(
            code=code, lat=lat, lon=lon, population=population, municipality=m
        )
    figure_set(
        actor=None,
        municipality=m2,
        year=2021,
        kg_per_inhabitant=200.0,
        source_kind=FigureSource.ENTERED,
        source="test figure",
    )
    a = site_create(actor=None, name="A", municipality=m1, postcode="9001")
    b = site_create(actor=None, name="B", municipality=m2, lat=52.2, lon=5.1)
    org_m1 = OrganisationFactory(
        slug="gemeente-eerstedorp", kind="municipality", municipality=m1
    )
    org_other = OrganisationFactory(slug="bedrijf", name="Bedrijf")
    return World(
        m1=m1,
        m2=m2,
        a=a,
        b=b,
        editor_m1=EditorFactory(organisation=org_m1),
        editor_other=EditorFactory(organisation=org_other),
        coordinator=CoordinatorFactory(),
    )


def scenario_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Test",
        "model": "p-median",
        "p_values": [1, 2],
        "coverage_km": 10.0,
        "detour_factor": 1.0,
        "reusable_percent": 10.0,
        "reusable_source": "assumption for the test",
        "year": 2021,
    }
    values.update(overrides)
    return values
