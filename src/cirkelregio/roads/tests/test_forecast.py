# SPDX-License-Identifier: EUPL-1.2
"""The supply forecast of reclaimed asphalt on the exchange
(``services.forecast_publish``) on the plan of ``plan.py``: W1 releases 2 x
1000 m2 x 40 mm x 2.4 t/m3 = 192 t of tar-free asphalt; W2 mills 50 mm of a
tar-containing layer (120 t, hazardous) and offers nothing; W3 removes nothing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.exchange.models import Listing
from cirkelregio.exchange.tests.factories import MaterialClassFactory
from cirkelregio.roads import services
from cirkelregio.roads.models import PassportLayer, WorkStatus
from cirkelregio.roads.tests import plan as plan_module
from cirkelregio.roads.tests.conftest import Roads
from cirkelregio.roads.tests.plan import Plan


@pytest.fixture
def plan(roads: Roads) -> Plan:
    MaterialClassFactory(code="asfaltgranulaat", unit="t", tonnes_per_unit=1.0)
    return plan_module.build(roads.town, roads.province)


def _listings() -> list[Listing]:
    return list(Listing.objects.filter(reference__startswith="roads-work-"))


def test_tar_free_released_asphalt_is_offered_once(plan: Plan) -> None:
    report = services.forecast_publish()
    assert (report.created, report.updated, report.withdrawn) == (1, 0, 0)
    (listing,) = _listings()
    assert listing.kind == "supply" and listing.owner.slug == "gemeente-a"
    assert listing.material.code == "asfaltgranulaat"
    assert listing.quantity == pytest.approx(192.0)
    assert listing.reference == f"roads-work-{plan.w1.pk}"
    assert (listing.window_from, listing.window_until) == (
        dt.date(2027, 4, 1),
        dt.date(2027, 9, 30),
    )
    assert (listing.lat, listing.lon) == pytest.approx((52.055, 5.05))
    assert "W1" in listing.project_name and "17 03 02" in listing.notes
    # Idempotent.
    again = services.forecast_publish()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert len(_listings()) == 1


def test_tar_containing_asphalt_is_never_offered(plan: Plan) -> None:
    # Even when the road manager marks the tar-containing layer as offered.
    PassportLayer.objects.filter(passport__section=plan.s2).update(
        offered_for_reuse=True
    )
    services.forecast_publish()
    owners = {x.owner.slug for x in _listings()}
    assert owners == {"gemeente-a"}
    # W1 removing its third, tar-containing layer too: still 192 t.
    plan.w1.layers_removed = 3
    plan.w1.save()
    services.forecast_publish()
    (listing,) = _listings()
    assert listing.quantity == pytest.approx(192.0)


def test_updated_when_the_work_changes_withdrawn_when_done_or_removed(
    plan: Plan,
) -> None:
    services.forecast_publish()
    plan.w1.layers_removed = 1  # only the surface: 96 t
    plan.w1.window_end = dt.date(2027, 10, 31)
    plan.w1.save()
    report = services.forecast_publish()
    assert report.updated == 1
    (listing,) = _listings()
    assert listing.quantity == pytest.approx(96.0)
    assert listing.window_until == dt.date(2027, 10, 31)
    plan.w1.status = WorkStatus.DONE
    plan.w1.save()
    assert services.forecast_publish().withdrawn == 1
    listing.refresh_from_db()
    assert listing.status == "closed" and listing.closed_reason == "withdrawn"
    # Closed stays closed (perhaps withdrawn by hand).
    plan.w1.status = WorkStatus.PLANNED
    plan.w1.save()
    assert services.forecast_publish().created == 0


def test_withdrawn_when_the_work_is_removed(plan: Plan) -> None:
    services.forecast_publish()
    plan.w1.delete()
    assert services.forecast_publish().withdrawn == 1
    (listing,) = _listings()
    assert listing.status == "closed"


def test_who_may_publish(roads: Roads, plan: Plan) -> None:
    services.forecast_publish(actor=roads.town_editor, authority=roads.town)
    assert len(_listings()) == 1
    with pytest.raises(PermissionDenied):
        services.forecast_publish(actor=roads.town_editor, authority=roads.province)
    with pytest.raises(PermissionDenied):
        services.forecast_publish(actor=roads.town_editor)


def test_without_the_material_class(roads: Roads) -> None:
    plan_module.build(roads.town, roads.province)
    with pytest.raises(ValidationError, match="asfaltgranulaat"):
        services.forecast_publish()
