# SPDX-License-Identifier: EUPL-1.2
"""The shipped weighting sets: the indicators of docs/mki-method.md, a source for every
factor, and no guessed numbers."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from cirkelregio.engine.dataio import Collector
from cirkelregio.engine.mki.weighting import builtin_path, load_weighting_set

EXPECTED = {
    "nmd-a1": [
        "ADPE",
        "ADPF",
        "GWP",
        "ODP",
        "POCP",
        "AP",
        "EP",
        "HTP",
        "FAETP",
        "MAETP",
        "TETP",
    ],
    "nmd-a2": [
        "GWP-total",
        "GWP-fossil",
        "GWP-biogenic",
        "GWP-luluc",
        "ODP",
        "AP",
        "EP-freshwater",
        "EP-marine",
        "EP-terrestrial",
        "POCP",
        "PM",
        "IRP",
        "ADP-minerals-metals",
        "ADP-fossil",
        "WDP",
        "ETP-fw",
        "HTP-c",
        "HTP-nc",
        "SQP",
    ],
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_indicators_as_the_method_names_them(code: str) -> None:
    c = Collector()
    weights = load_weighting_set(code, c)
    assert weights is not None, c.problems
    assert list(weights.indicators) == EXPECTED[code]


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_row_names_its_source(code: str) -> None:
    with builtin_path(code).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            assert row["source"].strip(), row["indicator"]
            if not row["eur_per_unit"]:
                assert row["source"].startswith("NOT VERIFIED"), row["indicator"]


def test_gwp_parts_are_not_counted_twice() -> None:
    weights = load_weighting_set("nmd-a2", Collector())
    assert weights is not None
    effective = dict(zip(weights.indicators, weights.effective_factors(), strict=True))
    assert (
        effective["GWP-fossil"]
        == effective["GWP-biogenic"]
        == effective["GWP-luluc"]
        == 0
    )
    assert effective["GWP-total"] == pytest.approx(0.116)


def test_absent_factors_are_nan_not_zero() -> None:
    weights = load_weighting_set("nmd-a2", Collector())
    assert weights is not None
    absent = [
        i
        for i, f in zip(weights.indicators, weights.factors, strict=True)
        if np.isnan(f)
    ]
    assert "PM" in absent
