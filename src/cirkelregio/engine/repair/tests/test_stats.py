# SPDX-License-Identifier: EUPL-1.2
"""Statistics worked out by hand on small files, and the shipped impact factors."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from cirkelregio.engine.dataio import Collector, DataLoadError
from cirkelregio.engine.repair.impact import (
    data_path,
    load_impact_factors,
    read_impact_factors,
)
from cirkelregio.engine.repair.ords import ORDS_PRODUCT_CATEGORIES, read_ords
from cirkelregio.engine.repair.stats import NOT_RECORDED, compute_statistics
from cirkelregio.engine.repair.tests.conftest import (
    CATEGORIES_FILE,
    V021_HEADER,
    V021_ROWS,
    V03_HEADER,
    V03_ROWS,
)

Write = Callable[[str, str], Path]

# Values of restarters.net migration 2021_08_13_000439 (kg, kg CO2e), typed from the
# migration, to catch an edit of the data file.
COFFEE_MAKER = (1.28, 17.5)
SMALL_KITCHEN_ITEM = (2.95, 30.9)
LAPTOP_SMALL = (1.39, 221.15)
FLAT_SCREEN_15_17 = (3.15, 262.56)


def test_v021_by_hand(write: Write) -> None:
    ords = read_ords(write("rc.csv", V021_HEADER + V021_ROWS))
    assert ords is not None
    result = compute_statistics(ords.records)
    o = result.overall
    assert (o.key, o.records, o.fixed, o.repairable, o.end_of_life, o.unknown) == (
        (),
        5,
        2,
        1,
        1,
        1,
    )
    # Unknown (t_5) is outside the fix rate: 2 fixed of 4 with a known outcome.
    assert o.fix_rate == pytest.approx(2 / 4)
    # Fixed: a coffee maker (t_1) and a Misc item (t_4), which has no weight.
    assert o.waste_prevented_kg == pytest.approx(COFFEE_MAKER[0])
    assert o.co2e_averted_kg == pytest.approx(COFFEE_MAKER[1] * 0.5)
    assert o.fixed_without_factor == 1
    assert o.barriers[NOT_RECORDED] == 1
    assert sum(o.barriers.values()) == o.end_of_life
    assert result.groups == ()


def test_v03_by_hand_with_groups(write: Write) -> None:
    ords = read_ords(write("clinic.csv", V03_HEADER + V03_ROWS))
    assert ords is not None
    result = compute_statistics(ords.records, ["group", "year"])
    assert result.by == ("group", "year")
    assert [g.key for g in result.groups] == [("Clinic A", 2021), ("Clinic B", 2022)]
    a, b = result.groups
    # Clinic A: a fixed food processor (counted as Small kitchen item) and a toaster
    # at end of life, too worn out.
    assert (a.records, a.fixed, a.end_of_life, a.fix_rate) == (2, 1, 1, 0.5)
    assert a.waste_prevented_kg == pytest.approx(SMALL_KITCHEN_ITEM[0])
    assert a.co2e_averted_kg == pytest.approx(SMALL_KITCHEN_ITEM[1] * 0.5)
    assert a.barriers["Item too worn out"] == 1
    # Clinic B: a fixed laptop (counted as Laptop small) and a kettle too worn out.
    assert b.waste_prevented_kg == pytest.approx(LAPTOP_SMALL[0])
    assert b.co2e_averted_kg == pytest.approx(LAPTOP_SMALL[1] * 0.5)
    o = result.overall
    assert (o.records, o.fixed, o.end_of_life, o.fixed_without_factor) == (4, 2, 2, 0)
    assert o.barriers == {
        "Spare parts not available": 0,
        "Spare parts too expensive": 0,
        "No way to open product": 0,
        "Repair information not available": 0,
        "Lack of equipment": 0,
        "Item too worn out": 2,
        NOT_RECORDED: 0,
    }
    assert o.waste_prevented_kg == pytest.approx(
        a.waste_prevented_kg + b.waste_prevented_kg
    )


def test_groups_partition_the_records(write: Write) -> None:
    ords = read_ords(write("rc.csv", V021_HEADER + V021_ROWS))
    assert ords is not None
    for by in (["country"], ["year"], ["group"], ["category"], ["country", "category"]):
        result = compute_statistics(ords.records, by)
        for name in ("records", "fixed", "repairable", "end_of_life", "unknown"):
            assert sum(getattr(g, name) for g in result.groups) == getattr(
                result.overall, name
            )
        assert sum(g.waste_prevented_kg for g in result.groups) == pytest.approx(
            result.overall.waste_prevented_kg
        )
    by_category = compute_statistics(ords.records, ["category"])
    assert [g.key for g in by_category.groups] == [
        ("Coffee maker",),
        ("Flat screen",),
        ("Lamp",),
        ("Misc",),
    ]


def test_fix_rate_is_none_without_a_known_outcome(write: Write) -> None:
    rows = V021_ROWS.splitlines(keepends=True)
    ords = read_ords(write("u.csv", V021_HEADER + rows[-1]))
    assert ords is not None
    assert compute_statistics(ords.records).overall.fix_rate is None
    assert compute_statistics([]).overall.records == 0


def test_flat_screen_counts_as_the_smallest_size(write: Write) -> None:
    content = V021_HEADER + V021_ROWS.replace(
        "Repairable,,0112,2020-01-11", "Fixed,,0112,2020-01-11"
    )
    ords = read_ords(write("fs.csv", content))
    assert ords is not None
    o = compute_statistics(ords.records).overall
    assert o.waste_prevented_kg == pytest.approx(COFFEE_MAKER[0] + FLAT_SCREEN_15_17[0])
    assert o.co2e_averted_kg == pytest.approx(
        (COFFEE_MAKER[1] + FLAT_SCREEN_15_17[1]) * 0.5
    )


def test_unknown_group_field_is_refused() -> None:
    with pytest.raises(ValueError, match="by must be distinct fields"):
        compute_statistics([], ["municipality"])
    with pytest.raises(ValueError, match="by must be distinct fields"):
        compute_statistics([], ["year", "year"])


def test_shipped_mapping_covers_the_40_ords_categories() -> None:
    with CATEGORIES_FILE.open(newline="", encoding="utf-8") as handle:
        published = {
            int(r["product_category_id"]): r["product_category"]
            for r in csv.DictReader(handle)
        }
    assert published == ORDS_PRODUCT_CATEGORIES
    factors = load_impact_factors()
    assert factors.displacement == 0.5
    assert set(factors.by_ords_id) == set(published)
    for f in factors.by_ords_id.values():
        assert f.ords_category == published[f.ords_id]
        if f.match != "one-to-one":
            assert f.note
    without = sorted(
        f.ords_category for f in factors.by_ords_id.values() if f.weight_kg is None
    )
    assert without == [
        "Battery/charger/adapter",
        "Large home electrical",
        "Misc",
        "Small home electrical",
    ]
    chosen = {
        f.ords_category: f.restarters_id
        for f in factors.by_ords_id.values()
        if f.match == "chosen"
    }
    assert chosen == {
        "Flat screen": 12,
        "Laptop": 17,
        "Food processor": 42,
        "Hair dryer": 38,
    }


def test_shipped_restarters_values_are_only_used_when_verified() -> None:
    with data_path("restarters_categories.csv").open(newline="", encoding="utf-8") as h:
        rows = {int(r["restarters_id"]): r for r in csv.DictReader(h)}
    assert set(rows) == set(range(6, 53))
    for r in rows.values():
        assert r["verified"] == "yes" or r["verified"].startswith(
            ("yes (", "NOT VERIFIED")
        )
        assert "TheRestartProject/restarters.net" in r["source"]
        assert "commit" in r["source"]
    used = {
        f.restarters_id
        for f in load_impact_factors().by_ords_id.values()
        if f.weight_kg is not None
    }
    assert all(rows[i]["verified"] == "yes" for i in used)


def _factor_files(
    write: Write, *, categories: str | None = None, mapping: str | None = None
) -> tuple[Path, Path, Path]:
    names = ("restarters_categories.csv", "ords_restarters_map.csv")
    texts = [data_path(n).read_text(encoding="utf-8") for n in names]
    return (
        write("cat.csv", categories if categories is not None else texts[0]),
        write("map.csv", mapping if mapping is not None else texts[1]),
        data_path("restarters_constants.csv"),
    )


def test_a_not_verified_value_is_left_out(write: Write) -> None:
    text = data_path("restarters_categories.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    kettle = next(i for i, line in enumerate(lines) if line.startswith("39,"))
    lines[kettle] = lines[kettle].replace(",yes,", ",NOT VERIFIED: test,", 1)
    c = Collector()
    factors = read_impact_factors(*_factor_files(write, categories="".join(lines)), c)
    assert c.problems == [] and factors is not None
    kettle_ords = 14
    assert factors.weight(kettle_ords) is None
    assert factors.co2e_per_fixed_item(kettle_ords) is None
    assert factors.weight(36) == pytest.approx(COFFEE_MAKER[0])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("\n14,Kettle,39,one-to-one,\n", "\n"),
            "map.csv: no row for ORDS categories 14",
        ),
        (
            lambda t: t.replace("14,Kettle,39,one-to-one,", "14,Kettle,39,chosen,"),
            "map.csv, line 15, field 'note': a note is required when the match is "
            "not one-to-one",
        ),
        (
            lambda t: t.replace("14,Kettle,39,", "14,Waterkoker,39,"),
            "map.csv, line 15, field 'ords_category': ORDS category 14 is 'Kettle'",
        ),
        (
            lambda t: t.replace("14,Kettle,39,", "14,Kettle,99,"),
            "map.csv, line 15, field 'restarters_id': no Restarters category 99",
        ),
        (
            lambda t: t.replace("14,Kettle,39,", "14,Kettle,,"),
            "map.csv, line 15, field 'match': is 'none' exactly when restarters_id "
            "is empty",
        ),
        (
            lambda t: t.replace("14,Kettle,39,one-to-one", "14,Kettle,39,same"),
            "map.csv, line 15, field 'match': must be one of one-to-one, chosen, "
            "none (got 'same')",
        ),
    ],
)
def test_bad_mapping_files(
    write: Write, edit: Callable[[str], str], message: str
) -> None:
    text = data_path("ords_restarters_map.csv").read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    c = Collector()
    assert read_impact_factors(*_factor_files(write, mapping=changed), c) is None
    assert [str(p) for p in c.problems] == [message]
    with pytest.raises(DataLoadError):
        c.raise_if_any()
