# SPDX-License-Identifier: EUPL-1.2
"""Reads of the monitoring: indicators, their values, and what the region dashboard
and the municipality pages show (docs/monitoring.md). Every dashboard selector runs a
constant number of queries, whatever the number of municipalities, years and
indicators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cirkelregio.accounts.selectors import is_coordinator
from cirkelregio.monitoring.models import (
    Direction,
    Indicator,
    IndicatorValue,
    Scope,
    Unit,
)
from cirkelregio.regions import selectors as regions
from cirkelregio.regions.models import PHASE_ORDER, ActionLine, Municipality, Phase

__all__ = [
    "Comparison",
    "ComparisonRow",
    "Figure",
    "LineOverview",
    "MapCell",
    "Overview",
    "SeriesPoint",
    "comparison",
    "indicator_get",
    "indicator_list",
    "indicator_map",
    "indicator_series",
    "municipality_overview",
    "region_overview",
    "value_list",
]

PER_INHABITANT_UNITS = {Unit.COUNT, Unit.TONNE, Unit.KG, Unit.KG_CO2E, Unit.EUR}


def indicator_list(*, user: Any = None) -> QuerySet[Indicator]:
    """Published indicators for everyone; coordinators see all."""
    qs = Indicator.objects.select_related("action_line")
    return qs if is_coordinator(user) else qs.filter(is_published=True)


def indicator_get(*, code: str, user: Any = None) -> Indicator | None:
    return indicator_list(user=user).filter(code=code).first()


def value_list(*, user: Any = None) -> QuerySet[IndicatorValue]:
    """The values of the indicators the user sees."""
    qs = IndicatorValue.objects.select_related(
        "indicator", "indicator__action_line", "municipality"
    ).defer("municipality__boundary", "municipality__bbox")
    if is_coordinator(user):
        return qs
    return qs.filter(indicator__is_published=True)


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    year: int | None
    value: float | None
    source: str
    is_computed: bool
    previous_year: int | None
    previous_value: float | None
    trend: str
    assessment: str
    target_value: float | None
    target_year: int | None
    target_progress: float | None


@dataclass(frozen=True)
class LineOverview:
    action_line: ActionLine | None
    phase: str | None
    phase_counts: dict[str, int]
    figures: list[Figure]


@dataclass(frozen=True)
class Overview:
    year: int | None
    years: list[int]
    municipality: Municipality | None
    lines: list[LineOverview]


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    value: float
    source: str
    is_computed: bool


@dataclass(frozen=True)
class MapCell:
    municipality: Municipality
    value: float | None


@dataclass(frozen=True)
class ComparisonRow:
    municipality: Municipality
    value: float | None
    rank: int | None
    per_10000: float | None
    difference_from_mean: float | None


@dataclass(frozen=True)
class Comparison:
    indicator: Indicator
    year: int
    region_value: float | None
    mean: float | None
    rows: list[ComparisonRow]


Row = tuple[int, float, str, bool]  # year, value, source, is_computed


def _trend(value: float, previous: float) -> str:
    if value > previous:
        return "up"
    if value < previous:
        return "down"
    return "flat"


def _assessment(direction: str, trend: str) -> str:
    if not trend or direction == Direction.NEUTRAL:
        return ""
    if trend == "flat":
        return "same"
    better = (trend == "up") == (direction == Direction.HIGHER_BETTER)
    return "better" if better else "worse"


def _figure(indicator: Indicator, rows: list[Row], year: int | None) -> Figure:
    """``rows`` ascending by year; the latest at or before ``year`` and the one
    before it."""
    upto = [r for r in rows if year is None or r[0] <= year]
    last = upto[-1] if upto else None
    prev = upto[-2] if len(upto) > 1 else None
    trend = _trend(last[1], prev[1]) if last and prev else ""
    progress = None
    if (
        last is not None
        and indicator.target_value
        and indicator.direction == Direction.HIGHER_BETTER
    ):
        progress = last[1] / indicator.target_value * 100.0
    return Figure(
        indicator=indicator,
        year=last[0] if last else None,
        value=last[1] if last else None,
        source=last[2] if last else "",
        is_computed=last[3] if last else False,
        previous_year=prev[0] if prev else None,
        previous_value=prev[1] if prev else None,
        trend=trend,
        assessment=_assessment(indicator.direction, trend),
        target_value=indicator.target_value,
        target_year=indicator.target_year,
        target_progress=progress,
    )


def _line_phase(counts: dict[str, int]) -> str | None:
    """The phase most participations are in; a tie goes to the furthest."""
    best = max(
        Phase.values,
        key=lambda p: (counts.get(p, 0), PHASE_ORDER[Phase(p)]),
    )
    return best if counts.get(best, 0) else None


def _overview(
    *,
    municipality: Municipality | None,
    year: int | None,
    indicators: list[Indicator],
    lines: list[ActionLine],
    counts: dict[int, dict[str, int]],
    phases: dict[int, str],
) -> Overview:
    rows: dict[int, list[Row]] = defaultdict(list)
    values = IndicatorValue.objects.filter(
        indicator__in=[i.pk for i in indicators], municipality=municipality
    ).order_by("year")
    years: set[int] = set()
    for ind_id, y, value, source, computed in values.values_list(
        "indicator_id", "year", "value", "source", "is_computed"
    ):
        rows[ind_id].append((y, value, source, computed))
        years.add(y)
    if year is None and years:
        year = max(years)
    by_line: dict[int | None, list[Figure]] = defaultdict(list)
    for ind in indicators:
        by_line[ind.action_line_id].append(_figure(ind, rows.get(ind.pk, []), year))
    out = []
    for line in lines:
        c = counts.get(line.pk, {})
        phase = phases.get(line.pk) if municipality is not None else _line_phase(c)
        out.append(
            LineOverview(
                action_line=line,
                phase=phase,
                phase_counts={p: c.get(p, 0) for p in Phase.values},
                figures=by_line.get(line.pk, []),
            )
        )
    if by_line.get(None):
        out.append(LineOverview(None, None, {}, by_line[None]))
    return Overview(
        year=year, years=sorted(years), municipality=municipality, lines=out
    )


def region_overview(*, year: int | None = None) -> Overview:
    """Per action line its phase and the region values of its published
    indicators: latest at or before ``year`` (default: the latest year with any
    value), previous value, trend and target."""
    indicators = list(indicator_list().order_by("order", "code"))
    lines = list(regions.action_line_list().prefetch_related(None))
    counts = regions.phase_counts()
    return _overview(
        municipality=None,
        year=year,
        indicators=indicators,
        lines=lines,
        counts=counts,
        phases={},
    )


def municipality_overview(
    municipality: Municipality, *, year: int | None = None
) -> Overview:
    """As ``region_overview`` for one municipality: its values of the indicators
    with scope municipality; a line's phase is the furthest reached by the
    municipality or an organisation based in it; the counts are theirs."""
    indicators = list(
        indicator_list().filter(scope=Scope.MUNICIPALITY).order_by("order", "code")
    )
    lines = list(regions.action_line_list().prefetch_related(None))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    phases: dict[int, str] = {}
    for line_id, phase in (
        regions.participation_list()
        .filter(organisation__municipality=municipality)
        .prefetch_related(None)
        .values_list("action_line_id", "phase")
    ):
        counts[line_id][phase] = counts[line_id].get(phase, 0) + 1
        if (
            line_id not in phases
            or PHASE_ORDER[Phase(phase)] > PHASE_ORDER[Phase(phases[line_id])]
        ):
            phases[line_id] = phase
    return _overview(
        municipality=municipality,
        year=year,
        indicators=indicators,
        lines=lines,
        counts=counts,
        phases=phases,
    )


def indicator_series(
    indicator: Indicator, *, municipality: Municipality | None = None
) -> list[SeriesPoint]:
    """The values of one indicator for a municipality (None: the region) by year."""
    return [
        SeriesPoint(y, v, s, c)
        for y, v, s, c in IndicatorValue.objects.filter(
            indicator=indicator, municipality=municipality
        )
        .order_by("year")
        .values_list("year", "value", "source", "is_computed")
    ]


def _municipalities() -> list[Municipality]:
    # The boundary is loaded: the choropleth draws it.
    return list(regions.municipality_list().order_by("name"))


def indicator_map(indicator: Indicator, year: int) -> list[MapCell]:
    """Every municipality of the region with its value in ``year`` (None: none)."""
    values = dict(
        IndicatorValue.objects.filter(
            indicator=indicator, year=year, municipality__isnull=False
        ).values_list("municipality_id", "value")
    )
    return [MapCell(m, values.get(m.pk)) for m in _municipalities()]


def comparison(indicator: Indicator, year: int) -> Comparison:
    """The municipalities ranked by the indicator in ``year`` (best first by its
    direction; neutral: highest first), with the value per 10,000 inhabitants where
    the unit is an amount, and the difference from the mean of those with a
    value."""
    region_value = None
    values: dict[int, float] = {}
    for m_id, value in IndicatorValue.objects.filter(
        indicator=indicator, year=year
    ).values_list("municipality_id", "value"):
        if m_id is None:
            region_value = value
        else:
            values[m_id] = value
    municipalities = list(
        regions.municipality_list().defer("boundary", "bbox").order_by("name")
    )
    known = [values[m.pk] for m in municipalities if m.pk in values]
    mean = sum(known) / len(known) if known else None
    reverse = indicator.direction != Direction.LOWER_BETTER
    ordered = sorted(
        municipalities,
        key=lambda m: (
            m.pk not in values,
            -values[m.pk] if m.pk in values and reverse else values.get(m.pk, 0.0),
            m.name,
        ),
    )
    rows = []
    rank = 0
    for m in ordered:
        value = values.get(m.pk)
        if value is not None:
            rank += 1
        per = None
        if value is not None and indicator.unit in PER_INHABITANT_UNITS:
            per = value / m.population * 10_000 if m.population else None
        rows.append(
            ComparisonRow(
                municipality=m,
                value=value,
                rank=rank if value is not None else None,
                per_10000=per,
                difference_from_mean=(
                    value - mean if value is not None and mean is not None else None
                ),
            )
        )
    return Comparison(indicator, year, region_value, mean, rows)
