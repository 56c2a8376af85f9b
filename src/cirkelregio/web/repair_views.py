# SPDX-License-Identifier: EUPL-1.2
"""Public pages of the Reparatiekaart (action line 6, Heel Utrecht Repareert): the
map and list of repair places near a postcode, with filters, and a page per place.

The search is a plain GET form and the list works without the map and without any
script; the map (Leaflet over our own municipal boundaries, markers clustered) only
adds to it. Thin: the places come from the repair selectors, the postcode areas and
boundaries from the regions selectors.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cirkelregio.regions import selectors as region_selectors
from cirkelregio.repair import selectors

PAGE_SIZE = 25
DEFAULT_RADIUS = "10"
MAX_RADIUS_KM = selectors.SEARCH_MAX_RADIUS_KM
# A Dutch postcode: its four digits (the postcode area) and, optionally, the two
# letters. Distances are measured from the centre of the four-digit area.
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})?\s*$")
STATES = {True: "open", False: "closed", None: "unknown"}


def _moment(raw: str) -> tuple[dt.datetime | None, str | None]:
    """The date and time of ``raw`` (ISO 8601, as a datetime-local field sends
    it; Amsterdam time without an offset), or an error message."""
    if not raw:
        return None, None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None, _(
            "Enter a date and time as YYYY-MM-DD HH:MM, e.g. 2026-07-11 11:00."
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment, None


def _radius(raw: str) -> float | None:
    try:
        radius = float(raw.replace(",", "."))
    except ValueError:
        return None
    return radius if 0 < radius <= MAX_RADIUS_KM else None


def _state_labels(*, chosen_time: bool) -> dict[str, str]:
    if chosen_time:
        return {"open": _("Open"), "closed": _("Closed"), "unknown": _("Hours unknown")}
    return {
        "open": _("Open now"),
        "closed": _("Closed now"),
        "unknown": _("Hours unknown"),
    }


def _features(
    hits: list[selectors.PlaceHit],
    *,
    kinds: dict[str, Any],
    labels: dict[str, str],
    centre: tuple[float, float] | None,
    radius_km: float | None,
) -> dict[str, Any]:
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": m.boundary,
            "properties": {"name": m.name, "background": True},
        }
        for m in region_selectors.municipality_list()
    ]
    if centre is not None and radius_km is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [centre[1], centre[0]]},
                "properties": {"kind": "search", "radius_m": radius_km * 1000},
            }
        )
    for hit in hits:
        state = STATES[hit.open]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [hit.lon, hit.lat]},
                "properties": {
                    "kind": "repair",
                    "state": state,
                    "approximate": hit.coordinates_derived,
                    "name": hit.name + (f" ({_('demo')})" if hit.is_demo else ""),
                    "url": reverse("web:repair-place", args=[hit.id]),
                    "detail": f"{kinds.get(hit.kind, hit.kind)} · {labels[state]}",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_safe
def repair_map(request: HttpRequest) -> HttpResponse:
    query = request.GET
    categories = list(selectors.category_list())
    kinds = dict(selectors.kind_choices())
    chosen = {
        "postcode": query.get("postcode", "").strip()[:20],
        "radius": query.get("radius", "").strip()[:20] or DEFAULT_RADIUS,
        "category": query.get("category", ""),
        "kind": query.get("kind", ""),
        "open": query.get("open", "") == "1",
        "at": query.get("at", "").strip()[:40],
    }
    # Unknown choices (only from a hand-made address) are left out.
    category = chosen["category"]
    if not any(c.code == category for c in categories):
        category = ""
    kind = chosen["kind"] if chosen["kind"] in kinds else ""

    errors: dict[str, str] = {}
    at, error = _moment(chosen["at"])
    if error:
        errors["at"] = error
    radius_km = _radius(chosen["radius"])
    if radius_km is None:
        errors["radius"] = _("Enter a distance between 0 and %(max)s km, e.g. 10.") % {
            "max": f"{MAX_RADIUS_KM:g}"
        }
    near: tuple[float, float] | None = None
    pc4 = ""
    if chosen["postcode"]:
        match = POSTCODE.match(chosen["postcode"])
        if match is None:
            errors["postcode"] = _("Enter a postcode as 1234 or 1234 AB.")
        else:
            area = region_selectors.postcode_get(code=match.group(1))
            if area is None:
                errors["postcode"] = _(
                    "Postcode area %(pc4)s is not known. Enter a postcode in the "
                    "Netherlands, e.g. 3511 or 3511 AB."
                ) % {"pc4": match.group(1)}
            elif radius_km is not None:
                near, pc4 = (area.lat, area.lon), match.group(1)

    moment = at or timezone.now()
    hits = selectors.place_search(
        user=request.user,
        at=moment,
        near=near,
        radius_km=radius_km or float(DEFAULT_RADIUS),
        category=category,
        kind=kind,
        open_only=chosen["open"],
    )
    page = Paginator(hits, PAGE_SIZE).get_page(query.get("page"))
    places = {
        p.pk: p
        for p in selectors.places_in_order(
            ids=[h.id for h in page.object_list], user=request.user
        )
    }
    labels = _state_labels(chosen_time=at is not None)
    results = [
        {
            "hit": hit,
            "place": places[hit.id],
            "state": STATES[hit.open],
            "state_label": labels[STATES[hit.open]],
        }
        for hit in page.object_list
        if hit.id in places
    ]

    def page_url(number: int) -> str:
        params = query.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    return render(
        request,
        "web/repair/map.html",
        {
            "categories": categories,
            "kinds": kinds.items(),
            "chosen": chosen,
            "errors": errors,
            "near": near,
            "pc4": pc4,
            "radius_km": radius_km,
            "at": at,
            "moment": moment,
            "count": len(hits),
            "page": page,
            "results": results,
            "has_demo": any(hit.is_demo for hit in hits),
            "previous_url": page_url(page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": page_url(page.next_page_number()) if page.has_next() else "",
            "features": _features(
                hits, kinds=kinds, labels=labels, centre=near, radius_km=radius_km
            ),
            "max_radius": f"{MAX_RADIUS_KM:g}",
        },
    )


@require_safe
def repair_place(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get(pk=pk, user=request.user)
    if place is None:
        raise Http404
    # A chosen moment (as on the map's list) or now; a malformed one counts as now.
    at, _error = _moment(request.GET.get("at", "").strip()[:40])
    language = (get_language() or "nl")[:2]
    moment = at or timezone.now()
    opening = selectors.place_hours(place, at=moment, language=language)
    # "until 13:00" on the same day, else with the day.
    until = ""
    if opening.closes is not None:
        closes = timezone.localtime(opening.closes)
        same_day = closes.date() == timezone.localtime(moment).date()
        until = date_format(closes, "H:i" if same_day else "l j F, H:i")
    features: list[dict[str, Any]] = []
    municipality = place.municipality
    if municipality is not None:
        area = region_selectors.municipality_get(slug=municipality.slug)
        if area is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": area.boundary,
                    "properties": {"name": area.name, "background": True},
                }
            )
    features.append(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": {
                "kind": "repair",
                "state": STATES[opening.open],
                "approximate": place.coordinates_derived,
                "name": place.name,
            },
        }
    )
    return render(
        request,
        "web/repair/place.html",
        {
            "place": place,
            "kind": dict(selectors.kind_choices()).get(place.kind, place.kind),
            "categories": list(place.categories.all()),
            "opening": opening,
            "until": until,
            "at": at,
            "features": {"type": "FeatureCollection", "features": features},
        },
    )
