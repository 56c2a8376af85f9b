# SPDX-License-Identifier: EUPL-1.2
"""A small exchange with a known plan.

Material "bss" (0.2 t per m2; new 20 + MKI 2 per m2; disposal 3 per m2). Supply S1
(organisation A, 100 m2, 2-15 March 2026); demand D1 (organisation B, 60 m2, the
same weeks, 2.8 km away) and demand D2 (organisation B, 50 m2, June 2026); a depot
(organisation C, 100 t). The optimum sends 60 m2 S1 -> D1 directly and the other
40 m2 through the depot to D2 (storage and handling cost far less than disposal plus
new product); D2 buys 10 m2 new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import translation

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.exchange.models import Depot, Listing, ListingKind, MaterialClass
from cirkelregio.exchange.tests.factories import (
    DepotFactory,
    ListingFactory,
    MaterialClassFactory,
)
from cirkelregio.regions.models import Organisation
from cirkelregio.regions.tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class Exchange:
    material: MaterialClass
    org_a: Organisation
    org_b: Organisation
    org_c: Organisation
    editor_a: User
    editor_b: User
    editor_c: User
    outsider: User
    coordinator: User
    s1: Listing
    d1: Listing
    d2: Listing
    depot: Depot


@pytest.fixture
def exchange(db: Any) -> Exchange:
    material = MaterialClassFactory(code="bss")
    org_a, org_b, org_c = (
        OrganisationFactory(slug=f"org-{x}", name=f"Org {x}") for x in "abc"
    )
    s1 = ListingFactory(
        owner=org_a, material=material, quantity=100.0, project_name="Sloop A"
    )
    d1 = ListingFactory(
        kind=ListingKind.DEMAND,
        owner=org_b,
        material=material,
        quantity=60.0,
        lat=52.10,
        lon=5.15,
        project_name="Nieuw B1",
    )
    d2 = ListingFactory(
        kind=ListingKind.DEMAND,
        owner=org_b,
        material=material,
        quantity=50.0,
        lat=52.05,
        lon=5.10,
        window_from=dt.date(2026, 6, 1),
        window_until=dt.date(2026, 6, 14),
        project_name="Nieuw B2",
    )
    depot = DepotFactory(owner=org_c)
    return Exchange(
        material=material,
        org_a=org_a,
        org_b=org_b,
        org_c=org_c,
        editor_a=EditorFactory(organisation=org_a),
        editor_b=EditorFactory(organisation=org_b),
        editor_c=EditorFactory(organisation=org_c),
        outsider=EditorFactory(),
        coordinator=CoordinatorFactory(),
        s1=s1,
        d1=d1,
        d2=d2,
        depot=depot,
    )


@pytest.fixture
def mki_demo(reference_data: Any, demo_dir: Any) -> Any:
    """The MKI demo library, whose synthetic profiles the exchange demo links to."""
    from cirkelregio.mki.services import mki_demo_load

    return mki_demo_load(directory=demo_dir / "mki")
