# SPDX-License-Identifier: EUPL-1.2
"""Imports of profile CSVs, EPDs (ILCD+EPD XML) and bills (CSV, XLSX): what is stored,
the exact messages for bad input (file, line, field), and that a file with any
problem changes nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.mki import services
from cirkelregio.mki.models import (
    BillLine,
    Element,
    Profile,
    ProfileLibrary,
    ProfileValue,
    Variant,
)
from cirkelregio.mki.tests.conftest import BILL
from cirkelregio.mki.tests.factories import ProfileLibraryFactory

pytestmark = pytest.mark.django_db

EPD = (Path(__file__).parent / "data" / "epd-synthetic.xml").read_bytes()
HEADER = "profile_id,name,unit,data_category,module,indicator,value\n"


def _counts() -> tuple[int, ...]:
    return (
        Profile.objects.count(),
        ProfileValue.objects.count(),
        Element.objects.count(),
        BillLine.objects.count(),
    )


def _messages(exc: pytest.ExceptionInfo[DataLoadError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


# Profile CSV -----------------------------------------------------------------------


def test_profile_csv_is_stored_in_long_format(hand_library: ProfileLibrary) -> None:
    p1 = hand_library.profiles.get(profile_id="P1")
    assert (p1.name, p1.unit, p1.data_category, p1.indicator_set) == (
        "Asfalt AC surf (test)",
        "t",
        "1",
        "nmd-a1",
    )
    assert sorted(p1.values.values_list("module", "indicator", "value")) == [
        ("A1-A3", "AP", 0.2),
        ("A1-A3", "EP", 0.03),
        ("A1-A3", "GWP", 60.0),
        ("A1-A3", "HTP", 10.0),
        ("C3", "GWP", 5.0),
        ("D", "GWP", -10.0),
    ]
    assert ProfileValue.objects.filter(profile__library=hand_library).count() == 8
    assert hand_library.revision == 1


def test_bad_profile_csv_names_file_line_and_field_and_writes_nothing() -> None:
    library = ProfileLibraryFactory()
    bad = (
        HEADER + "X0,Beton (test),m3,4,A1-A3,GWP-total,10\n"
        "X1,Beton (test),m3,1,A9,GWP-total,1\n"
        "X1,Beton (test),m3,1,A4,NOPE,1\n"
        "X1,Beton (test),m3,1,C3,ODP,veel\n"
    )
    before = _counts()
    with pytest.raises(DataLoadError) as exc:
        services.library_import_csv(
            actor=None, library=library, content=bad.encode(), file_name="bad.csv"
        )
    assert _messages(exc) == [
        "bad.csv, line 2, field 'data_category': must be one of 1, 2, 3, 3a (got '4')",
        "bad.csv, line 3, field 'module': unknown module 'A9'; modules are A1-A3, "
        "A1, A2, A3, A4, A5, B1, B2, B3, B4, B5, B6, B7, C1, C2, C3, C4, D",
        "bad.csv, line 4, field 'indicator': indicator 'NOPE' is not defined by "
        "weighting set nmd-a1 or nmd-a2",
        "bad.csv, line 5, field 'value': must be a number (got 'veel')",
    ]
    assert _counts() == before
    library.refresh_from_db()
    assert library.revision == 0


def test_a_profile_may_not_mix_a1_and_a2_indicators() -> None:
    library = ProfileLibraryFactory()
    mixed = (
        HEADER + "M1,Mix (test),t,1,A1-A3,GWP,1\nM1,Mix (test),t,1,A1-A3,GWP-total,1\n"
    )
    with pytest.raises(DataLoadError) as exc:
        services.library_import_csv(
            actor=None, library=library, content=mixed.encode(), file_name="m.csv"
        )
    assert _messages(exc) == [
        "m.csv, line 3, field 'indicator': profile M1 mixes indicators of nmd-a1 "
        "(GWP) and nmd-a2 (GWP-total); a profile declares one set (AP, ODP and POCP "
        "mean different things in each)"
    ]


def test_reimport_replaces_the_content(hand_library: ProfileLibrary) -> None:
    new = HEADER + "P1,Asfalt AC surf (test v2),t,2,A1-A3,GWP,61\n"
    report = services.library_import_csv(
        actor=None, library=hand_library, content=new.encode(), file_name="v2.csv"
    )
    assert (report.profiles_created, report.profiles_updated) == (0, 1)
    assert report.profiles_removed == 1
    assert list(hand_library.profiles.values_list("profile_id", flat=True)) == ["P1"]
    p1 = hand_library.profiles.get()
    assert (p1.name, p1.data_category) == ("Asfalt AC surf (test v2)", "2")
    assert list(p1.values.values_list("module", "indicator", "value")) == [
        ("A1-A3", "GWP", 61.0)
    ]
    hand_library.refresh_from_db()
    assert hand_library.revision == 2


def test_reimport_cannot_drop_a_profile_that_bills_use(hand_variant: Variant) -> None:
    library = ProfileLibrary.objects.get(name="Handberekening (synthetisch)")
    before = _counts()
    only_p1 = HEADER + "P1,Asfalt AC surf (test),t,1,A1-A3,GWP,60\n"
    with pytest.raises(DataLoadError) as exc:
        services.library_import_csv(
            actor=None, library=library, content=only_p1.encode(), file_name="p.csv"
        )
    assert _messages(exc) == [
        "p.csv, field 'profile_id': profile P2 is missing from the file, but bills "
        "of quantities use it"
    ]
    assert _counts() == before


def test_not_utf8_and_missing_columns() -> None:
    library = ProfileLibraryFactory()
    with pytest.raises(DataLoadError) as exc:
        services.library_import_csv(
            actor=None, library=library, content=b"profile_id,name\nP,x\n"
        )
    assert _messages(exc) == [
        "profiles.csv, line 1: missing columns: unit, data_category, module, "
        "indicator, value"
    ]


# EPD (ILCD+EPD XML) ----------------------------------------------------------------


def test_epd_becomes_one_a2_profile() -> None:
    library = ProfileLibraryFactory()
    report = services.library_import_epd(
        actor=None, library=library, content=EPD, file_name="epd.xml"
    )
    profile = library.profiles.get()
    assert profile.profile_id == "0a1b2c3d-0000-4000-8000-000000000001"
    assert profile.name == "Test asphalt (synthetic)"
    assert profile.unit == "1000 kg"
    assert profile.data_category == "3"
    assert profile.indicator_set == "nmd-a2"
    assert sorted(profile.values.values_list("module", "indicator", "value")) == [
        ("A1-A3", "AP", 0.25),
        ("A1-A3", "EP-terrestrial", 0.5),
        ("A1-A3", "GWP-total", 50.5),
        ("A4", "GWP-total", 4.0),  # the default scenario (Truck), not Ship
        ("D", "GWP-total", -12.0),
    ]  # C3 is ND (not declared): no value
    assert report.skipped_indicators == ("Global warming potential (GWP)",)
    # A second import with the same code replaces the profile.
    services.library_import_epd(
        actor=None,
        library=library,
        content=EPD.replace(b">50.5<", b">51<"),
        file_name="epd.xml",
        data_category="1",
        unit="t",
    )
    profile = library.profiles.get()
    assert (profile.unit, profile.data_category) == ("t", "1")
    assert profile.values.get(module="A1-A3", indicator="GWP-total").value == 51.0


def test_epd_with_entities_is_refused_without_expanding_them() -> None:
    library = ProfileLibraryFactory()
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<processDataSet>&lol2;'
        b"</processDataSet>"
    )
    with pytest.raises(DataLoadError) as exc:
        services.library_import_epd(
            actor=None, library=library, content=bomb, file_name="bomb.xml"
        )
    assert _messages(exc) == [
        "bomb.xml: is refused: a document type declaration (DTD) is not accepted"
    ]
    assert not library.profiles.exists()


def test_bad_epd_values_name_the_line() -> None:
    library = ProfileLibraryFactory()
    bad = EPD.replace(b'epd:module="D">-12', b'epd:module="E">-12').replace(
        b">0.25<", b">veel<"
    )
    with pytest.raises(DataLoadError) as exc:
        services.library_import_epd(
            actor=None, library=library, content=bad, file_name="bad.xml"
        )
    assert _messages(exc) == [
        "bad.xml, line 49, field 'module': unknown module 'E'; modules are A1-A3, "
        "A1, A2, A3, A4, A5, B1, B2, B3, B4, B5, B6, B7, C1, C2, C3, C4, D",
        "bad.xml, line 57, field 'amount': must be a number, ND or MND (got 'veel')",
    ]
    with pytest.raises(DataLoadError) as exc:
        services.library_import_epd(
            actor=None, library=library, content=b"<a><b></a>", file_name="x.xml"
        )
    assert _messages(exc) == ["x.xml, line 1: is not well-formed XML (mismatched tag)"]
    assert not library.profiles.exists()


def test_an_epd_without_a2_indicators_is_refused() -> None:
    library = ProfileLibraryFactory()
    only_a1 = EPD.replace(b"(GWP-total)", b"(GWP-x)").replace(
        b"a7ea142a-9749-11ed-a8fc-0242ac120002", b"x"
    )
    only_a1 = only_a1.replace(b"Accumulated Exceedance (AP)", b"(AP)").replace(
        b"(EP-terrestrial)", b"(EP)"
    )
    with pytest.raises(DataLoadError) as exc:
        services.library_import_epd(
            actor=None, library=library, content=only_a1, file_name="a1.xml"
        )
    assert _messages(exc)[0].startswith(
        "a1.xml, line 39, field 'LCIAResults': declares no value for any "
        "EN 15804+A2 indicator (found: "
    )


# Bills -----------------------------------------------------------------------------


def test_bill_csv_creates_elements_and_lines(hand_variant: Variant) -> None:
    rows = list(
        BillLine.objects.filter(element__variant=hand_variant)
        .order_by("element__order", "id")
        .values_list(
            "element__name",
            "line_id",
            "profile__profile_id",
            "quantity",
            "service_life_years",
        )
    )
    assert rows == [
        ("Deklaag", "L1", "P1", 100.0, 12.0),
        ("Deklaag", "L3", "P1", 0.0, 60.0),
        ("Opsluiting", "L2", "P2", 200.0, None),
    ]


def test_bad_bill_names_every_problem_and_keeps_the_old_bill(
    hand_variant: Variant, hand_library: ProfileLibrary
) -> None:
    bad = (
        "line_id,element,profile_id,quantity,service_life_years\n"
        "L1,Deklaag,P9,100,12\n"
        "L2,Deklaag,P1,-1,0\n"
        "L2,,P1,x,\n"
    )
    before = _counts()
    with pytest.raises(DataLoadError) as exc:
        services.bill_import(
            actor=None,
            variant=hand_variant,
            library=hand_library,
            content=bad.encode(),
            file_name="bill.csv",
        )
    assert _messages(exc) == [
        "bill.csv, line 2, field 'profile_id': unknown profile 'P9'",
        "bill.csv, line 3, field 'quantity': must be 0 or more (got '-1')",
        "bill.csv, line 3, field 'service_life_years': must be more than 0 years "
        "(got '0')",
        "bill.csv, line 4, field 'line_id': duplicate line L2",
        "bill.csv, line 4, field 'quantity': must be a number (got 'x')",
    ]
    assert _counts() == before


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_bill_xlsx_import(hand_variant: Variant, hand_library: ProfileLibrary) -> None:
    content = _xlsx(
        [
            ["line_id", "element", "profile_id", "quantity", "service_life_years"],
            ["A", "Deklaag", "P1", 50, 10],
            [None, None, None, None, None],
            ["B", "Band", "P2", 12.5],
        ]
    )
    report = services.bill_import(
        actor=None,
        variant=hand_variant,
        library=hand_library,
        content=content,
        file_name="bill.xlsx",
    )
    assert (report.elements, report.lines) == (2, 2)
    assert sorted(
        BillLine.objects.filter(element__variant=hand_variant).values_list(
            "line_id", "element__name", "quantity", "service_life_years"
        )
    ) == [("A", "Deklaag", 50.0, 10.0), ("B", "Band", 12.5, None)]

    bad = _xlsx(
        [
            ["line_id", "element", "profile_id", "quantity", "service_life_years"],
            ["A", "Deklaag", "P1", "veel", None],
        ]
    )
    before = _counts()
    with pytest.raises(DataLoadError) as exc:
        services.bill_import(
            actor=None,
            variant=hand_variant,
            library=hand_library,
            content=bad,
            file_name="bill.xlsx",
        )
    assert _messages(exc) == [
        "bill.xlsx, line 2, field 'quantity': must be a number (got 'veel')"
    ]
    assert _counts() == before


def test_the_same_bill_twice_changes_nothing_else(hand_variant: Variant) -> None:
    library = ProfileLibrary.objects.get(name="Handberekening (synthetisch)")
    services.bill_import(
        actor=None,
        variant=hand_variant,
        library=library,
        content=BILL.encode(),
        file_name="bill.csv",
    )
    assert BillLine.objects.filter(element__variant=hand_variant).count() == 3
    assert list(hand_variant.elements.values_list("name", "order")) == [
        ("Deklaag", 1),
        ("Opsluiting", 2),
    ]
