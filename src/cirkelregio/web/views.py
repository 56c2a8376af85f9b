# SPDX-License-Identifier: EUPL-1.2
"""Public pages. Thin: each view asks selectors for its data and renders a template."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cirkelregio.accounts import rules
from cirkelregio.agricycling import selectors as agricycling_selectors
from cirkelregio.biobased import selectors as biobased_selectors
from cirkelregio.core.unavailable import (
    database_unavailable_response,
    is_database_unavailable,
)
from cirkelregio.craftcentres import selectors as craftcentres_selectors
from cirkelregio.events import selectors as event_selectors
from cirkelregio.initiatives import selectors as initiative_selectors
from cirkelregio.mki import selectors as mki_selectors
from cirkelregio.regions import selectors
from cirkelregio.repair import selectors as repair_selectors
from cirkelregio.web import monitor_views


def _municipality_features(
    municipalities: Any, counts: dict[int, int] | None = None
) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": m.boundary,
                "properties": {
                    "name": m.name,
                    "url": f"/gemeenten/{m.slug}/",
                    "lines": (counts or {}).get(m.pk, 0),
                },
            }
            for m in municipalities
        ],
    }


def _phase_bar(counts: dict[str, int]) -> dict[str, Any]:
    """Segments of a 100-wide bar, one per phase, in phase order."""
    ordered = {
        phase: counts.get(phase, 0) for phase in ("connect", "explore", "realise")
    }
    total = sum(ordered.values())
    parts, x = [], 0.0
    for phase, n in ordered.items():
        if n:
            width = 100.0 * n / total
            parts.append({"phase": phase, "x": x, "width": width})
            x += width
    return {"total": total, "counts": ordered, "parts": parts}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    lines = list(selectors.action_line_list())
    counts = selectors.phase_counts(user=request.user)
    for line in lines:
        line.phase_bar = _phase_bar(counts.get(line.pk, {}))
    _, matrix = selectors.participation_matrix(user=request.user)
    return render(
        request,
        "web/home.html",
        {
            "region": selectors.current_region(),
            "lines": [ln for ln in lines if ln.number],
            "cross_cutting": [ln for ln in lines if not ln.number],
            "phases": selectors.phase_definitions(),
            "municipalities_taking_part": sum(1 for row in matrix if row.line_count),
            "municipality_count": len(matrix),
            "organisation_count": selectors.organisation_list(
                user=request.user
            ).count(),
        },
    )


@require_safe
def action_line_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/action_line_list.html",
        {
            "lines": selectors.action_line_list(),
            "strategies": selectors.r_strategy_list(),
        },
    )


@require_safe
def action_line_detail(request: HttpRequest, slug: str) -> HttpResponse:
    line = selectors.action_line_get(slug=slug)
    if line is None:
        raise Http404
    return render(
        request,
        "web/action_line_detail.html",
        {
            "line": line,
            "by_phase": selectors.participation_by_line(user=request.user, line=line),
            "phases": {p.code: p for p in selectors.phase_definitions()},
            "plans": selectors.annual_plan_list(user=request.user).filter(
                action_line=line
            ),
            **monitor_views.action_line_monitor(line),
        },
    )


@require_safe
def municipality_list(request: HttpRequest) -> HttpResponse:
    _, matrix = selectors.participation_matrix(user=request.user)
    counts = {row.municipality.pk: row.line_count for row in matrix}
    return render(
        request,
        "web/municipality_list.html",
        {
            "rows": matrix,
            "features": _municipality_features(
                [r.municipality for r in matrix], counts
            ),
        },
    )


@require_safe
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = selectors.municipality_get(slug=slug)
    if municipality is None:
        raise Http404
    participations = selectors.participation_by_municipality(
        user=request.user, municipality=municipality
    )
    return render(
        request,
        "web/municipality_detail.html",
        {
            "municipality": municipality,
            "participations": participations,
            "line_count": len({p.action_line_id for p in participations}),
            "features": _municipality_features([municipality]),
            "mki": next(
                iter(mki_selectors.mki_monitor(municipality=municipality)), None
            ),
            "biobased": biobased_selectors.municipality_progress(
                municipality=municipality
            ),
            "agricycling": agricycling_selectors.municipality_figures(
                municipality=municipality
            ),
            "craftcentres": craftcentres_selectors.municipality_network(
                municipality=municipality
            ),
            **_local_circularity(request, municipality),
            **monitor_views.municipality_monitor(municipality),
        },
    )


UPCOMING_WEEKS = 13
"""How far ahead the municipality page lists repair sessions."""


def _local_circularity(request: HttpRequest, municipality: Any) -> dict[str, Any]:
    """Repairing and resident initiatives in one municipality: its contact point for
    initiatives, repair places, the repair sessions of the coming weeks and the
    published initiatives (action lines 6 and 7 brought together)."""
    user = request.user
    places = list(
        repair_selectors.place_list(user=None)
        .filter(municipality=municipality)
        .order_by("name")
    )
    now = timezone.now()
    until = now + dt.timedelta(weeks=UPCOMING_WEEKS)
    events = event_selectors.event_filter(
        event_selectors.event_list(user=None),
        municipality_slug=municipality.slug,
        after=now,
        before=until,
    )
    sessions = sorted(
        (
            (occurrence, event)
            for event in events
            for occurrence in event_selectors.event_occurrences(
                event, after=now, before=until
            )
        ),
        key=lambda pair: (pair[0].start, pair[1].pk),
    )
    initiatives = initiative_selectors.initiative_filter(
        initiative_selectors.initiative_list(user=None),
        municipality_slug=municipality.slug,
    ).order_by("name")
    contact = (
        initiative_selectors.contact_point_list(user=None)
        .filter(municipality=municipality, is_active=True)
        .first()
    )
    del user
    return {
        "repair_places": places,
        "repair_sessions": sessions[:10],
        "repair_sessions_more": max(0, len(sessions) - 10),
        "initiatives": list(initiatives),
        "contact_point": contact,
        "upcoming_weeks": UPCOMING_WEEKS,
    }


@require_safe
def participation_matrix(request: HttpRequest) -> HttpResponse:
    lines, rows = selectors.participation_matrix(user=request.user)
    phases = selectors.phase_definitions()
    return render(
        request,
        "web/participation_matrix.html",
        {
            "lines": [ln for ln in lines if ln.number],
            "all_lines": lines,
            "rows": rows,
            "phases": phases,
            "phases_by_code": {p.code: p.name for p in phases},
        },
    )


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = (
        selectors.organisation_list(user=request.user).filter(slug=slug).first()
    )
    if organisation is None or not rules.can_view_organisation(
        request.user, organisation
    ):
        raise Http404
    return render(
        request,
        "web/organisation_detail.html",
        {
            "organisation": organisation,
            "participations": selectors.participation_list(user=request.user).filter(
                organisation=organisation
            ),
        },
    )


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler of an unhandled error, also one raised in a middleware (a
    session or user that cannot be loaded): 503 when the database is unreachable."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return database_unavailable_response(request, error)
    return render(request, "web/500.html", status=500)
