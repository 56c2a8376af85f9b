# SPDX-License-Identifier: EUPL-1.2
"""Importing projects from CSV and XLSX: all or nothing, every problem named by
file, line (the sheet row) and field; importing again changes nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

import pytest
from openpyxl import Workbook

from cirkelregio.biobased.models import InsulationProject
from cirkelregio.biobased.services import (
    COLUMNS,
    DataLoadError,
    biobased_demo_load,
    projects_import,
)
from cirkelregio.biobased.tests.conftest import World

HEADER = ",".join(COLUMNS)
GOOD = [
    "GM9001,2024,12,600,straw_blown,mco_programme,200,,,WUJW-1",
    "GM9001,2025,4,180,wood_fibre,company,,900,90,",
]


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Projecten"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _problems(exc: pytest.ExceptionInfo[DataLoadError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_a_good_csv_file_is_imported_and_again_changes_nothing(world: World) -> None:
    report = projects_import(
        actor=world.editor_m1, content=_csv(*GOOD), file_name="p.csv"
    )
    assert (report.rows, report.created) == (2, 2)
    wood = InsulationProject.objects.get(material__code="wood_fibre")
    assert (wood.mass_kg, wood.biobased_share, wood.homes) == (900, 90, 4)
    again = projects_import(
        actor=world.editor_m1, content=_csv(*GOOD), file_name="p.csv"
    )
    # the row with a reference is found again; the one without is added again
    assert (again.created, again.unchanged) == (1, 1)
    assert InsulationProject.objects.count() == 3


def test_a_bad_csv_row_writes_nothing_and_names_line_and_field(world: World) -> None:
    content = _csv(
        GOOD[0],
        "GM9001,2024,-3,600,kokos,mco_programme,,,,",
        "GM9001,2024,3,600,straw_blown,mco_programme,,,140,",
    )
    with pytest.raises(DataLoadError) as info:
        projects_import(actor=world.coordinator, content=content, file_name="p.csv")
    assert _problems(info) == [
        "p.csv, line 3, field 'homes': must be at least 0 (got '-3')",
        "p.csv, line 3, field 'material': unknown material; known: cellulose, "
        "eps, flax, glass_wool, hemp, pir, rock_wool, sheep_wool, straw_bale, "
        "straw_blown, test_bio, test_mineral, wood_fibre (got 'kokos')",
        "p.csv, line 4, field 'biobased_share': must be at most 100 (got '140')",
    ]
    assert not InsulationProject.objects.exists()


def test_a_bad_xlsx_row_writes_nothing_and_names_the_sheet_row(world: World) -> None:
    content = _xlsx(
        [
            ["GM9001", 2024, 12, 600, "straw_blown", "mco_programme", 200],
            [],
            ["GM9002", 2024, 5, -1, "eps", "company", None, None, None, "x"],
        ]
    )
    with pytest.raises(DataLoadError) as info:
        projects_import(actor=world.coordinator, content=content, file_name="p.xlsx")
    assert _problems(info) == [
        "p.xlsx, line 4, sheet Projecten, field 'area_m2': must be at least 0 (got -1)"
    ]
    assert not InsulationProject.objects.exists()


def test_a_good_xlsx_file_is_imported(world: World) -> None:
    content = _xlsx(
        [
            ["GM9001", 2024, 12, 600.5, "straw_blown", "mco_programme", 200],
            ["GM9002", 2023, 5, 80, "eps", "company", None, None, None, "x"],
        ]
    )
    report = projects_import(
        actor=world.coordinator, content=content, file_name="p.xlsx"
    )
    assert report.created == 2
    assert sorted(InsulationProject.objects.values_list("area_m2", flat=True)) == [
        80,
        600.5,
    ]


def test_an_editor_imports_only_for_their_own_municipality(world: World) -> None:
    content = _csv(GOOD[0], "GM9002,2024,3,100,eps,company,,,,")
    with pytest.raises(DataLoadError) as info:
        projects_import(actor=world.editor_m1, content=content, file_name="p.csv")
    assert _problems(info) == [
        "p.csv, line 3, field 'municipality': you may not report projects for Tweestad"
    ]
    assert not InsulationProject.objects.exists()
    with pytest.raises(PermissionDenied):
        projects_import(actor=world.editor_other, content=_csv(GOOD[0]))


def test_missing_columns_and_an_empty_file(world: World) -> None:
    with pytest.raises(DataLoadError) as info:
        projects_import(actor=None, content=b"municipality,year\n", file_name="p.csv")
    assert _problems(info) == [
        "p.csv, line 1: missing columns: homes, area_m2, material, source_channel"
    ]
    with pytest.raises(DataLoadError) as info:
        projects_import(actor=None, content=_csv(), file_name="p.csv")
    assert _problems(info) == ["p.csv: holds no projects"]
    with pytest.raises(DataLoadError) as info:
        projects_import(actor=None, content=b"not a workbook", file_name="p.xlsx")
    assert _problems(info)[0].startswith("p.xlsx: is not a readable XLSX file")


def test_the_demo_data_covers_every_municipality_and_loads_once(db: Any) -> None:
    from cirkelregio.biobased.services import materials_load
    from cirkelregio.regions.services import reference_data_load

    data = Path(settings.DATA_DIR)
    reference_data_load(directory=data / "regions" / "nl-utrecht")
    materials_load(path=data / "biobased" / "materials.csv")
    report = biobased_demo_load(directory=data / "demo" / "nl-utrecht" / "biobased")
    assert report.created == report.rows > 0
    assert len(report.municipalities) == 26
    assert not InsulationProject.objects.filter(is_demo=False).exists()
    years = set(InsulationProject.objects.values_list("year", flat=True))
    assert len(years) >= 3
    again = biobased_demo_load(directory=data / "demo" / "nl-utrecht" / "biobased")
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.rows)
