# SPDX-License-Identifier: EUPL-1.2
"""Released and needed tonnes of a work, checked against hand computations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cirkelregio.engine.roads.materials import (
    EURAL_TAR_CONTAINING,
    EURAL_TAR_FREE,
    LayerIn,
    NewLayerIn,
    is_tar_containing,
    layer_tonnes,
    work_materials,
)

# Densities here are test inputs, not catalogue figures.
TOP = LayerIn(1, "PA 16", 50, 2.0, True, False)
BIN = LayerIn(2, "AC 16 bin", 60, 2.4, True, False)
TAR = LayerIn(3, "AC 22 base", 80, 2.4, True, True)
SAND = LayerIn(4, "sand", 300, None, False, False)


def test_layer_tonnes_hand_computed() -> None:
    # 1,250 m2 x 0.045 m x 2.0 t/m3 = 112.5 t
    assert layer_tonnes(1250, 45, 2.0) == pytest.approx(112.5)


def test_milling_to_a_depth_releases_the_last_layer_in_part() -> None:
    result = work_materials(
        area_m2=1000, layers=[BIN, TOP], new_layers=[], removal_depth_mm=70
    )
    assert [(m.mixture, m.thickness_mm) for m in result.released] == [
        ("PA 16", 50),
        ("AC 16 bin", 20),
    ]
    # 1000 x 0.050 x 2.0 = 100 t; 1000 x 0.020 x 2.4 = 48 t
    assert [m.tonnes for m in result.released] == pytest.approx([100.0, 48.0])
    assert result.released_tonnes == pytest.approx(148.0)
    assert result.offered_tonnes == pytest.approx(148.0)
    assert result.hazardous_tonnes == 0
    assert {m.eural for m in result.released} == {EURAL_TAR_FREE}


def test_tar_containing_layer_is_hazardous_and_never_offered() -> None:
    tar_offered = LayerIn(3, "AC 22 base", 80, 2.4, True, True, offered_for_reuse=True)
    result = work_materials(
        area_m2=500, layers=[TOP, BIN, tar_offered], new_layers=[], layers_removed=3
    )
    tar = result.released[2]
    assert tar.hazardous and tar.tar_containing and not tar.offered
    assert tar.eural == EURAL_TAR_CONTAINING
    # 500 x 0.080 x 2.4 = 96 t hazardous; offered: 50 + 72 = 122 t
    assert result.hazardous_tonnes == pytest.approx(96.0)
    assert result.offered_tonnes == pytest.approx(122.0)
    assert result.released_tonnes == pytest.approx(218.0)


def test_missing_density_refuses_the_tonnes_and_the_totals() -> None:
    result = work_materials(
        area_m2=100, layers=[TOP, BIN, TAR, SAND], new_layers=[], layers_removed=4
    )
    assert result.released[3].tonnes is None
    assert "has no verified density" in result.released[3].error
    assert not result.complete
    assert result.released_tonnes is None and result.offered_tonnes is None
    assert result.released[3].eural == "" and not result.released[3].offered


def test_needed_mixtures_with_reclaimed_share() -> None:
    result = work_materials(
        area_m2=2000,
        layers=[TOP],
        new_layers=[NewLayerIn(1, "AC 11 surf", 30, 2.4, pr_percent=30)],
        layers_removed=1,
    )
    # 2000 x 0.030 x 2.4 = 144 t, of which 30 % = 43.2 t reclaimed asphalt
    assert result.needed_tonnes == pytest.approx(144.0)
    assert result.needed_reclaimed_tonnes == pytest.approx(43.2)


def test_depth_and_count_together_are_refused() -> None:
    with pytest.raises(ValueError, match="not both"):
        work_materials(
            area_m2=1,
            layers=[TOP],
            new_layers=[],
            removal_depth_mm=10,
            layers_removed=1,
        )


def test_tar_threshold() -> None:
    assert is_tar_containing(None) is None
    assert is_tar_containing(74.9) is False
    assert is_tar_containing(75) is True


@given(
    thicknesses=st.lists(st.integers(10, 200), min_size=1, max_size=5),
    depth=st.integers(0, 1200),
)
def test_milled_thickness_is_the_depth_or_the_whole_passport(
    thicknesses: list[int], depth: int
) -> None:
    layers = [
        LayerIn(i + 1, f"m{i}", t, 2.0, True, False) for i, t in enumerate(thicknesses)
    ]
    result = work_materials(
        area_m2=10, layers=layers, new_layers=[], removal_depth_mm=depth
    )
    milled = sum(m.thickness_mm for m in result.released)
    assert milled == min(depth, sum(thicknesses))
    assert result.released_tonnes == pytest.approx(10 * milled / 1000 * 2.0)
