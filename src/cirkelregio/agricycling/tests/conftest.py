# SPDX-License-Identifier: EUPL-1.2
"""Fixtures: a small region (municipality A is the square 5.0-5.1 E, 52.0-52.1 N)
with an owner municipality, a water board, a company, their editors, a
coordinator, a member without a role and a season; and the region's real
reference and demo data with the Agricycling demo for the demo tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

import pytest

from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.agricycling import services
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "agricycling"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class Agri:
    a: Any
    town: Any
    board: Any
    company: Any
    town_editor: Any
    board_editor: Any
    company_editor: Any
    coordinator: Any
    member: Any
    season: Any


@pytest.fixture
def agri(db: Any) -> Agri:
    a = MunicipalityFactory(cbs_code="GM9001", name="Gemeente A", slug="gemeente-a")
    town = OrganisationFactory(
        slug="gemeente-a", name="Gemeente A", kind="municipality", municipality=a
    )
    board = OrganisationFactory(
        slug="waterschap-x", name="Waterschap X", kind="water_board"
    )
    company = OrganisationFactory(slug="boer", name="Boer", kind="company")
    season = services.season_create(
        actor=None,
        label="2026",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 11, 30),
    )
    return Agri(
        a=a,
        town=town,
        board=board,
        company=company,
        town_editor=EditorFactory(organisation=town),
        board_editor=EditorFactory(organisation=board),
        company_editor=EditorFactory(organisation=company),
        coordinator=CoordinatorFactory(),
        member=UserFactory(organisation=town),
        season=season,
    )


def set_tariffs(season: Any, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "fee_eur_per_t": Decimal("32.50"),
        "transport_eur_per_tkm": Decimal("0.35"),
        "composting_eur_per_t": Decimal("21"),
        "compost_value_eur_per_t": Decimal("6"),
        "source": "Invented for the tests.",
        **changes,
    }
    return services.tariffs_set(actor=None, season=season, **values)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def demo(db: Any) -> Any:
    """The region's reference data, the registry demo and the Agricycling demo."""
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data = Path(settings.DATA_DIR)
    reference_data_load(directory=data / "regions" / "nl-utrecht")
    demo_data_load(directory=data / "demo" / "nl-utrecht")
    return services.agricycling_demo_load(directory=DEMO)
