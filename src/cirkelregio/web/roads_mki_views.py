# SPDX-License-Identifier: EUPL-1.2
"""Pages of mixture harmonisation and the asphalt MKI under /wegen/: start a
harmonisation run (a background job: with the default immediate backend the page
shows the run at once, with a worker the job's page shows its progress) and see its
result against today's spread (road managers and coordinators start; everyone reads
the runs of published authorities' works), and
the MKI of the maintenance plan per authority and year in its variants. Thin: data
from the roads selectors, writes through the roads services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.jobs.views import start_job
from cirkelregio.roads import rules, selectors, services
from cirkelregio.web.charts import stacked_bars

DEFAULT_FAMILIES = ["ac", "sma"]
FIELDS = ("year_from", "year_to", "k", "authorities", "families")


def _years(user: Any) -> list[int]:
    return sorted(
        {
            d.year
            for d in selectors.work_list(user=user).values_list(
                "window_start", flat=True
            )
        }
    )


def _authorities(user: Any) -> list[tuple[str, str]]:
    return sorted(
        set(
            selectors.work_list(user=user).values_list(
                "authority__slug", "authority__name"
            )
        ),
        key=lambda a: a[1],
    )


def _whole(raw: str, name: str, errors: dict[str, str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit():
        errors[name] = _("Enter a whole number.")
        return None
    return int(raw)


def _spread_rows(run: Any) -> list[dict[str, Any]]:
    """Per plant and period: the mixtures and tonnes before and after."""
    rows: dict[tuple[Any, Any], dict[str, Any]] = {}
    for side in ("before", "after"):
        spread = getattr(run, f"spread_{side}") or {}
        for row in spread.get("by_plant_period", []):
            key = (row["plant"], row["period"])
            entry = rows.setdefault(
                key, {"plant": row["plant"], "period": row["period"]}
            )
            entry[side] = sorted(row["tonnes"].items())
    return [rows[k] for k in sorted(rows, key=lambda k: (str(k[0]), str(k[1])))]


@require_http_methods(["GET", "HEAD", "POST"])
def road_harmonisation(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    may_start = rules.can_start_harmonisation(user) if user.is_authenticated else False
    years = _years(user)
    values: dict[str, Any] = {
        "year_from": str(years[0]) if years else "",
        "year_to": str(years[-1]) if years else "",
        "k": "",
        "authorities": [],
        "families": list(DEFAULT_FAMILIES),
    }
    errors: dict[str, str] = {}
    problems: list[str] = []
    runs = selectors.harmonisation_run_list(user=user)
    run = None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_start:
            raise PermissionDenied
        values = {
            "year_from": request.POST.get("year_from", ""),
            "year_to": request.POST.get("year_to", ""),
            "k": request.POST.get("k", ""),
            "authorities": request.POST.getlist("authorities"),
            "families": request.POST.getlist("families"),
        }
        year_from = _whole(values["year_from"], "year_from", errors)
        year_to = _whole(values["year_to"], "year_to", errors)
        k = _whole(values["k"], "k", errors)
        if year_from is None and "year_from" not in errors:
            errors["year_from"] = _("Enter the first year of the horizon.")
        if not values["families"]:
            errors["families"] = _("Choose at least one family of mixtures.")
        if not errors:
            try:
                parameters = services.harmonisation_parameters(
                    year_from=year_from,
                    year_to=year_to,
                    k=k,
                    authorities=values["authorities"],
                    families=values["families"],
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    if name in FIELDS:
                        errors[name] = " ".join(messages)
                    else:
                        problems.extend(messages)
        if not errors and not problems:
            started, error = start_job(
                request,
                "roads.harmonisation",
                parameters,
            )
            if started is not None:
                return started
            problems.append(error)
    else:
        raw = request.GET.get("run", "")
        if raw.isdigit():
            run = runs.filter(pk=int(raw)).first()
        if run is None:
            run = runs.first()
    context: dict[str, Any] = {
        "may_start": may_start,
        "years": years,
        "authorities": _authorities(user),
        "families": selectors.asphalt_families(),
        "values": values,
        "errors": errors,
        "problems": problems,
        "problem_count": len(errors) + len(problems),
        "run": run,
        "runs": list(runs[:10]),
    }
    if run is not None:
        context["chart"] = stacked_bars(
            {
                _("As planned"): run.spread_before.get("tonnes", {}),
                _("Harmonised"): run.spread_after.get("tonnes", {}),
            }
        )
        context["spread_rows"] = _spread_rows(run)
        context["mixtures_before"] = run.spread_before.get("mixtures", 0)
        context["mixtures_after"] = run.spread_after.get("mixtures", 0)
    status = 400 if request.method == "POST" and (errors or problems) else 200
    return render(request, "web/roads/harmonisation.html", context, status=status)


@require_safe
def road_mki(request: HttpRequest) -> HttpResponse:
    """The asphalt MKI of the plan per authority and year, as planned and in the
    variants (PR share, low temperature)."""
    user: Any = request.user
    authorities = _authorities(user)
    error = ""
    raw = request.GET.get("pr", "").strip()
    pr = selectors.scenario("pr").pr_percent
    if raw:
        try:
            pr = selectors.scenario("pr", float(raw.replace(",", "."))).pr_percent
        except ValueError:
            error = _("Enter a PR share from 0 to 100 %.")
    slug = request.GET.get("authority", "")
    chosen = [slug] if slug in {a[0] for a in authorities} else []
    rows = selectors.plan_mki_table(user=user, authorities=chosen, pr_percent=pr)
    labels = {
        "planned": _("As planned"),
        "pr": _("At least %(pr)s %% PR") % {"pr": f"{pr:g}"},
        "low_temperature": _("Low-temperature asphalt"),
    }
    chart = None
    if rows:
        chart = stacked_bars(
            {
                labels[v]: {f"{r.name} {r.year}": r.mki_eur[v] for r in rows}
                for v in selectors.SCENARIOS
            }
        )
    table = [
        {
            "row": r,
            "values": [r.mki_eur[v] for v in selectors.SCENARIOS],
            "differences": [
                r.mki_eur[v] - r.mki_eur["planned"] for v in selectors.SCENARIOS[1:]
            ],
            "unknown": max(r.unknown_layers.values()),
        }
        for r in rows
    ]
    return render(
        request,
        "web/roads/mki.html",
        {
            "authorities": authorities,
            "authority": chosen[0] if chosen else "",
            "pr": pr,
            "error": error,
            "labels": [labels[v] for v in selectors.SCENARIOS],
            "chart": chart,
            "table": table,
        },
    )
