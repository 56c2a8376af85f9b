# SPDX-License-Identifier: EUPL-1.2
"""The ORDS reader on small hand-made files: both versions, and every kind of bad input
with its message naming file, line and field."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from cirkelregio.engine.dataio import Collector, DataLoadError
from cirkelregio.engine.repair.ords import (
    V021_COLUMNS,
    V03_COLUMNS,
    OrdsRecord,
    iso_alpha3_codes,
    read_ords,
)
from cirkelregio.engine.repair.tests.conftest import (
    V021_HEADER,
    V021_ROWS,
    V03_HEADER,
    V03_ROWS,
)

Write = Callable[[str, str], Path]

GOOD_V021 = {
    "id": "x_1",
    "data_provider": "Test Cafe",
    "country": "NLD",
    "partner_product_category": "Strijkijzer",
    "product_category": "Iron",
    "brand": "Tefal",
    "year_of_manufacture": "2010",
    "repair_status": "Fixed",
    "repair_barrier_if_end_of_life": "",
    "group_identifier": "0001",
    "event_date": "2020-02-29",
    "problem": "snoer",
}
GOOD_V03 = {**GOOD_V021, "product_category_id": "40", "product_age": "10"}


def _csv(columns: tuple[str, ...], *records: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([r[c] for c in columns] for r in records)
    return buffer.getvalue()


def test_reads_a_v021_file(write: Write) -> None:
    ords = read_ords(write("rc.csv", V021_HEADER + V021_ROWS))
    assert ords is not None
    assert (ords.name, ords.version, len(ords.records)) == ("rc.csv", "0.2.1", 5)
    first, second, third, fourth, _ = ords.records
    assert first == OrdsRecord(
        line=2,
        id="t_1",
        data_provider="Test Cafe",
        country="NLD",
        partner_product_category="Koffie ~ Senseo",
        product_category="Coffee maker",
        product_category_id=36,
        brand="Philips",
        year_of_manufacture=2015,
        product_age=None,
        repair_status=1,
        repair_barrier=None,
        group_identifier="0074",
        event_date=dt.date(2019, 3, 2),
        problem="Pomp vast",
    )
    # "Unknown" brand and "????" year are missing values.
    assert (second.brand, second.year_of_manufacture, second.repair_status) == (
        None,
        None,
        3,
    )
    # A record over two lines keeps its text and its first line; the next record's
    # line number counts both.
    assert (third.line, third.problem) == (4, "Geen beeld\nbacklight besteld")
    assert (third.product_category, third.product_category_id) == ("Flat screen", 8)
    assert fourth.line == 6


def test_reads_a_v03_file_with_codes_or_texts(write: Write) -> None:
    ords = read_ords(write("clinic.csv", V03_HEADER + V03_ROWS))
    assert ords is not None
    assert ords.version == "0.3"
    blender, toaster, laptop, kettle = ords.records
    assert (blender.product_category_id, blender.product_age) == (37, 7.0)
    assert (toaster.repair_status, toaster.repair_barrier) == (3, 6)
    assert (toaster.brand, toaster.year_of_manufacture, toaster.product_age) == (
        None,
        None,
        None,
    )
    assert (laptop.repair_status, laptop.product_age) == (1, 2.5)
    assert (kettle.repair_status, kettle.repair_barrier) == (3, 6)


def test_texts_ignore_case_and_the_schema_spellings_are_accepted(write: Write) -> None:
    records = [
        {**GOOD_V021, "id": "a", "product_category": "hair & BEAUTY item"},
        {
            **GOOD_V021,
            "id": "b",
            "repair_status": "end of life",
            "repair_barrier_if_end_of_life": "Too worn out",
        },
        {
            **GOOD_V021,
            "id": "c",
            "repair_status": "3",
            "repair_barrier_if_end_of_life": "No way to open the product",
        },
    ]
    ords = read_ords(write("ok.csv", _csv(V021_COLUMNS, *records)))
    assert ords is not None
    a, b, c = ords.records
    assert a.product_category == "Hair & beauty item"
    assert (b.repair_status, b.repair_barrier) == (3, 6)
    assert (c.repair_status, c.repair_barrier) == (3, 3)


def test_extra_columns_are_allowed_and_their_order_does_not_matter(
    write: Write,
) -> None:
    columns = ("record_date", *reversed(V03_COLUMNS))
    record = {**GOOD_V03, "record_date": "2021-01-01"}
    ords = read_ords(write("extra.csv", _csv(columns, record)))
    assert ords is not None
    assert ords.version == "0.3"
    assert ords.records[0].product_category == "Iron"


BAD_FIELDS = [
    ("id", "", "field 'id': a value is required"),
    ("data_provider", " ", "field 'data_provider': a value is required"),
    ("country", "", "field 'country': a value is required"),
    (
        "country",
        "NL",
        "field 'country': must be an ISO 3166-1 alpha-3 country code such as NLD "
        "(got 'NL')",
    ),
    (
        "country",
        "nld",
        "field 'country': must be an ISO 3166-1 alpha-3 country code such as NLD "
        "(got 'nld')",
    ),
    (
        "country",
        "XYZ",
        "field 'country': must be an ISO 3166-1 alpha-3 country code such as NLD "
        "(got 'XYZ')",
    ),
    (
        "partner_product_category",
        "",
        "field 'partner_product_category': a value is required",
    ),
    ("product_category", "", "field 'product_category': a value is required"),
    (
        "product_category",
        "Blender",
        "field 'product_category': is not an ORDS product category (got 'Blender')",
    ),
    (
        "year_of_manufacture",
        "19??",
        "field 'year_of_manufacture': must be a year YYYY, or ???? or empty when "
        "unknown (got '19??')",
    ),
    ("repair_status", "", "field 'repair_status': a value is required"),
    (
        "repair_status",
        "Broken",
        "field 'repair_status': must be 0-3 or Unknown, Fixed, Repairable, End of "
        "life (got 'Broken')",
    ),
    (
        "repair_status",
        "4",
        "field 'repair_status': must be 0-3 or Unknown, Fixed, Repairable, End of "
        "life (got '4')",
    ),
    ("event_date", "", "field 'event_date': a value is required"),
    (
        "event_date",
        "2019-02-29",
        "field 'event_date': must be a date YYYY-MM-DD (got '2019-02-29')",
    ),
    (
        "event_date",
        "02-03-2019",
        "field 'event_date': must be a date YYYY-MM-DD (got '02-03-2019')",
    ),
    (
        "event_date",
        "20190302",
        "field 'event_date': must be a date YYYY-MM-DD (got '20190302')",
    ),
    (
        "event_date",
        "2019-03-02T10:00",
        "field 'event_date': must be a date YYYY-MM-DD (got '2019-03-02T10:00')",
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS)
def test_bad_field_v021(write: Write, field: str, value: str, message: str) -> None:
    content = _csv(V021_COLUMNS, GOOD_V021, {**GOOD_V021, "id": "x_2", field: value})
    with pytest.raises(DataLoadError) as info:
        read_ords(write("bad.csv", content))
    assert [str(p) for p in info.value.problems] == [f"bad.csv, line 3, {message}"]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS)
def test_bad_field_v03(write: Write, field: str, value: str, message: str) -> None:
    content = _csv(V03_COLUMNS, {**GOOD_V03, field: value})
    with pytest.raises(DataLoadError) as info:
        read_ords(write("bad3.csv", content))
    assert [str(p) for p in info.value.problems] == [f"bad3.csv, line 2, {message}"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"product_category_id": ""},
            "field 'product_category_id': a value is required",
        ),
        (
            {"product_category_id": "41"},
            "field 'product_category_id': must be an ORDS product category id 1-40 "
            "(got '41')",
        ),
        (
            {"product_category_id": "x"},
            "field 'product_category_id': must be an ORDS product category id 1-40 "
            "(got 'x')",
        ),
        (
            {"product_category_id": "16"},
            "field 'product_category_id': 16 is 'Laptop', but product_category is "
            "'Iron' (id 40)",
        ),
        (
            {"product_age": "-1"},
            "field 'product_age': must be a number of years of at least 0 (got '-1')",
        ),
        (
            {"product_age": "tien"},
            "field 'product_age': must be a number of years of at least 0 (got 'tien')",
        ),
        (
            {"product_age": "nan"},
            "field 'product_age': must be a number of years of at least 0 (got 'nan')",
        ),
    ],
)
def test_bad_v03_only_fields(
    write: Write, changes: dict[str, str], message: str
) -> None:
    content = _csv(V03_COLUMNS, {**GOOD_V03, **changes})
    with pytest.raises(DataLoadError) as info:
        read_ords(write("bad3.csv", content))
    assert [str(p) for p in info.value.problems] == [f"bad3.csv, line 2, {message}"]


@pytest.mark.parametrize(
    ("status", "barrier", "message"),
    [
        (
            "End of life",
            "Kapot",
            "must be empty, 1-6 or Spare parts not available, Spare parts too "
            "expensive, No way to open product, Repair information not available, "
            "Lack of equipment, Item too worn out (got 'Kapot')",
        ),
        (
            "End of life",
            "7",
            "must be empty, 1-6 or Spare parts not available, Spare parts too "
            "expensive, No way to open product, Repair information not available, "
            "Lack of equipment, Item too worn out (got '7')",
        ),
        (
            "Fixed",
            "Lack of equipment",
            "a barrier is only allowed when repair_status is End of life (the "
            "status is Fixed)",
        ),
        (
            "0",
            "2",
            "a barrier is only allowed when repair_status is End of life (the "
            "status is Unknown)",
        ),
    ],
)
def test_bad_barrier(write: Write, status: str, barrier: str, message: str) -> None:
    record = {
        **GOOD_V021,
        "repair_status": status,
        "repair_barrier_if_end_of_life": barrier,
    }
    with pytest.raises(DataLoadError) as info:
        read_ords(write("b.csv", _csv(V021_COLUMNS, record)))
    assert [str(p) for p in info.value.problems] == [
        f"b.csv, line 2, field 'repair_barrier_if_end_of_life': {message}"
    ]


def test_duplicate_id_names_the_first_line(write: Write) -> None:
    content = _csv(V021_COLUMNS, GOOD_V021, {**GOOD_V021, "id": "x_2"}, GOOD_V021)
    with pytest.raises(DataLoadError) as info:
        read_ords(write("dup.csv", content))
    assert [str(p) for p in info.value.problems] == [
        "dup.csv, line 4, field 'id': id 'x_1' appears twice (first on line 2)"
    ]


def test_wrong_number_of_values(write: Write) -> None:
    content = _csv(V021_COLUMNS, GOOD_V021) + "x_3,Test Cafe,NLD\n"
    with pytest.raises(DataLoadError) as info:
        read_ords(write("short.csv", content))
    assert [str(p) for p in info.value.problems] == [
        "short.csv, line 3: has 3 values; the header has 12 columns"
    ]


def test_all_or_nothing_with_every_problem_listed(write: Write) -> None:
    """One bad row refuses the whole file; every problem of every row is reported."""
    content = _csv(
        V021_COLUMNS,
        GOOD_V021,
        {**GOOD_V021, "id": "x_2", "country": "NL", "repair_status": "?"},
        {**GOOD_V021, "id": "x_3"},
        {**GOOD_V021, "id": "x_4", "event_date": "gisteren"},
    )
    path = write("mixed.csv", content)
    collector = Collector()
    assert read_ords(path, collector) is None
    assert [(p.line, p.field) for p in collector.problems] == [
        (3, "country"),
        (3, "repair_status"),
        (5, "event_date"),
    ]
    with pytest.raises(DataLoadError) as info:
        read_ords(path)
    assert len(info.value.problems) == 3
    assert "mixed.csv, line 5, field 'event_date'" in info.value.summary()


def test_a_collector_keeps_earlier_problems_and_files_apart(write: Write) -> None:
    collector = Collector()
    bad = write("bad.csv", _csv(V021_COLUMNS, {**GOOD_V021, "country": ""}))
    good = write("good.csv", _csv(V021_COLUMNS, GOOD_V021))
    assert read_ords(bad, collector) is None
    ords = read_ords(good, collector)
    assert ords is not None and len(ords.records) == 1
    assert [p.file for p in collector.problems] == ["bad.csv"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "id,data_provider,country\n",
            "missing columns for ORDS 0.2.1: partner_product_category, "
            "product_category, brand, year_of_manufacture, repair_status, "
            "repair_barrier_if_end_of_life, group_identifier, event_date, problem",
        ),
        (
            V021_HEADER.replace("event_date", "date"),
            "missing columns for ORDS 0.2.1: event_date",
        ),
        (
            V03_HEADER.replace(",brand", ""),
            "missing columns for ORDS 0.3: brand",
        ),
        (
            V03_HEADER.replace(",product_age", ""),
            "has product_category_id but not product_age: the header is neither "
            "ORDS 0.2.1 nor ORDS 0.3",
        ),
        (
            V021_HEADER.replace(",brand", ",country"),
            "columns appear twice: country",
        ),
    ],
)
def test_header_problems(write: Write, header: str, message: str) -> None:
    with pytest.raises(DataLoadError) as info:
        read_ords(write("h.csv", header + "a,b,c\n"))
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 1
    assert problems[0].startswith(f"h.csv, line 1: {message}")


def test_empty_unreadable_and_missing_files(write: Write, tmp_path: Path) -> None:
    with pytest.raises(DataLoadError, match=r"^empty.csv, line 1: is empty"):
        read_ords(write("empty.csv", ""))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        _csv(V021_COLUMNS, {**GOOD_V021, "data_provider": "Caf\u00e9"}).encode(
            "latin-1"
        )
    )
    with pytest.raises(DataLoadError, match=r"^latin.csv, line \d+: is not a readable"):
        read_ords(latin)
    with pytest.raises(DataLoadError, match=r"^gone.csv: cannot be read"):
        read_ords(tmp_path / "gone.csv")


def test_iso_codes_are_the_249_of_iso_3166_1() -> None:
    codes = iso_alpha3_codes()
    assert len(codes) == 249
    assert {"NLD", "GBR", "FRA", "CAN", "DEU", "USA", "AUS", "BEL"} <= codes
    assert "UKN" not in codes and "EUR" not in codes
