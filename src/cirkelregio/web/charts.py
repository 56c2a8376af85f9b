# SPDX-License-Identifier: EUPL-1.2
"""Server-rendered charts: geometry for SVG bar charts, computed here and drawn by a
template, so pages need no chart library and no inline script or style (the Content
Security Policy allows neither). Every chart is shown with its numbers in a table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

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


LINE_PLOT_LEFT = 64.0
LINE_PLOT_TOP = 12.0
LINE_PLOT_RIGHT_PAD = 16.0
LINE_LABEL_HEIGHT = 28.0
#: Every series has its own marker and dash pattern as well as its colour, so no
#: series is told apart by colour alone.
LINE_MARKERS = ("circle", "square", "triangle", "diamond")
LINE_DASHES = ("", "6 4", "2 3", "10 3 2 3")


@dataclass(frozen=True)
class LinePoint:
    year: int
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class LineSeries:
    name: str
    colour: int
    marker: str
    dash: str
    points: list[LinePoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class YearTick:
    year: int
    x: float


@dataclass
class LineChart:
    """Lines over the years with their markers, axes with ticks and, for the table
    of numbers, one row per year with a value (or None) per series."""

    series: list[LineSeries]
    years: list[YearTick]
    ticks: list[Tick]
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    baseline_y: float
    table: list[tuple[int, list[float | None]]] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values from at most ``low`` to at least ``high``: steps of 1, 2,
    2.5 or 5 times a power of ten, about ``count`` of them."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9 * step:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def line_chart(
    series: dict[str, list[tuple[int, float]]],
    *,
    width: float = 560.0,
    height: float = 220.0,
) -> LineChart:
    """One line per series through its (year, value) points, on a common scale
    from zero (or the lowest value, when below zero) to a round number above the
    highest value. Years without a value break nothing: the line joins the
    values there are."""
    years = sorted({year for points in series.values() for year, _ in points})
    values = [v for points in series.values() for _, v in points]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]))
    low, high = ticks[0], ticks[-1]
    plot_right = width - LINE_PLOT_RIGHT_PAD
    bottom = height - LINE_LABEL_HEIGHT
    plot_height = bottom - LINE_PLOT_TOP

    def x_of(year: int) -> float:
        if len(years) < 2:
            return (LINE_PLOT_LEFT + plot_right) / 2
        return LINE_PLOT_LEFT + (year - years[0]) / (years[-1] - years[0]) * (
            plot_right - LINE_PLOT_LEFT
        )

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * plot_height

    lines = [
        LineSeries(
            name=name,
            colour=index % PALETTE_SIZE,
            marker=LINE_MARKERS[index % len(LINE_MARKERS)],
            dash=LINE_DASHES[index % len(LINE_DASHES)],
            points=[
                LinePoint(year, value, x_of(year), y_of(value))
                for year, value in sorted(points)
            ],
        )
        for index, (name, points) in enumerate(series.items())
    ]
    by_series = [dict(points) for points in series.values()]
    return LineChart(
        series=lines,
        years=[YearTick(year, x_of(year)) for year in years],
        ticks=[Tick(v, y_of(v)) for v in ticks],
        width=width,
        height=height,
        plot_left=LINE_PLOT_LEFT,
        plot_right=plot_right,
        plot_top=LINE_PLOT_TOP,
        baseline_y=bottom,
        table=[(year, [values.get(year) for values in by_series]) for year in years],
    )


CHOROPLETH_WIDTH = 400.0
CHOROPLETH_CLASSES = 5


@dataclass(frozen=True)
class Area:
    name: str
    url: str
    path: str
    value: float | None
    shade: int | None  # the class; None: no value


@dataclass(frozen=True)
class ShadeClass:
    shade: int
    low: float
    high: float
    count: int


@dataclass
class Choropleth:
    areas: list[Area]
    classes: list[ShadeClass]
    width: float
    height: float
    missing: int

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def shade_classes(
    values: list[float], count: int = CHOROPLETH_CLASSES
) -> list[ShadeClass]:
    """Up to ``count`` classes of about as many distinct values each (quantiles),
    bounded by values that occur, so no class is empty and none overlap."""
    distinct = sorted(set(values))
    n = min(count, len(distinct))
    classes = []
    for index in range(n):
        part = distinct[index * len(distinct) // n : (index + 1) * len(distinct) // n]
        classes.append(
            ShadeClass(
                index,
                part[0],
                part[-1],
                sum(1 for v in values if part[0] <= v <= part[-1]),
            )
        )
    return classes


def choropleth(
    cells: list[tuple[str, str, dict[str, Any], float | None]],
) -> Choropleth:
    """Areas (name, link, GeoJSON geometry in WGS84, value) drawn as SVG paths, shaded
    by class of value; longitudes are narrowed by the cosine of the mean latitude so
    the shapes keep their proportions."""
    rings = [ring for _, _, geometry, _ in cells for ring in _rings(geometry)]
    lons = [p[0] for ring in rings for p in ring] or [0.0, 1.0]
    lats = [p[1] for ring in rings for p in ring] or [0.0, 1.0]
    factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = ((max(lons) - min(lons)) * factor) or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    scale = (CHOROPLETH_WIDTH - 8) / span_x
    height = span_y * scale + 8

    def path(geometry: dict[str, Any]) -> str:
        parts = []
        for ring in _rings(geometry):
            points: list[str] = []
            for lon, lat, *_ in ring:
                point = (
                    f"{4 + (lon - min(lons)) * factor * scale:.1f},"
                    f"{4 + (max(lats) - lat) * scale:.1f}"
                )
                if not points or points[-1] != point:
                    points.append(point)
            parts.append("M" + " L".join(points) + " Z")
        return " ".join(parts)

    classes = shade_classes([v for *_, v in cells if v is not None])

    def shade(value: float | None) -> int | None:
        if value is None:
            return None
        return next(c.shade for c in classes if value <= c.high)

    return Choropleth(
        areas=[
            Area(name, url, path(geometry), value, shade(value))
            for name, url, geometry, value in cells
        ],
        classes=classes,
        width=CHOROPLETH_WIDTH,
        height=height,
        missing=sum(1 for *_, v in cells if v is None),
    )
