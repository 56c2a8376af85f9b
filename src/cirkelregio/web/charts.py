# SPDX-License-Identifier: EUPL-1.2
"""Server-rendered charts: geometry for SVG bar charts, computed here and drawn by a
template, so pages need no chart library and no inline script or style (the Content
Security Policy allows neither). Every chart is shown with its numbers in a table."""

from __future__ import annotations

from dataclasses import dataclass, field

LABEL_WIDTH = 170.0
PLOT_WIDTH = 400.0
VALUE_WIDTH = 110.0
BAR_HEIGHT = 22.0
BAR_GAP = 10.0
PALETTE_SIZE = 10


@dataclass(frozen=True)
class Segment:
    series: str
    value: float
    x: float
    width: float
    colour: int


@dataclass(frozen=True)
class Bar:
    label: str
    total: float
    y: float
    segments: list[Segment]
    total_x: float


@dataclass(frozen=True)
class Legend:
    series: str
    colour: int


@dataclass
class StackedBarChart:
    bars: list[Bar]
    legend: list[Legend]
    zero_x: float
    width: float
    height: float
    series: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    table: list[tuple[str, list[float], float]] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"

    @property
    def label_x(self) -> float:
        return LABEL_WIDTH - 8

    @property
    def plot_right(self) -> float:
        return LABEL_WIDTH + PLOT_WIDTH


def stacked_bars(
    rows: dict[str, dict[str, float]], series_order: list[str] | None = None
) -> StackedBarChart:
    """One horizontal bar per row, stacked by series. Positive parts grow to the right
    of zero, negative parts (such as module D) to the left."""
    series = list(series_order or [])
    for values in rows.values():
        for name in values:
            if name not in series:
                series.append(name)
    series = [s for s in series if any(abs(v.get(s, 0.0)) > 0 for v in rows.values())]
    lows = [sum(min(0.0, v.get(s, 0.0)) for s in series) for v in rows.values()]
    highs = [sum(max(0.0, v.get(s, 0.0)) for s in series) for v in rows.values()]
    low, high = min([0.0, *lows]), max([0.0, *highs])
    span = (high - low) or 1.0

    def x_of(value: float) -> float:
        return LABEL_WIDTH + (value - low) / span * PLOT_WIDTH

    zero = x_of(0.0)
    colours = {s: i % PALETTE_SIZE for i, s in enumerate(series)}
    bars = []
    table = []
    for index, (label, values) in enumerate(rows.items()):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        positive, negative = 0.0, 0.0
        segments = []
        for s in series:
            v = values.get(s, 0.0)
            if v > 0:
                start, positive = positive, positive + v
                segments.append(
                    Segment(s, v, x_of(start), x_of(positive) - x_of(start), colours[s])
                )
            elif v < 0:
                start, negative = negative, negative + v
                segments.append(
                    Segment(
                        s, v, x_of(negative), x_of(start) - x_of(negative), colours[s]
                    )
                )
        total = sum(values.get(s, 0.0) for s in series)
        bars.append(Bar(label, total, y, segments, x_of(positive) + 6))
        table.append((label, [values.get(s, 0.0) for s in series], total))
    height = BAR_GAP + len(rows) * (BAR_HEIGHT + BAR_GAP)
    return StackedBarChart(
        bars=bars,
        legend=[Legend(s, colours[s]) for s in series],
        zero_x=zero,
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=height,
        series=series,
        categories=list(rows),
        table=table,
    )
