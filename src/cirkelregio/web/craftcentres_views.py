# SPDX-License-Identifier: EUPL-1.2
"""The Circulaire Ambachtscentra pages under /ambachtscentra/: the network scenarios
(public when published), one scenario with its map, its networks side by side and a
chart, and for coordinators a new scenario and its run page.

The run page shows how far a scenario is and starts its computation as one
background job (``craftcentres.scenario``) that solves every p still missing and
reports its progress per p. With the default immediate backend the job runs in the
request and the scenario's page follows; with a worker the job's page shows the
progress and links to the networks when done. Each p's network is stored as it is
solved, so a stopped job goes on where it stopped.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.craftcentres import rules, selectors, services
from cirkelregio.jobs.views import start_job
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.web.charts import stacked_bars

PALETTE_SIZE = 8


def _planner(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_authenticated and rules.can_plan_networks(user))


@require_safe
def network_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    scenarios = list(selectors.scenario_list(user=user).order_by("-created_at"))
    sites = list(selectors.site_list().order_by("municipality__name", "name"))
    return render(
        request,
        "web/craftcentres/list.html",
        {
            "scenarios": scenarios,
            "sites": sites,
            "has_demo": any(s.is_demo for s in sites)
            or any(s.is_demo for s in scenarios),
            "can_plan": _planner(request),
        },
    )


def _features(scenario: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Our municipal boundaries (background), every PC4 demand point sized by its
    population and coloured by the centre that serves it, and the sites."""
    colour = {sid: i % PALETTE_SIZE for i, sid in enumerate(data["open_sites"])}
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": m.boundary,
            "properties": {"name": m.name, "background": True},
        }
        for m in region_selectors.municipality_list()
    ]
    points = {p["id"]: p for p in scenario.parameters.get("points", [])}
    for a in data["assignment"]:
        point = points.get(a["point"])
        if point is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [point["lon"], point["lat"]],
                },
                "properties": {
                    "kind": "demand",
                    "name": a["point"],
                    "population": point["population"],
                    "colour": colour.get(a["site"], 0),
                    "distance_km": round(a["distance_km"], 1),
                },
            }
        )
    for site in scenario.parameters.get("sites", []):
        is_open = site["id"] in colour
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [site["lon"], site["lat"]],
                },
                "properties": {
                    "kind": "site",
                    "name": site["name"],
                    "open": is_open,
                    "existing": site["existing"],
                    "colour": colour.get(site["id"], 0),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_safe
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.scenario_get(pk=pk, user=request.user)
    if scenario is None:
        raise Http404
    rows = selectors.network_rows([scenario])
    p_text = request.GET.get("p", "")
    selected = None
    if p_text.isdigit():
        selected = next((r for r in rows if r["p"] == int(p_text)), None)
    if selected is None:
        result = selectors.result_for(scenario)
        selected = next((r for r in rows if result and r["p"] == result.p), None)
    result_data = None
    if selected is not None:
        result_data = next(
            r.data for r in scenario.results.all() if r.p == selected["p"]
        )
    coverage_label = _("Within %(km)s km (%%)") % {"km": f"{scenario.coverage_km:g}"}
    distance_label = _("Average distance (km)")
    coverage = stacked_bars(
        {
            _("p = %(p)s") % {"p": r["p"]}: {coverage_label: r["coverage_pct"] or 0.0}
            for r in rows
        }
    )
    distance = stacked_bars(
        {
            _("p = %(p)s") % {"p": r["p"]}: {
                distance_label: r["average_distance_km"] or 0.0
            }
            for r in rows
        }
    )
    return render(
        request,
        "web/craftcentres/detail.html",
        {
            "scenario": scenario,
            "rows": rows,
            "selected": selected,
            "features": _features(scenario, result_data) if result_data else None,
            "coverage_chart": coverage,
            "distance_chart": distance,
            "remaining": services.remaining_p(scenario),
            "can_plan": _planner(request),
            "colours": range(PALETTE_SIZE),
        },
    )


FIELDS = (
    "name",
    "description",
    "model",
    "p_values",
    "coverage_km",
    "detour_factor",
    "reusable_percent",
    "reusable_source",
    "year",
)


def _number(raw: str, field: str, errors: dict[str, str]) -> Any:
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        return int(raw) if field == "year" else float(raw)
    except ValueError:
        errors[field] = _("Enter a number.")
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def network_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _planner(request):
        raise PermissionDenied
    sites = list(selectors.site_list().order_by("municipality__name", "name"))
    values: dict[str, Any] = {
        "model": "p-median",
        "p_values": "1-10",
        "coverage_km": "10",
        "detour_factor": "1.3",
        "year": "2021",
    }
    errors: dict[str, str] = {}
    chosen = {s.pk for s in sites}
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in FIELDS}
        chosen = {int(v) for v in request.POST.getlist("sites") if v.isdigit()}
        data: dict[str, Any] = {
            "name": values["name"],
            "description": values["description"],
            "model": values["model"],
            "p_values": values["p_values"],
            "reusable_source": values["reusable_source"],
            "is_published": request.POST.get("is_published") == "on",
        }
        for field in ("coverage_km", "detour_factor", "reusable_percent", "year"):
            number = _number(values[field], field, errors)
            if number is not None:
                data[field] = number
        if not errors:
            try:
                scenario = services.scenario_create(
                    actor=request.user,  # type: ignore[arg-type]
                    sites=[s for s in sites if s.pk in chosen],
                    **data,
                )
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                return redirect("web:craftcentres-run", pk=scenario.pk)
    return render(
        request,
        "web/craftcentres/new.html",
        {
            "values": values,
            "errors": errors,
            "general_errors": errors.get("__all__", ""),
            "sites": sites,
            "chosen": chosen,
            "models": selectors.NetworkModel.choices,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def network_run(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: how far the computation is. POST: compute every p still missing, as a
    background job."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _planner(request):
        raise PermissionDenied
    scenario = selectors.scenario_get(pk=pk, user=request.user)
    if scenario is None:
        raise Http404
    error = ""
    if request.method == "POST":
        started, error = start_job(
            request,
            "craftcentres.scenario",
            {"scenario": scenario.pk},
        )
        if started is not None:
            return started
        scenario.refresh_from_db()
    total = len(scenario.ps)
    remaining = services.remaining_p(scenario)
    done = total - len(remaining)
    return render(
        request,
        "web/craftcentres/run.html",
        {
            "scenario": scenario,
            "done": done,
            "total": total,
            "next_p": remaining[0] if remaining else None,
            "remaining_count": len(remaining),
            "error": error or scenario.error,
            "solved_p": sorted(scenario.results.values_list("p", flat=True)),
        },
        status=400 if error else 200,
    )
