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


COLUMN_PLOT_LEFT = 48.0
COLUMN_PLOT_WIDTH = 520.0
COLUMN_PLOT_TOP = 12.0
COLUMN_PLOT_HEIGHT = 200.0
COLUMN_LABEL_HEIGHT = 28.0


@dataclass(frozen=True)
class Column:
    label: str
    value: float | None
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass
class PercentColumnChart:
    """Vertical columns of percentages (0-100) with a horizontal target line."""

    columns: list[Column]
    ticks: list[Tick]
    target: float
    target_y: float
    width: float
    height: float
    plot_left: float = COLUMN_PLOT_LEFT
    plot_right: float = COLUMN_PLOT_LEFT + COLUMN_PLOT_WIDTH
    baseline_y: float = COLUMN_PLOT_TOP + COLUMN_PLOT_HEIGHT

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def percent_columns(
    rows: list[tuple[str, float | None]], target: float
) -> PercentColumnChart:
    """One column per row (a value of None draws no column), on a 0-100 % scale, and
    the target as a line across."""
    bottom = COLUMN_PLOT_TOP + COLUMN_PLOT_HEIGHT

    def y_of(value: float) -> float:
        return bottom - max(0.0, min(100.0, value)) / 100.0 * COLUMN_PLOT_HEIGHT

    slot = COLUMN_PLOT_WIDTH / max(1, len(rows))
    width = min(60.0, slot * 0.6)
    columns = []
    for index, (label, value) in enumerate(rows):
        x = COLUMN_PLOT_LEFT + index * slot + (slot - width) / 2
        top = y_of(value) if value is not None else bottom
        columns.append(Column(label, value, x, top, width, bottom - top))
    return PercentColumnChart(
        columns=columns,
        ticks=[Tick(v, y_of(v)) for v in (0.0, 25.0, 50.0, 75.0, 100.0)],
        target=target,
        target_y=y_of(target),
        width=COLUMN_PLOT_LEFT + COLUMN_PLOT_WIDTH + 12,
        height=bottom + COLUMN_LABEL_HEIGHT,
    )
