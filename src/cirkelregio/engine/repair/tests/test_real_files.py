# SPDX-License-Identifier: EUPL-1.2
"""The two real ORDS files in data/ords (CC BY-SA 4.0, see its README): the engine's
statistics must equal a count written here independently, with the csv module and
collections.Counter on the raw rows."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from cirkelregio.engine.repair.impact import data_path
from cirkelregio.engine.repair.ords import read_ords
from cirkelregio.engine.repair.stats import compute_statistics
from cirkelregio.engine.repair.tests.conftest import FIXIT_FILE, RCI_FILE

STATUS_FIELD = {
    "Fixed": "fixed",
    "Repairable": "repairable",
    "End of life": "end_of_life",
    "Unknown": "unknown",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _independent_kg(rows: list[dict[str, str]]) -> tuple[float, float, int]:
    """Waste and CO2e of the Fixed rows from the two data files, read here."""
    with data_path("ords_restarters_map.csv").open(newline="", encoding="utf-8") as h:
        target = {r["ords_category"]: r["restarters_id"] for r in csv.DictReader(h)}
    with data_path("restarters_categories.csv").open(newline="", encoding="utf-8") as h:
        values = {
            r["restarters_id"]: (float(r["weight_kg"]), float(r["footprint_kg_co2e"]))
            for r in csv.DictReader(h)
            if r["verified"] == "yes" and float(r["weight_kg"]) > 0
        }
    fixed = Counter(
        r["product_category"] for r in rows if r["repair_status"] == "Fixed"
    )
    kg = co2e = 0.0
    without = 0
    for category, n in fixed.items():
        if target[category] in values:
            weight, footprint = values[target[category]]
            kg += n * weight
            co2e += n * footprint * 0.5
        else:
            without += n
    return kg, co2e, without


@pytest.mark.parametrize(
    ("path", "version", "records"),
    [(RCI_FILE, "0.2.1", 23_048), (FIXIT_FILE, "0.3", 1_033)],
)
def test_statistics_equal_an_independent_count(
    path: Path, version: str, records: int
) -> None:
    rows = _rows(path)
    assert len(rows) == records
    ords = read_ords(path)
    assert ords is not None
    assert (ords.version, len(ords.records)) == (version, records)
    assert [r.id for r in ords.records] == [row["id"] for row in rows]

    overall = compute_statistics(ords.records).overall
    assert overall.records == records
    status = Counter(r["repair_status"] for r in rows)
    for text, field in STATUS_FIELD.items():
        assert getattr(overall, field) == status[text], text
    known = status["Fixed"] + status["Repairable"] + status["End of life"]
    assert overall.fix_rate == pytest.approx(status["Fixed"] / known)

    eol = Counter(
        r["repair_barrier_if_end_of_life"] or "not recorded"
        for r in rows
        if r["repair_status"] == "End of life"
    )
    assert {k: v for k, v in overall.barriers.items() if v} == dict(eol)

    kg, co2e, without = _independent_kg(rows)
    assert overall.waste_prevented_kg == pytest.approx(kg, rel=1e-12)
    assert overall.co2e_averted_kg == pytest.approx(co2e, rel=1e-12)
    assert overall.fixed_without_factor == without

    for by, key in (
        ("country", lambda r: (r["country"],)),
        ("year", lambda r: (int(r["event_date"][:4]),)),
        ("group", lambda r: (r["group_identifier"],)),
        ("category", lambda r: (r["product_category"],)),
    ):
        expected_records = Counter(key(r) for r in rows)
        expected_status = Counter((key(r), r["repair_status"]) for r in rows)
        groups = compute_statistics(ords.records, [by]).groups
        assert {g.key: g.records for g in groups} == dict(expected_records), by
        for g in groups:
            for text, field in STATUS_FIELD.items():
                assert getattr(g, field) == expected_status[(g.key, text)], (by, g.key)
        assert [g.key for g in groups] == sorted(expected_records)


def test_figures_of_the_repair_cafe_file() -> None:
    """Known facts of the file (data/ords/README.md), as a second check."""
    ords = read_ords(RCI_FILE)
    assert ords is not None
    result = compute_statistics(ords.records, ["country"])
    o = result.overall
    counts = (o.fixed, o.end_of_life, o.repairable, o.unknown)
    assert counts == (12_267, 7_196, 3_582, 3)
    nld = next(g for g in result.groups if g.key == ("NLD",))
    assert nld.records == 19_100
    assert len(compute_statistics(ords.records, ["group"]).groups) == 100
    years = [g.key[0] for g in compute_statistics(ords.records, ["year"]).groups]
    assert (years[0], years[-1]) == (1999, 2020)
