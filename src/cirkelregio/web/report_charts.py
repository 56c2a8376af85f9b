# SPDX-License-Identifier: EUPL-1.2
"""Geometry of the annual plan and report charts, drawn as SVG by templates (no chart
library, no inline script or style): counts per category as horizontal bars, and the
phases of a line's participants over time as a step timeline. Every chart is shown
with its numbers in a table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

COUNT_LABEL_WIDTH = 150.0
COUNT_PLOT_WIDTH = 300.0
COUNT_VALUE_WIDTH = 40.0
COUNT_BAR_HEIGHT = 20.0
COUNT_GAP = 8.0


@dataclass(frozen=True)
class CountBar:
    key: str
    label: str
    value: int
    y: float
    width: float

    @property
    def text_y(self) -> float:
        return self.y + 14

    @property
    def value_x(self) -> float:
        return COUNT_LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class CountChart:
    bars: list[CountBar]
    total: int
    width: float = COUNT_LABEL_WIDTH + COUNT_PLOT_WIDTH + COUNT_VALUE_WIDTH
    height: float = 0.0
    plot_left: float = COUNT_LABEL_WIDTH
    label_x: float = COUNT_LABEL_WIDTH - 8

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def count_bars(rows: list[tuple[str, str, int]]) -> CountChart:
    """One bar per (key, label, count), scaled to the largest count."""
    largest = max([1, *(n for _k, _l, n in rows)])
    bars = [
        CountBar(
            key,
            label,
            n,
            COUNT_GAP + i * (COUNT_BAR_HEIGHT + COUNT_GAP),
            COUNT_PLOT_WIDTH * n / largest,
        )
        for i, (key, label, n) in enumerate(rows)
    ]
    return CountChart(
        bars=bars,
        total=sum(n for _k, _l, n in rows),
        height=COUNT_GAP + len(rows) * (COUNT_BAR_HEIGHT + COUNT_GAP),
    )


TIMELINE_LABEL_WIDTH = 230.0
TIMELINE_PLOT_WIDTH = 520.0
TIMELINE_ROW_HEIGHT = 18.0
TIMELINE_GAP = 6.0
TIMELINE_AXIS_HEIGHT = 24.0


@dataclass(frozen=True)
class TimelineSegment:
    phase: str
    label: str
    start: dt.date
    end: dt.date | None
    x: float
    width: float


@dataclass(frozen=True)
class TimelineRow:
    label: str
    y: float
    segments: list[TimelineSegment]

    @property
    def text_y(self) -> float:
        return self.y + 13


@dataclass(frozen=True)
class TimelineTick:
    year: int
    x: float


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    ticks: list[TimelineTick]
    start: dt.date
    end: dt.date
    width: float
    height: float
    plot_left: float = TIMELINE_LABEL_WIDTH
    plot_right: float = TIMELINE_LABEL_WIDTH + TIMELINE_PLOT_WIDTH
    label_x: float = TIMELINE_LABEL_WIDTH - 8

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"

    @property
    def axis_y(self) -> float:
        return self.height - TIMELINE_AXIS_HEIGHT

    @property
    def tick_label_y(self) -> float:
        return self.height - 6


def phase_timeline(
    rows: list[tuple[str, list[tuple[str, str, dt.date, dt.date | None]]]],
    today: dt.date,
) -> Timeline:
    """One row per participant: ``(label, [(phase, phase label, start, end), ...])``;
    an end of None runs to ``today``. The axis runs from 1 January of the first year
    to 1 January after ``today``, with a tick per year."""
    first = min(
        (start for _label, steps in rows for _p, _l, start, _e in steps),
        default=today,
    )
    start = dt.date(first.year, 1, 1)
    end = dt.date(today.year + 1, 1, 1)
    span = (end - start).days or 1

    def x_of(day: dt.date) -> float:
        return TIMELINE_LABEL_WIDTH + (day - start).days / span * TIMELINE_PLOT_WIDTH

    drawn = []
    for i, (label, steps) in enumerate(rows):
        y = TIMELINE_GAP + i * (TIMELINE_ROW_HEIGHT + TIMELINE_GAP)
        segments = []
        for phase, phase_label, s, e in steps:
            until = min(e or today, today)
            segments.append(
                TimelineSegment(
                    phase,
                    phase_label,
                    s,
                    e,
                    x_of(s),
                    max(1.0, x_of(until) - x_of(s)),
                )
            )
        drawn.append(TimelineRow(label, y, segments))
    height = (
        TIMELINE_GAP
        + len(rows) * (TIMELINE_ROW_HEIGHT + TIMELINE_GAP)
        + TIMELINE_AXIS_HEIGHT
    )
    return Timeline(
        rows=drawn,
        ticks=[
            TimelineTick(year, x_of(dt.date(year, 1, 1)))
            for year in range(start.year, end.year + 1)
        ],
        start=start,
        end=end,
        width=TIMELINE_LABEL_WIDTH + TIMELINE_PLOT_WIDTH + 20,
        height=height,
    )
