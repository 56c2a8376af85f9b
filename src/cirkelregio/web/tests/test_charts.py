# SPDX-License-Identifier: EUPL-1.2
"""Geometry of the server-rendered stacked bar chart."""

from __future__ import annotations

import pytest

from cirkelregio.web.charts import LABEL_WIDTH, PLOT_WIDTH, stacked_bars


def test_positive_parts_stack_right_of_zero_and_negative_left() -> None:
    chart = stacked_bars(
        {
            "Standaard": {"A1-A3": 300.0, "C3": 100.0, "D": -100.0},
            "PR 50 %": {"A1-A3": 200.0, "D": -50.0},
        }
    )
    # Scale from -100 to 400 over the plot width: zero sits at 1/5 of it.
    assert chart.zero_x == pytest.approx(LABEL_WIDTH + PLOT_WIDTH * 100 / 500)
    first = chart.bars[0]
    a, c, d = first.segments
    assert a.x == pytest.approx(chart.zero_x)
    assert a.width == pytest.approx(PLOT_WIDTH * 300 / 500)
    assert c.x == pytest.approx(a.x + a.width)
    assert d.x + d.width == pytest.approx(chart.zero_x)
    assert d.width == pytest.approx(PLOT_WIDTH * 100 / 500)
    assert first.total == pytest.approx(300.0)
    assert chart.series == ["A1-A3", "C3", "D"]
    assert chart.table[1] == ("PR 50 %", [200.0, 0.0, -50.0], 150.0)


def test_series_that_are_zero_everywhere_are_left_out() -> None:
    chart = stacked_bars({"x": {"a": 1.0, "b": 0.0}}, series_order=["b", "a"])
    assert chart.series == ["a"]
    assert [item.series for item in chart.legend] == ["a"]


def test_empty_chart_has_no_bars() -> None:
    chart = stacked_bars({})
    assert chart.bars == []
    assert chart.height > 0


def test_template_keeps_svg_numbers_unlocalised_in_dutch() -> None:
    import re

    from django.template.loader import render_to_string
    from django.utils import translation

    chart = stacked_bars({"Variant 1": {"A1-A3": 1234.5, "D": -10.25}})
    with translation.override("nl"):
        html = render_to_string(
            "web/charts/stacked_bars.html",
            {
                "chart": chart,
                "chart_id": "c",
                "title": "MKI",
                "category_label": "Variant",
            },
        )
    for attribute in re.findall(r' (?:x|y|width|x1|x2|y2)="([^"]*)"', html):
        float(attribute)  # a Dutch decimal comma here would break the SVG
    assert "1.234,50" in html  # the table shows Dutch number formatting
    assert "Toon de cijfers" in html or "Show the numbers" in html
