# SPDX-License-Identifier: EUPL-1.2
"""A small road region: municipality A is the square 5.0-5.1 E, 52.0-52.1 N.
Road authorities: the municipality A organisation and a province, each with an
editor (road manager); a company with an editor; a coordinator; a member without a
role. The mixture catalogue of ``data/roads/mixtures.csv`` is loaded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.regions.models import Municipality, Organisation
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory
from cirkelregio.roads import services

MIXTURES = Path(settings.DATA_DIR) / "roads" / "mixtures.csv"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class Roads:
    a: Municipality
    town: Organisation
    province: Organisation
    company: Organisation
    town_editor: User
    province_editor: User
    company_editor: User
    coordinator: User
    member: User


@pytest.fixture
def roads(db: Any) -> Roads:
    a = MunicipalityFactory(cbs_code="GM9001", name="Gemeente A", slug="gemeente-a")
    town = OrganisationFactory(
        slug="gemeente-a", name="Gemeente A", kind="municipality", municipality=a
    )
    province = OrganisationFactory(
        slug="provincie-x", name="Provincie X", kind="province"
    )
    company = OrganisationFactory(slug="bouwer", name="Bouwer", kind="company")
    services.mixtures_load(path=MIXTURES)
    return Roads(
        a=a,
        town=town,
        province=province,
        company=company,
        town_editor=EditorFactory(organisation=town),
        province_editor=EditorFactory(organisation=province),
        company_editor=EditorFactory(organisation=company),
        coordinator=CoordinatorFactory(),
        member=UserFactory(organisation=town),
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
