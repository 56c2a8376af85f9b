# SPDX-License-Identifier: EUPL-1.2
"""The repairs a repair café records itself: who may, what is checked, where they are
stored, and that they count in the statistics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from cirkelregio.repair import selectors
from cirkelregio.repair.models import DatasetKind, OrdsDataset, RepairRecord
from cirkelregio.repair.services import ords_import, own_record_create
from cirkelregio.repair.tests.conftest import Area

DAY = dt.date(2025, 3, 15)


def record(area: Area, actor: Any = None, **values: Any) -> RepairRecord:
    fields = {
        "event_date": DAY,
        "product_category_id": 36,  # Coffee maker
        "repair_status": 1,
    }
    fields.update(values)
    return own_record_create(
        actor=area.editor_a if actor is None else actor,
        organisation=area.org_a,
        **fields,
    )


def test_an_editor_records_into_the_own_dataset(area: Area) -> None:
    first = record(area, brand=" Philips ", problem="lekt   water")
    second = record(area, product_category_id=31, repair_status=3, repair_barrier=2)
    dataset = OrdsDataset.objects.get()
    assert (dataset.kind, dataset.organisation, dataset.record_count) == (
        DatasetKind.OWN,
        area.org_a,
        2,
    )
    assert (dataset.data_provider, dataset.ords_version) == ("Org A", "0.3")
    assert str(dataset) == "own records of Org A"
    assert (first.ords_id, second.ords_id) == ("org-a_1", "org-a_2")
    assert (first.country, first.group_identifier, first.data_provider) == (
        "NLD",
        "org-a",
        "Org A",
    )
    assert (first.product_category, first.partner_product_category) == (
        "Coffee maker",
        "Coffee maker",
    )
    assert (first.brand, first.problem) == ("Philips", "lekt water")
    assert (second.product_category, second.repair_barrier_if_end_of_life) == (
        "Toaster",
        2,
    )


def test_own_records_count_in_the_statistics(area: Area) -> None:
    record(area)  # a fixed coffee maker: 1.28 kg, 17.50 x 0.5 kg CO2e
    record(area, product_category_id=31, repair_status=3)
    overall = selectors.repair_statistics(country="NLD").overall
    assert (overall.records, overall.fixed, overall.end_of_life) == (2, 1, 1)
    assert overall.fix_rate == 0.5
    assert overall.waste_prevented_kg == pytest.approx(1.28)
    assert overall.co2e_averted_kg == pytest.approx(8.75)
    groups = selectors.repair_statistics(by=["group"]).groups
    assert [(g.key, g.records) for g in groups] == [(("org-a",), 2)]


def test_who_may_record(area: Area) -> None:
    for actor in (area.editor_b, area.member):
        with pytest.raises(PermissionDenied):
            record(area, actor=actor)
    assert not RepairRecord.objects.exists()
    assert not OrdsDataset.objects.exists()
    assert record(area, actor=area.coordinator).ords_id == "org-a_1"
    assert selectors.may_record_repairs(user=area.editor_a, organisation=area.org_a)
    assert selectors.may_record_repairs(user=area.coordinator, organisation=area.org_b)
    assert not selectors.may_record_repairs(user=area.editor_b, organisation=area.org_a)
    assert not selectors.may_record_repairs(user=area.member, organisation=area.org_a)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"repair_barrier": 1}, "repair_barrier"),  # a barrier of a fixed item
        ({"repair_status": 3, "repair_barrier": 7}, "repair_barrier"),
        ({"product_category_id": 41}, "product_category_id"),
        ({"repair_status": 4}, "repair_status"),
        ({"event_date": dt.date(1989, 12, 31)}, "event_date"),
        ({"brand": "b" * 101}, "brand"),
        ({"problem": "p" * 501}, "problem"),
    ],
)
def test_what_is_checked(area: Area, values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        record(area, **values)
    assert list(caught.value.message_dict) == [field]
    assert not RepairRecord.objects.exists()


def test_no_date_in_the_future(area: Area) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        record(area, event_date=tomorrow)
    assert record(area, event_date=timezone.localdate()).ords_id == "org-a_1"


def test_numbers_are_not_reused(area: Area) -> None:
    record(area)
    second = record(area)
    second.delete()
    OrdsDataset.objects.update(record_count=2)  # as before the removal
    assert record(area).ords_id == "org-a_3"
    assert OrdsDataset.objects.get().record_count == 2
    record(area)
    assert sorted(RepairRecord.objects.values_list("ords_id", flat=True)) == [
        "org-a_1",
        "org-a_3",
        "org-a_4",
    ]


def test_an_import_never_replaces_own_records(area: Area, tmp_path: Path) -> None:
    record(area)
    path = tmp_path / "same.csv"
    path.write_text(
        "id,data_provider,country,partner_product_category,product_category,brand,"
        "year_of_manufacture,repair_status,repair_barrier_if_end_of_life,"
        "group_identifier,event_date,problem\n"
        "org-a_1,Org A,NLD,x,Toaster,,,Fixed,,org-a,2025-03-15,\n",
        encoding="utf-8",
    )
    report = ords_import(path)
    assert report.replaced == []
    assert OrdsDataset.objects.filter(kind=DatasetKind.OWN).get().record_count == 1
    assert RepairRecord.objects.count() == 2
