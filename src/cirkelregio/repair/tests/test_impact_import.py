# SPDX-License-Identifier: EUPL-1.2
"""Importing ORDS files into the repair records: all or nothing with the engine's
problems, bulk inserts, and a second import of the same data replacing its dataset."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

import pytest

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.repair.models import DatasetKind, OrdsDataset, RepairRecord
from cirkelregio.repair.services import ords_import

pytestmark = pytest.mark.django_db

ORDS_DIR = Path(settings.REPO_DIR) / "data" / "ords"
RCI = ORDS_DIR / "OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv"
FIXIT = ORDS_DIR / "OpenRepairData_v0.3_FixitClinic_202507.csv"

V03_HEADER = (
    "id,data_provider,country,partner_product_category,product_category,"
    "product_category_id,brand,year_of_manufacture,product_age,repair_status,"
    "repair_barrier_if_end_of_life,group_identifier,event_date,problem\n"
)
GOOD_ROWS = (
    "rc_1,Repair Café Test,NLD,Koffiezetapparaat,Coffee maker,36,Philips,2015,8,"
    'Fixed,,0074,2023-03-18,"lekt water"\n'
    "rc_2,Repair Café Test,NLD,Broodrooster,Toaster,31,Unknown,????,,End of life,"
    "Spare parts not available,0074,2023-03-18,\n"
    "rc_3,Repair Café Test,BEL,Laptop,Laptop,16,,2019,,Repairable,,0075,2024-01-06,"
    '"start niet,\nscherm zwart"\n'
)


def write(tmp_path: Path, text: str, name: str = "ords.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_stored_with_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, V03_HEADER + GOOD_ROWS)
    report = ords_import(path)
    assert (report.records, report.ords_version, report.replaced) == (3, "0.3", [])
    dataset = OrdsDataset.objects.get()
    assert dataset.pk == report.dataset_id
    assert dataset.kind == DatasetKind.IMPORTED
    assert dataset.file_name == "ords.csv"
    assert dataset.data_provider == "Repair Café Test"
    assert dataset.licence == "CC BY-SA 4.0"
    assert dataset.attribution == "Open Repair Alliance, data provider Repair Café Test"
    assert dataset.record_count == 3
    assert dataset.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    rows = {r.ords_id: r for r in RepairRecord.objects.filter(dataset=dataset)}
    assert set(rows) == {"rc_1", "rc_2", "rc_3"}
    one, two, three = rows["rc_1"], rows["rc_2"], rows["rc_3"]
    assert (one.product_category, one.product_category_id) == ("Coffee maker", 36)
    assert (one.brand, one.year_of_manufacture, one.product_age) == ("Philips", 2015, 8)
    assert (one.repair_status, one.repair_barrier_if_end_of_life) == (1, None)
    assert (one.group_identifier, str(one.event_date)) == ("0074", "2023-03-18")
    assert one.partner_product_category == "Koffiezetapparaat"
    assert one.problem == "lekt water"
    # "Unknown" brand and "????" year are missing values; the barrier is its code.
    assert (two.brand, two.year_of_manufacture, two.product_age) == ("", None, None)
    assert (two.repair_status, two.repair_barrier_if_end_of_life) == (3, 1)
    assert (three.country, three.repair_status) == ("BEL", 2)
    assert three.problem == "start niet,\nscherm zwart"


def test_a_bad_file_writes_nothing_and_names_file_line_and_field(
    tmp_path: Path,
) -> None:
    ords_import(write(tmp_path, V03_HEADER + GOOD_ROWS, "first.csv"))
    before = list(RepairRecord.objects.values_list("pk", "ords_id"))
    bad = (
        V03_HEADER
        + GOOD_ROWS.replace("rc_", "new_")
        + ("new_4,Repair Café Test,NL,Fiets,Bicycle,99,,,,Mended,,0074,2023-13-01,\n")
    )
    with pytest.raises(DataLoadError) as caught:
        ords_import(write(tmp_path, bad, "bad.csv"))
    problems = {(p.file, p.line, p.field) for p in caught.value.problems}
    # Line 1 is the header and rc_3's problem text spans two lines: the fourth
    # record starts on line 6.
    assert problems == {
        ("bad.csv", 6, "country"),
        ("bad.csv", 6, "product_category"),
        ("bad.csv", 6, "product_category_id"),
        ("bad.csv", 6, "repair_status"),
        ("bad.csv", 6, "event_date"),
    }
    assert "bad.csv, line 6, field 'country': must be an ISO 3166-1" in str(
        caught.value
    )
    assert list(RepairRecord.objects.values_list("pk", "ords_id")) == before
    assert OrdsDataset.objects.count() == 1


def test_what_the_columns_cannot_hold_is_a_problem_too(tmp_path: Path) -> None:
    long_id = "x" * 101
    text = V03_HEADER + GOOD_ROWS.replace("rc_2,", f"{long_id},")
    with pytest.raises(DataLoadError) as caught:
        ords_import(write(tmp_path, text))
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (3, "id")
    assert problem.message == "must be at most 100 characters (got 101)"
    assert not OrdsDataset.objects.exists()


def test_several_providers_need_a_provider_name(tmp_path: Path) -> None:
    text = V03_HEADER + GOOD_ROWS.replace("rc_3,Repair Café Test", "rc_3,Other Café")
    path = write(tmp_path, text)
    with pytest.raises(DataLoadError, match="2 data providers .*--provider-name"):
        ords_import(path)
    assert not RepairRecord.objects.exists()
    report = ords_import(path, provider_name="Cafés of the test")
    assert report.data_provider == "Cafés of the test"
    assert OrdsDataset.objects.get().data_provider == "Cafés of the test"
    # Each record keeps its own provider.
    assert set(RepairRecord.objects.values_list("data_provider", flat=True)) == {
        "Repair Café Test",
        "Other Café",
    }


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataLoadError, match="holds no repair records"):
        ords_import(write(tmp_path, V03_HEADER))


def test_importing_the_same_file_again_replaces_its_dataset(tmp_path: Path) -> None:
    path = write(tmp_path, V03_HEADER + GOOD_ROWS)
    first = ords_import(path)
    old = set(RepairRecord.objects.values_list("pk", flat=True))
    second = ords_import(path)
    assert second.dataset_id == first.dataset_id
    assert second.replaced == [first.dataset_id]
    assert OrdsDataset.objects.count() == 1
    assert RepairRecord.objects.count() == 3
    assert not old & set(RepairRecord.objects.values_list("pk", flat=True))


def test_a_newer_export_of_the_same_provider_replaces_the_older(
    tmp_path: Path,
) -> None:
    first = ords_import(write(tmp_path, V03_HEADER + GOOD_ROWS, "2023.csv"))
    newer = (
        V03_HEADER
        + GOOD_ROWS
        + ("rc_4,Repair Café Test,NLD,Fiets lamp,Lamp,15,,,,Fixed,,0074,2025-02-01,\n")
    )
    second = ords_import(write(tmp_path, newer, "2025.csv"))
    assert second.replaced == [first.dataset_id]
    dataset = OrdsDataset.objects.get()
    assert (dataset.pk, dataset.file_name, dataset.record_count) == (
        first.dataset_id,
        "2025.csv",
        4,
    )
    assert RepairRecord.objects.count() == 4


def test_other_providers_and_other_ids_are_new_datasets(tmp_path: Path) -> None:
    ords_import(write(tmp_path, V03_HEADER + GOOD_ROWS, "a.csv"))
    # The same ids from another provider: another dataset.
    other = GOOD_ROWS.replace("Repair Café Test", "Other Café")
    ords_import(write(tmp_path, V03_HEADER + other, "b.csv"))
    # The same provider with other ids (a disjoint export): another dataset.
    disjoint = GOOD_ROWS.replace("rc_", "rc2024_")
    report = ords_import(write(tmp_path, V03_HEADER + disjoint, "c.csv"))
    assert report.replaced == []
    assert OrdsDataset.objects.count() == 3
    assert RepairRecord.objects.count() == 9


def test_two_partial_datasets_are_merged_into_the_first(tmp_path: Path) -> None:
    rows = GOOD_ROWS.splitlines(keepends=True)
    a = ords_import(write(tmp_path, V03_HEADER + rows[0], "a.csv"))
    b = ords_import(write(tmp_path, V03_HEADER + rows[1], "b.csv"))
    full = ords_import(write(tmp_path, V03_HEADER + GOOD_ROWS, "full.csv"))
    assert full.replaced == [a.dataset_id, b.dataset_id]
    assert list(OrdsDataset.objects.values_list("pk", flat=True)) == [a.dataset_id]
    assert RepairRecord.objects.count() == 3


def test_only_coordinators_import(tmp_path: Path) -> None:
    from cirkelregio.accounts.tests.factories import EditorFactory
    from cirkelregio.regions.tests.factories import OrganisationFactory

    editor = EditorFactory(organisation=OrganisationFactory())
    with pytest.raises(PermissionDenied):
        ords_import(write(tmp_path, V03_HEADER + GOOD_ROWS), actor=editor)
    assert not OrdsDataset.objects.exists()


def test_the_command_reports_and_refuses(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "repair_import_ords",
        str(write(tmp_path, V03_HEADER + GOOD_ROWS)),
        "--provider-name",
        "Test café",
        stdout=out,
    )
    assert out.getvalue().startswith(
        "ords.csv (ORDS 0.3, Test café): 3 repair records imported as dataset "
    )
    bad = write(tmp_path, V03_HEADER + "rc_9,X,NLD,a,Toaster,31,,,,Fixed,,,2023-1-1,\n")
    with pytest.raises(CommandError) as caught:
        call_command("repair_import_ords", str(bad), "--provider-name", "Test café")
    assert "Nothing was imported: 1 problem(s)." in str(caught.value)
    assert "ords.csv, line 2, field 'event_date'" in str(caught.value)


def test_the_real_files_import_in_bulk(
    django_assert_max_num_queries: Any,
) -> None:
    # Per-row queries would be at least 23,048; batches are far fewer.
    with django_assert_max_num_queries(23048 // 20):
        report = ords_import(RCI)
    assert (report.records, report.ords_version) == (23048, "0.2.1")
    assert report.data_provider == "Repair Café International"
    fixit = ords_import(FIXIT)
    assert (fixit.records, fixit.ords_version, fixit.data_provider) == (
        1033,
        "0.3",
        "Fixit Clinic",
    )
    assert RepairRecord.objects.count() == 23048 + 1033
    # The counts of the data README.
    rci = RepairRecord.objects.filter(dataset_id=report.dataset_id)
    assert rci.filter(country="NLD").count() == 19100
    assert rci.filter(repair_status=1).count() == 12267
    assert rci.filter(repair_status=3).count() == 7196
    again = ords_import(RCI)
    assert again.replaced == [report.dataset_id]
    assert RepairRecord.objects.count() == 23048 + 1033


def test_skip_unchanged_does_nothing_for_a_file_imported_before(
    tmp_path: Path, django_assert_max_num_queries: Any
) -> None:
    path = write(tmp_path, V03_HEADER + GOOD_ROWS)
    first = ords_import(path)
    pks = set(RepairRecord.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(1):
        again = ords_import(path, skip_unchanged=True)
    assert again.unchanged and again.replaced == []
    assert (again.dataset_id, again.records) == (first.dataset_id, 3)
    assert str(again) == (
        f"ords.csv: unchanged since its import as dataset {first.dataset_id} "
        "(3 repair records); nothing done."
    )
    assert set(RepairRecord.objects.values_list("pk", flat=True)) == pks
    # A changed file is imported (and replaces the dataset) as without the option.
    path.write_text(V03_HEADER + GOOD_ROWS.replace("lekt water", "lekt"), "utf-8")
    changed = ords_import(path, skip_unchanged=True)
    assert not changed.unchanged and changed.replaced == [first.dataset_id]
    assert RepairRecord.objects.get(ords_id="rc_1").problem == "lekt"
    out = io.StringIO()
    call_command("repair_import_ords", str(path), "--skip-unchanged", stdout=out)
    assert "unchanged since its import" in out.getvalue()
