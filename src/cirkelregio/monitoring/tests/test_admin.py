# SPDX-License-Identifier: EUPL-1.2
"""The monitoring admin: coordinators see indicators and values and enter values
through the same checks as the API; computed values are read only; others are kept
out."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.monitoring.models import Indicator, IndicatorValue
from cirkelregio.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def waste() -> Indicator:
    return Indicator.objects.create(
        code="waste",
        name_nl="Restafval",
        definition_nl="kg per inwoner",
        unit="kg",
        source_kind="manual",
        source_nl="CBS",
    )


def test_coordinators_enter_values_with_the_checks_of_the_service(
    waste: Indicator,
) -> None:
    coordinator = CoordinatorFactory()
    client = _client(coordinator)
    assert client.get("/en/admin/monitoring/indicator/").status_code == 200
    assert client.get("/en/admin/monitoring/indicatorvalue/").status_code == 200
    m = MunicipalityFactory()
    form = {
        "indicator": waste.pk,
        "municipality": m.pk,
        "year": 2999,
        "value": "120",
        "source": "CBS StatLine",
        "note": "",
    }
    page = client.post("/en/admin/monitoring/indicatorvalue/add/", form)
    assert page.status_code == 200
    assert "is in the future" in page.content.decode()
    assert not IndicatorValue.objects.exists()
    page = client.post(
        "/en/admin/monitoring/indicatorvalue/add/", {**form, "year": 2024}
    )
    assert page.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.value, value.entered_by, value.is_computed) == (
        120,
        coordinator,
        False,
    )


def test_computed_values_are_read_only_and_editors_are_kept_out(
    waste: Indicator,
) -> None:
    row = IndicatorValue.objects.create(
        indicator=waste, year=2024, value=1, source="x", is_computed=True
    )
    client = _client(CoordinatorFactory())
    page = client.get(f"/en/admin/monitoring/indicatorvalue/{row.pk}/change/")
    assert page.status_code == 200
    assert 'name="value"' not in page.content.decode()
    editor = _client(EditorFactory())
    assert editor.get("/en/admin/monitoring/indicatorvalue/").status_code in (302, 403)
