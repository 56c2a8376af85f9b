# SPDX-License-Identifier: EUPL-1.2
"""The hand-computed case of the engine's tests (engine/mki/tests/test_calculate.py),
loaded into the database through the services. Invented test numbers, not NMD data.

Per tonne of P1 (weights GWP 0.05, AP 4, EP 9, HTP 0.09):
  A1-A3 4.97, C3 0.25, D -0.50: whole profile 4.72, without D 5.22
Per metre of P2 (category 3, uplift 1.3): 1.40, uplifted 1.82
Bill, R = 50: L1 5 x 100 x 4.72 = 2360.00; L2 200 x 1.82 = 364.00; L3 0  -> 2724.00
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import translation

import pytest

from cirkelregio.engine.dataio import Collector
from cirkelregio.engine.mki import WeightingSet, read_weighting_set
from cirkelregio.mki import services
from cirkelregio.mki.models import ProfileLibrary, Project, Variant
from cirkelregio.mki.tests.factories import ProfileLibraryFactory, ProjectFactory

WEIGHTS = """indicator,unit,eur_per_unit
GWP,kg CO2 eq,0.05
AP,kg SO2 eq,4
EP,kg PO4 eq,9
HTP,kg 1.4-DB eq,0.09
"""

PROFILES = """profile_id,name,unit,data_category,module,indicator,value
P1,Asfalt AC surf (test),t,1,A1-A3,GWP,60
P1,Asfalt AC surf (test),t,1,A1-A3,AP,0.2
P1,Asfalt AC surf (test),t,1,A1-A3,EP,0.03
P1,Asfalt AC surf (test),t,1,A1-A3,HTP,10
P1,Asfalt AC surf (test),t,1,C3,GWP,5
P1,Asfalt AC surf (test),t,1,D,GWP,-10
P2,Betonband (test),m,3,A1-A3,GWP,20
P2,Betonband (test),m,3,A1-A3,AP,0.1
"""

BILL = """line_id,element,profile_id,quantity,service_life_years
L1,Deklaag,P1,100,12
L2,Opsluiting,P2,200,
L3,Deklaag,P1,0,60
"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English (the source language); the API clients ask for it."""
    with translation.override("en"):
        yield


@pytest.fixture
def weights(tmp_path: Path) -> WeightingSet:
    path = tmp_path / "test.csv"
    path.write_text(WEIGHTS, encoding="utf-8")
    c = Collector()
    weighting = read_weighting_set(path, "test", c)
    assert weighting is not None and not c.problems
    return weighting


@pytest.fixture
def hand_library(db: Any) -> ProfileLibrary:
    library = ProfileLibraryFactory(name="Handberekening (synthetisch)")
    services.library_import_csv(
        actor=None, library=library, content=PROFILES.encode(), file_name="p.csv"
    )
    return library


@pytest.fixture
def hand_project(hand_library: ProfileLibrary) -> Project:
    return ProjectFactory(name="Handberekening")


@pytest.fixture
def hand_variant(hand_project: Project, hand_library: ProfileLibrary) -> Variant:
    variant = services.variant_create(
        actor=None, project=hand_project, name="Referentie"
    )
    services.bill_import(
        actor=None,
        variant=variant,
        library=hand_library,
        content=BILL.encode(),
        file_name="bill.csv",
    )
    return variant
