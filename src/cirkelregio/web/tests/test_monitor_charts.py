# SPDX-License-Identifier: EUPL-1.2
"""The Regiomonitor's chart geometry: round ticks, line positions computed by hand,
quantile classes that are never empty, and map shapes in proportion."""

from __future__ import annotations

import pytest

from cirkelregio.web import charts


def test_ticks_are_round_and_cover_the_values() -> None:
    assert charts.nice_ticks(0.0, 12.5) == [0.0, 5.0, 10.0, 15.0]  # step 12.5/4 -> 5
    assert charts.nice_ticks(0.0, 0.8) == [0.0, 0.2, 0.4, 0.6, 0.8]
    # 100 / 4 = 25: steps of 25 from floor(-30 / 25) * 25 = -50 to 75.
    assert charts.nice_ticks(-30.0, 70.0) == [-50.0, -25.0, 0.0, 25.0, 50.0, 75.0]
    assert charts.nice_ticks(0.0, 0.0) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_line_chart_places_points_by_year_and_value() -> None:
    chart = charts.line_chart(
        {"Region": [(2022, 15.0), (2020, 0.0)], "Utrecht": [(2021, 5.0)]}
    )
    # Plot from x 64 to 560 - 16 = 544 and from y 12 to 220 - 28 = 192; scale 0-15.
    region, utrecht = chart.series
    assert [(p.year, p.x, p.y) for p in region.points] == [
        (2020, 64.0, 192.0),
        (2022, 544.0, 12.0),
    ]
    assert [(p.x, p.y) for p in utrecht.points] == [(304.0, 132.0)]
    assert region.polyline == "64.0,192.0 544.0,12.0"
    assert (region.marker, region.dash) != (utrecht.marker, utrecht.dash)
    assert chart.table == [
        (2020, [0.0, None]),
        (2021, [None, 5.0]),
        (2022, [15.0, None]),
    ]
    assert [t.value for t in chart.ticks] == [0.0, 5.0, 10.0, 15.0]


def test_shade_classes_are_quantiles_of_values_that_occur() -> None:
    classes = charts.shade_classes([float(v) for v in range(1, 11)])
    assert [(c.low, c.high, c.count) for c in classes] == [
        (1.0, 2.0, 2),
        (3.0, 4.0, 2),
        (5.0, 6.0, 2),
        (7.0, 8.0, 2),
        (9.0, 10.0, 2),
    ]
    assert [(c.low, c.high, c.count) for c in charts.shade_classes([3.0] * 3)] == [
        (3.0, 3.0, 3)
    ]
    assert charts.shade_classes([]) == []


def test_choropleth_draws_every_area_and_shades_those_with_a_value() -> None:
    def square(x: float) -> dict[str, object]:
        ring = [[x, 0.0], [x + 1, 0.0], [x + 1, 1.0], [x, 1.0], [x, 0.0]]
        return {"type": "Polygon", "coordinates": [ring]}

    chart = charts.choropleth(
        [
            ("A", "/a/", square(0.0), 1.0),
            ("B", "/b/", square(1.0), 9.0),
            ("C", "/c/", {"type": "MultiPolygon", "coordinates": [[[]]]}, None),
        ]
    )
    assert [(a.name, a.shade) for a in chart.areas] == [("A", 0), ("B", 1), ("C", None)]
    assert chart.missing == 1
    # Two squares side by side at the equator: twice as wide as high.
    assert chart.width == 400.0
    assert chart.height == pytest.approx(392 / 2 + 8, rel=1e-3)
    assert chart.areas[0].path.startswith("M4.0,")
    assert chart.areas[0].path.endswith(" Z")
