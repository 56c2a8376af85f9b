# SPDX-License-Identifier: EUPL-1.2
"""A small region for the repair tests.

Municipality A is the square 5.0-5.1 E, 52.0-52.1 N; B the square east of it
(5.1-5.2 E). Postcode areas: 3511 (centroid 52.05, 5.05, in A), 3600 (52.05, 5.15,
in B) and 9999 (53.2, 6.5, in no municipality of the region). Organisations A and B
each have an editor; there is a coordinator and a user without a role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import translation

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.regions.models import Municipality, Organisation, Postcode
from cirkelregio.regions.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
)

SQUARE_B = {
    "type": "Polygon",
    "coordinates": [[[5.1, 52.0], [5.2, 52.0], [5.2, 52.1], [5.1, 52.1], [5.1, 52.0]]],
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class Area:
    a: Municipality
    b: Municipality
    org_a: Organisation
    org_b: Organisation
    editor_a: User
    editor_b: User
    coordinator: User
    member: User


@pytest.fixture
def area(db: Any) -> Area:
    a = MunicipalityFactory(cbs_code="GM9001", name="Gemeente A", slug="gemeente-a")
    b = MunicipalityFactory(
        cbs_code="GM9002",
        name="Gemeente B",
        slug="gemeente-b",
        boundary=SQUARE_B,
        bbox=[5.1, 52.0, 5.2, 52.1],
        centroid_lon=5.15,
    )
    Postcode.objects.create(code="3511", lat=52.05, lon=5.05, municipality=a)
    Postcode.objects.create(code="3600", lat=52.05, lon=5.15, municipality=b)
    Postcode.objects.create(code="9999", lat=53.2, lon=6.5)
    org_a = OrganisationFactory(slug="org-a", name="Org A")
    org_b = OrganisationFactory(slug="org-b", name="Org B")
    return Area(
        a=a,
        b=b,
        org_a=org_a,
        org_b=org_b,
        editor_a=EditorFactory(organisation=org_a),
        editor_b=EditorFactory(organisation=org_b),
        coordinator=CoordinatorFactory(),
        member=UserFactory(organisation=org_a),
    )
