# SPDX-License-Identifier: EUPL-1.2
"""Public page of the materials exchange: what is on offer and wanted, where, the
shared depots, and what the latest match run saves. Thin: data from the exchange
selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.core.uploads import KINDS, check_upload
from cirkelregio.exchange import rules, selectors, services
from cirkelregio.jobs.kinds import listing_import_parameters
from cirkelregio.jobs.views import start_job
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.web.charts import stacked_bars


def _features(listings: list[Any], depots: list[Any]) -> dict[str, Any]:
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": m.boundary,
            "properties": {"name": m.name, "background": True},
        }
        for m in region_selectors.municipality_list()
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [item.lon, item.lat]},
            "properties": {
                "kind": item.kind,
                "name": f"{item.get_kind_display()}: {item.material.name_nl}, "
                f"{item.quantity:g} {item.material.unit} ({item.project_name})",
            },
        }
        for item in listings
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [d.lon, d.lat]},
            "properties": {"kind": "depot", "name": f"{_('Depot')}: {d.name}"},
        }
        for d in depots
    ]
    return {"type": "FeatureCollection", "features": features}


@require_safe
def exchange_home(request: HttpRequest) -> HttpResponse:
    materials = list(selectors.material_list())
    listings = (
        selectors.public_listing_list()
        .select_related("material", "municipality", "owner")
        .order_by("window_from", "material__name_nl", "id")
    )
    kind = request.GET.get("kind", "")
    material = request.GET.get("material", "")
    if kind in ("supply", "demand"):
        listings = listings.filter(kind=kind)
    if material and any(m.code == material for m in materials):
        listings = listings.filter(material__code=material)
    errors: dict[str, str] = {}
    period = {}
    for name in ("from", "until"):
        raw = request.GET.get(name, "").strip()
        if raw:
            try:
                period[name] = dt.date.fromisoformat(raw)
            except ValueError:
                errors[name] = _("Enter a date as YYYY-MM-DD.")
    if "from" in period:
        listings = listings.filter(window_until__gte=period["from"])
    if "until" in period:
        listings = listings.filter(window_from__lte=period["until"])
    postcode = request.GET.get("postcode", "").strip()
    radius = request.GET.get("radius", "").strip() or "10"
    if postcode:
        place = region_selectors.postcode_get(code=postcode[:4])
        try:
            radius_km = float(radius.replace(",", "."))
            if not 0 < radius_km <= 300:
                raise ValueError
        except ValueError:
            errors["radius"] = _("Enter a distance between 0 and 300 km.")
            radius_km = 0.0
        if place is None:
            errors["postcode"] = _(
                "Unknown postcode: enter the four digits, e.g. 3511."
            )
        elif radius_km:
            listings = selectors.listings_near(
                listings, lat=place.lat, lon=place.lon, radius_km=radius_km
            )
    listings = list(listings)
    depots = list(selectors.depot_list(user=request.user))
    run = selectors.match_run_list().filter(status="succeeded").order_by("-id").first()
    context: dict[str, Any] = {
        "materials": materials,
        "listings": listings,
        "depots": depots,
        "kind": kind,
        "material": material,
        "period": {k: request.GET.get(k, "") for k in ("from", "until")},
        "postcode": postcode,
        "radius": radius,
        "errors": errors,
        "features": _features(listings, depots),
        "run": run,
    }
    if run is not None:
        savings = [
            s for s in selectors.savings_by_municipality(run=run) if s.municipality
        ]
        context["totals"] = selectors.savings_totals(run=run)
        context["co2"] = selectors.transport_co2(tonne_km=context["totals"]["tonne_km"])
        context["savings"] = savings
        context["chart"] = stacked_bars(
            {
                s.municipality_name: {
                    _("released for reuse"): s.tonnes_released,
                    _("reused"): s.tonnes_reused,
                }
                for s in savings
            }
        )
    return render(request, "web/exchange/home.html", context)


def _import_owners(user: Any) -> list[Any]:
    """The organisations whose listings ``user`` may import."""
    return [
        o
        for o in region_selectors.organisation_list(user=user).order_by("name")
        if rules.can_create_listing(user, o)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def exchange_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX file of supply and demand listings, for the editors of
    an organisation (their own) and coordinators (any, or the file's owner
    column). The import runs as a background job: its page shows the progress and
    the result; with the embedded (immediate) job backend a file with problems is
    answered here, with every problem by line and field."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    owners = _import_owners(user)
    by_column = rules.can_import_listings(user, None)
    if not owners:
        raise PermissionDenied
    values = {"owner": owners[0].slug if len(owners) == 1 else ""}
    errors: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        values = {"owner": request.POST.get("owner", "").strip()}
        owner = next((o for o in owners if o.slug == values["owner"]), None)
        if owner is None and (values["owner"] or not by_column):
            errors["owner"] = _("Choose the organisation whose listings these are.")
        upload = request.FILES.get("file")
        if upload is None:
            errors["file"] = _("Choose a file.")
        else:
            try:
                check_upload(upload, KINDS["table"])
            except ValidationError as exc:
                errors["file"] = exc.messages[0]
        if not errors:
            assert upload is not None
            started, error = start_job(
                request,
                "exchange.listing_import",
                listing_import_parameters(
                    upload.name, upload.chunks(), owner, get_language()
                ),
            )
            if started is not None:
                return started
            problems = error.splitlines()
    return render(
        request,
        "web/exchange/import.html",
        {
            "owners": owners,
            "by_column": by_column,
            "values": values,
            "errors": errors,
            "problems": problems,
            "problem_count": len(errors) + len(problems),
            "materials": selectors.material_list(),
        },
        # A form without its file or owner is bad input (400); a file whose import
        # failed was taken, and the page reports its problems (200).
        status=400 if errors else 200,
    )


@require_safe
def exchange_import_example(request: HttpRequest) -> HttpResponse:
    """An example file of the listing import (its header and two rows)."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _import_owners(user):
        raise PermissionDenied
    response = HttpResponse(
        services.listing_import_template(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="aanbod-en-vraag.csv"'
    return response
