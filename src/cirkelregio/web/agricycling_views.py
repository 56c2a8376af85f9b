# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling pages under /agricycling/: the season's allocation on a map with
its figures and a chart, the allocation run form for the cooperative's
coordinators (busy state with the time elapsed of the time limit), the settlement
(what each owner pays, what each farm receives, the cooperative's result and the
members' shares, to the cent) with a CSV statement per party. Thin: data from the
Agricycling selectors, writes through its services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.agricycling import rules, selectors, services
from cirkelregio.engine.agricycling.allocation import (
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_MAX_DISTANCE_KM,
)
from cirkelregio.jobs.views import start_job
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.web.charts import stacked_bars

DEMO_TIME_LIMIT = 20.0
MODES = ("split", "whole")


def _boundaries() -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "geometry": m.boundary,
            "properties": {"kind": "background", "name": m.name},
        }
        for m in region_selectors.municipality_list()
        if m.boundary
    ]


def _season_and_run(request: HttpRequest) -> tuple[Any, Any, list[Any]]:
    season = selectors.season_pick(request.GET.get("seizoen") or None)
    if season is None and request.GET.get("seizoen"):
        raise Http404
    runs = list(selectors.run_list(season)) if season is not None else []
    run = None
    raw = request.GET.get("run", "")
    if raw.isdigit():
        run = next((r for r in runs if r.pk == int(raw)), None)
        if run is None:
            raise Http404
    elif runs:
        run = runs[0]
    return season, run, runs


def _mode_label(mode: str) -> str:
    return (
        _("whole parcels (exact MILP)")
        if mode == "whole"
        else _("parcels may be split (transportation LP)")
    )


@require_safe
def agricycling_overview(request: HttpRequest) -> HttpResponse:
    season, run, runs = _season_and_run(request)
    user: Any = request.user
    context: dict[str, Any] = {
        "seasons": selectors.season_list(),
        "season": season,
        "runs": [(r, _mode_label(r.mode)) for r in runs],
        "run": run,
        "may_run": rules.can_manage(user) if user.is_authenticated else False,
        "features": {
            "type": "FeatureCollection",
            "features": _boundaries() + selectors.run_features(run=run, user=user),
        },
        "farms": [
            (selectors.farm_label(c.farm, user), c.farm.is_member, c.capacity_t)
            for c in selectors.capacity_list(season)
        ]
        if season
        else [],
        "tariffs": selectors.tariffs_of(season) if season else None,
    }
    if run is not None:
        result = run.result
        tkm = sum(p["tonnes"] * p["distance_km"] for p in result["placements"])
        context.update(
            mode_label=_mode_label(run.mode),
            placed=result["placed_tonnes"],
            unplaced_t=result["unplaced_tonnes"],
            tonne_km=tkm,
            transport_eur=result["transport_eur"],
            alternative_eur=result["alternative_eur"],
            total_eur=result["total_eur"],
            unplaced=[
                {
                    **u,
                    "reason_label": selectors.REASON_LABELS.get(
                        u["reason"], u["reason"]
                    ),
                    "name": _parcel_name(u["parcel"]),
                }
                for u in result["unplaced"]
            ],
        )
        by_municipality = selectors.composted_by_municipality(run=run)
        placed_label, unplaced_label = _("Composted"), _("Not placed")
        rows: dict[str, dict[str, float]] = {
            m: {placed_label: t} for m, t in by_municipality.items()
        }
        where = {
            p.engine_id: (p.municipality.name if p.municipality else "?")
            for p in selectors.parcel_list()
        }
        for u in result["unplaced"]:
            m = where.get(u["parcel"], "?")
            row = rows.setdefault(m, {})
            row[unplaced_label] = round(row.get(unplaced_label, 0.0) + u["tonnes"], 3)
        context["chart"] = stacked_bars(
            dict(sorted(rows.items())), [placed_label, unplaced_label]
        )
    return render(request, "web/agricycling/overview.html", context)


def _parcel_name(engine_id: str) -> str:
    for p in selectors.parcel_list():
        if p.engine_id == engine_id:
            return f"{p.name} ({p.owner.name})"
    return engine_id


def _number(
    raw: str, name: str, errors: dict[str, str], low: float, high: float
) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        errors[name] = _("Enter a number.")
        return 0.0
    if not (low <= value <= high):
        errors[name] = _("Enter a number from %(low)s to %(high)s.") % {
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
    return value


@require_http_methods(["GET", "HEAD", "POST"])
def agricycling_run(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    may_run = rules.can_manage(user) if user.is_authenticated else False
    seasons = list(selectors.season_list())
    values = {
        "season": seasons[0].label if seasons else "",
        "mode": "split",
        "max_distance_km": f"{DEFAULT_MAX_DISTANCE_KM:g}",
        "detour_factor": f"{DEFAULT_DETOUR_FACTOR:g}",
        "time_limit": f"{DEMO_TIME_LIMIT:g}",
    }
    errors: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_run:
            raise PermissionDenied
        values = {k: request.POST.get(k, "").strip() for k in values}
        season = next((s for s in seasons if s.label == values["season"]), None)
        if season is None:
            errors["season"] = _("Choose a season.")
        if values["mode"] not in MODES:
            errors["mode"] = _("Choose split or whole.")
        distance = _number(
            values["max_distance_km"], "max_distance_km", errors, 0.1, 100
        )
        detour = _number(values["detour_factor"], "detour_factor", errors, 1, 3)
        limit = _number(values["time_limit"], "time_limit", errors, 1, 120)
        if not errors:
            started, error = start_job(
                request,
                "agricycling.allocation",
                {
                    "season": values["season"],
                    "mode": values["mode"],
                    "max_distance_km": distance,
                    "detour_factor": detour,
                    "time_limit": limit,
                },
            )
            if started is not None:
                return started
            problems.append(error)
    return render(
        request,
        "web/agricycling/run.html",
        {
            "may_run": may_run,
            "seasons": seasons,
            "modes": [(m, _mode_label(m)) for m in MODES],
            "values": values,
            "errors": errors,
            "problems": problems,
            "problem_count": len(errors) + len(problems),
            "runs": [(r, _mode_label(r.mode)) for r in selectors.run_list()[:20]],
        },
        status=400 if errors or problems else 200,
    )


@require_safe
def agricycling_settlement(request: HttpRequest) -> HttpResponse:
    season, run, runs = _season_and_run(request)
    table = None
    error = ""
    if run is not None:
        try:
            table = selectors.settlement_table(run=run, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    user: Any = request.user
    return render(
        request,
        "web/agricycling/settlement.html",
        {
            "seasons": selectors.season_list(),
            "season": season,
            "run": run,
            "runs": [(r, _mode_label(r.mode)) for r in runs],
            "table": table,
            "error": error,
            "is_coordinator": user.is_authenticated and rules.is_coordinator(user),
            "shares_total": sum((f.share for f in table.farms), 0) if table else 0,
            "owners_total": sum((o.eur for o in table.owners), 0) if table else 0,
            "farms_total": sum((f.eur for f in table.farms), 0) if table else 0,
        },
    )


@require_safe
def agricycling_statement(
    request: HttpRequest, pk: int, role: str, party: str
) -> HttpResponse:
    run = selectors.run_list().filter(pk=pk).first()
    if run is None:
        raise Http404
    found = selectors.statement_of(run=run, role=role, party=party, user=request.user)
    if found is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    settlement, statement, name = found
    response = HttpResponse(
        services.statement_csv(settlement, statement, name),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"agricycling-{settlement.season}-{role}-{slugify(party) or 'party'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
