# SPDX-License-Identifier: EUPL-1.2
"""Public MKI pages: projects with their variants compared, tenders, and the regional
monitor. Thin: the numbers come from the mki selectors (which call the engine)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cirkelregio.mki import selectors
from cirkelregio.roads import selectors as roads_selectors
from cirkelregio.web.charts import stacked_bars

METHOD = "nmd-a2"


@require_safe
def mki_home(request: HttpRequest) -> HttpResponse:
    projects = selectors.project_list(user=request.user).select_related(
        "municipality", "owner"
    )
    return render(
        request,
        "web/mki/home.html",
        {
            "projects": projects,
            "method": METHOD,
        },
    )


def _project(request: HttpRequest, pk: int) -> Any:
    project = (
        selectors.project_list(user=request.user)
        .select_related("municipality", "owner")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


@require_safe
def mki_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    overview = selectors.project_overview(project=project)
    variants: dict[str, dict[str, Any]] = {}
    reasons: dict[str, list[str]] = {}
    labels = {
        "nmd-a1": "EN 15804+A1",
        "nmd-a1-d": _("A1 without D"),
        "nmd-a2": "EN 15804+A2",
        "nmd-a2-d": _("A2 without D"),
    }
    for cell in overview:
        key = f"{cell.method}{'' if cell.include_module_d else '-d'}"
        row = variants.setdefault(cell.variant, {})
        row[key] = cell.total_eur
        if not cell.available and labels[key] not in reasons.get(cell.reason, []):
            reasons.setdefault(cell.reason, []).append(labels[key])
    comparison, unavailable = None, ""
    try:
        comparison = selectors.variant_comparison(project=project, method=METHOD)
    except selectors.UnavailableError as exc:
        unavailable = str(exc)
    context: dict[str, Any] = {
        "project": project,
        "variants": variants,
        "reasons": reasons,
        "comparison": comparison,
        "unavailable": unavailable,
        "tenders": selectors.tender_list(user=request.user).filter(project=project),
        "method": METHOD,
    }
    if comparison is not None:
        by_variant_module = {
            v: {m: per[v] for m, per in comparison.by_module.items()}
            for v in comparison.variants
        }
        by_variant_indicator = {
            v: {i: per[v] for i, per in comparison.by_indicator.items()}
            for v in comparison.variants
        }
        context["module_chart"] = stacked_bars(by_variant_module)
        context["indicator_chart"] = stacked_bars(by_variant_indicator)
        context["elements"] = [
            (
                element,
                [per[v] for v in comparison.variants],
                [per[v] - per[comparison.variants[0]] for v in comparison.variants[1:]],
            )
            for element, per in comparison.by_element.items()
        ]
    return render(request, "web/mki/project.html", context)


@require_safe
def mki_tender(request: HttpRequest, pk: int) -> HttpResponse:
    tender = (
        selectors.tender_list(user=request.user)
        .select_related("project", "project__municipality")
        .filter(pk=pk)
        .first()
    )
    if tender is None:
        raise Http404
    return render(
        request,
        "web/mki/tender.html",
        {
            "tender": tender,
            "ranking": selectors.tender_ranking(tender=tender),
        },
    )


@require_safe
def mki_monitor(request: HttpRequest) -> HttpResponse:
    monitor = selectors.mki_monitor(method=METHOD)
    years = sorted({y.year for m in monitor for y in m.years})
    rows = {m.name: {str(y.year): y.total_eur for y in m.years} for m in monitor}
    # The asphalt of the road authorities' maintenance plans (Utrechtse
    # Asfaltstrategie), as planned, per authority and year.
    asphalt = [
        {
            "name": r.name,
            "year": r.year,
            "works": r.works,
            "mki_eur": r.mki_eur["planned"],
            "unknown": r.unknown_layers["planned"],
        }
        for r in roads_selectors.plan_mki_table(user=request.user)
    ]
    return render(
        request,
        "web/mki/monitor.html",
        {
            "monitor": monitor,
            "years": years,
            "chart": stacked_bars(rows, series_order=[str(y) for y in years])
            if rows
            else None,
            "method": METHOD,
            "asphalt": asphalt,
            "chart_title": _(
                "MKI of the registered projects per municipality, stacked by year"
            ),
        },
    )
