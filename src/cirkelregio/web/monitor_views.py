# SPDX-License-Identifier: EUPL-1.2
"""The Regiomonitor: the region at a glance (/monitor/), a page per indicator with its
trend, map and comparison, and the monitor sections of the action line and
municipality pages. Built on the dashboard selectors of the monitoring app only
(docs/monitoring.md); every chart has its numbers in a table and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cirkelregio.monitoring import selectors as monitoring
from cirkelregio.regions import selectors as regions
from cirkelregio.web import charts, views

#: Units a value can be divided by the population for (amounts, not shares).
AMOUNT_UNITS = {"count", "t", "kg", "kg CO2e", "EUR"}
#: How many municipalities the trend chart of an indicator draws besides the region.
MAX_COMPARED = 4


def _number(value: float | None, decimals: int) -> str:
    """A value as the CSV gives it: rounded to the indicator's decimals, with a
    point; empty when there is none."""
    return "" if value is None else f"{value:.{decimals}f}"


def _csv(
    filename: str, header: Iterable[str], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _asked_year(request: HttpRequest) -> int | None:
    raw = request.GET.get("jaar", "").strip()
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


def _region_overview(request: HttpRequest) -> monitoring.Overview:
    """The region overview in the asked year; a year without values is ignored."""
    asked = _asked_year(request)
    overview = monitoring.region_overview(year=asked)
    if asked is not None and asked not in overview.years:
        overview = monitoring.region_overview()
    return overview


def _phase_names() -> dict[str, str]:
    return {p.code: p.name for p in regions.phase_definitions()}


@require_safe
def monitor(request: HttpRequest) -> HttpResponse:
    overview = _region_overview(request)
    lines = [
        {"overview": lo, "bar": views._phase_bar(lo.phase_counts)}
        for lo in overview.lines
    ]
    return render(
        request,
        "web/monitor/monitor.html",
        {
            "overview": overview,
            "lines": lines,
            "phase_names": _phase_names(),
            "figure_count": sum(len(lo.figures) for lo in overview.lines),
        },
    )


FIGURE_HEADER = (
    "action_line",
    "indicator",
    "name",
    "unit",
    "year",
    "value",
    "previous_year",
    "previous_value",
    "trend",
    "assessment",
    "target_value",
    "target_year",
    "target_progress_percent",
)


def _figure_row(line: Any, figure: monitoring.Figure) -> list[Any]:
    ind = figure.indicator
    return [
        line.slug if line else "",
        ind.code,
        ind.name,
        ind.unit,
        figure.year or "",
        _number(figure.value, ind.decimals),
        figure.previous_year or "",
        _number(figure.previous_value, ind.decimals),
        figure.trend,
        figure.assessment,
        _number(figure.target_value, ind.decimals),
        figure.target_year or "",
        _number(figure.target_progress, 0),
    ]


@require_safe
def monitor_csv(request: HttpRequest) -> HttpResponse:
    overview = _region_overview(request)
    rows = [
        _figure_row(lo.action_line, figure)
        for lo in overview.lines
        for figure in lo.figures
    ]
    return _csv(f"regiomonitor-{overview.year or 'none'}.csv", FIGURE_HEADER, rows)


# The indicator page --------------------------------------------------------------


def _indicator(request: HttpRequest, code: str) -> Any:
    indicator = monitoring.indicator_get(code=code, user=request.user)
    if indicator is None:
        raise Http404
    return indicator


def _years(request: HttpRequest, indicator: Any) -> tuple[list[int], int | None]:
    """Every year the indicator has a value, and the asked year (default: the
    latest)."""
    years = sorted(
        set(
            monitoring.value_list(user=request.user)
            .filter(indicator=indicator)
            .values_list("year", flat=True)
        )
    )
    asked = _asked_year(request)
    if asked in years:
        return years, asked
    return years, (years[-1] if years else None)


def _compared(request: HttpRequest) -> list[Any]:
    slugs = request.GET.getlist("gemeente")[:MAX_COMPARED]
    if not slugs:
        return []
    return list(
        regions.municipality_list()
        .defer("boundary", "bbox")
        .filter(slug__in=slugs)
        .order_by("name")
    )


def _trend(
    indicator: Any, compared: list[Any]
) -> dict[str, list[monitoring.SeriesPoint]]:
    series = {str(_("Region")): monitoring.indicator_series(indicator)}
    for m in compared:
        series[m.name] = monitoring.indicator_series(indicator, municipality=m)
    return {name: points for name, points in series.items() if points}


def _trend_chart(series: dict[str, list[monitoring.SeriesPoint]], **size: float) -> Any:
    if not series:
        return None
    return charts.line_chart(
        {name: [(p.year, p.value) for p in points] for name, points in series.items()},
        **size,
    )


@require_safe
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator(request, code)
    years, year = _years(request, indicator)
    compared = _compared(request)
    series = _trend(indicator, compared)
    comparison = monitoring.comparison(indicator, year) if year else None
    cells = monitoring.indicator_map(indicator, year) if year else []
    choropleth = (
        charts.choropleth(
            [
                (
                    c.municipality.name,
                    f"/gemeenten/{c.municipality.slug}/",
                    c.municipality.boundary,
                    c.value,
                )
                for c in cells
            ]
        )
        if any(c.value is not None for c in cells)
        else None
    )
    ranked = {
        r.municipality.name: {str(indicator.name): r.value}
        for r in (comparison.rows if comparison else [])
        if r.value is not None
    }
    bars = charts.stacked_bars(ranked) if ranked else None
    csv_url = partial(reverse, "web:monitor-indicator-csv")
    compare = urlencode([("gemeente", m.slug) for m in compared])
    return render(
        request,
        "web/monitor/indicator.html",
        {
            "indicator": indicator,
            "years": years,
            "year": year,
            "compared": compared,
            "compared_slugs": {m.slug for m in compared},
            "max_compared": MAX_COMPARED,
            "trend_chart": _trend_chart(series),
            "comparison": comparison,
            "choropleth": choropleth,
            "shades": {a.name: a.shade for a in choropleth.areas} if choropleth else {},
            "bars": bars,
            "bar_unit": {"EUR": "", "count": " ", "0/1": " "}.get(
                indicator.unit, indicator.unit
            ),
            "per_decimals": indicator.decimals + 1,
            "csv": {
                "trend": csv_url(args=[indicator.code, "trend"])
                + (f"?{compare}" if compare else ""),
                "map": csv_url(args=[indicator.code, "kaart"]) + f"?jaar={year}",
                "comparison": csv_url(args=[indicator.code, "vergelijking"])
                + f"?jaar={year}",
            },
        },
    )


@require_safe
def indicator_csv(request: HttpRequest, code: str, table: str) -> HttpResponse:
    indicator = _indicator(request, code)
    d = indicator.decimals
    if table == "trend":
        series = _trend(indicator, _compared(request))
        rows = [
            [name, p.year, _number(p.value, d), p.source]
            for name, points in series.items()
            for p in points
        ]
        return _csv(
            f"{indicator.code}-trend.csv", ("place", "year", "value", "source"), rows
        )
    _, year = _years(request, indicator)
    if year is None or table not in ("kaart", "vergelijking"):
        raise Http404
    if table == "kaart":
        rows = [
            [c.municipality.name, year, _number(c.value, d)]
            for c in monitoring.indicator_map(indicator, year)
        ]
        return _csv(
            f"{indicator.code}-kaart-{year}.csv",
            ("municipality", "year", "value"),
            rows,
        )
    comparison = monitoring.comparison(indicator, year)
    rows = [
        [
            r.rank or "",
            r.municipality.name,
            year,
            _number(r.value, d),
            _number(r.per_10000, d + 1),
            _number(r.difference_from_mean, d + 1),
        ]
        for r in comparison.rows
    ]
    return _csv(
        f"{indicator.code}-vergelijking-{year}.csv",
        ("rank", "municipality", "year", "value", "per_10000", "difference_from_mean"),
        rows,
    )


# Sections of the action line and municipality pages -------------------------------


def action_line_monitor(line: Any) -> dict[str, Any]:
    """The line's indicators with their region figures and a small trend chart each
    (one query per indicator of the line: a line has a handful)."""
    overview = monitoring.region_overview()
    found = next(
        (
            lo
            for lo in overview.lines
            if lo.action_line and lo.action_line.pk == line.pk
        ),
        None,
    )
    figures = []
    for figure in found.figures if found else []:
        series = _trend(figure.indicator, [])
        figures.append(
            {
                "figure": figure,
                "chart": _trend_chart(series, width=360.0, height=160.0),
            }
        )
    return {"monitor_figures": figures, "monitor_year": overview.year}


def _per_10000(value: float | None, unit: str, population: int | None) -> float | None:
    if value is None or unit not in AMOUNT_UNITS or not population:
        return None
    return value / population * 10_000


def _municipality_rows(
    municipality: Any,
) -> tuple[monitoring.Overview, list[dict[str, Any]]]:
    """Per action line the municipality's phase, counts and figures, each with the
    region's figure of the same year beside it."""
    overview = monitoring.municipality_overview(municipality)
    region = monitoring.region_overview(year=overview.year)
    region_figures = {f.indicator.pk: f for lo in region.lines for f in lo.figures}
    population = sum(regions.municipality_list().values_list("population", flat=True))
    lines = []
    for lo in overview.lines:
        rows = []
        for figure in lo.figures:
            ind = figure.indicator
            other = region_figures.get(ind.pk)
            rows.append(
                {
                    "figure": figure,
                    "region": other,
                    "per_10000": _per_10000(
                        figure.value, ind.unit, municipality.population
                    ),
                    "region_per_10000": _per_10000(
                        other.value if other else None, ind.unit, population
                    ),
                }
            )
        lines.append({"overview": lo, "rows": rows})
    return overview, lines


def municipality_monitor(municipality: Any) -> dict[str, Any]:
    overview, lines = _municipality_rows(municipality)
    names = _phase_names()
    joined = [
        item
        for item in lines
        if item["overview"].phase and item["overview"].action_line
    ]
    chart = (
        charts.stacked_bars(
            {
                item["overview"].action_line.name: {
                    names.get(code, code): n
                    for code, n in item["overview"].phase_counts.items()
                }
                for item in joined
            },
            series_order=[names.get(c, c) for c in ("connect", "explore", "realise")],
        )
        if joined
        else None
    )
    return {
        "monitor": {
            "year": overview.year,
            "lines": lines,
            "joined": joined,
            "chart": chart,
            "phase_names": names,
            "figure_count": sum(len(item["rows"]) for item in lines),
        }
    }


@require_safe
def municipality_csv(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = regions.municipality_get(slug=slug)
    if municipality is None:
        raise Http404
    overview, lines = _municipality_rows(municipality)
    rows = []
    for item in lines:
        lo = item["overview"]
        for row in item["rows"]:
            figure, other = row["figure"], row["region"]
            d = figure.indicator.decimals
            rows.append(
                [
                    lo.action_line.slug if lo.action_line else "",
                    lo.phase or "",
                    *_figure_row(lo.action_line, figure)[1:8],
                    _number(row["per_10000"], d + 1),
                    _number(other.value if other else None, d),
                    _number(row["region_per_10000"], d + 1),
                ]
            )
    return _csv(
        f"monitor-{municipality.slug}-{overview.year or 'none'}.csv",
        (
            "action_line",
            "phase",
            *FIGURE_HEADER[1:8],
            "per_10000",
            "region_value",
            "region_per_10000",
        ),
        rows,
    )
