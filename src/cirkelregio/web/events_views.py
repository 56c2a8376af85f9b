# SPDX-License-Identifier: EUPL-1.2
"""Public pages of the Reparatieweek (action line 6, twice a year): the edition now
running or next with its activities per municipality and the earlier editions, a
page per edition, and the iCalendar feeds (RFC 5545) of the repair events per repair
place, municipality, edition and event. Thin: data from the events, repair and
regions selectors. The feeds hold published events only; under /en/ their titles
and descriptions are English where an English text exists."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cirkelregio.events import selectors
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.repair import selectors as repair_selectors

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def _edition_context(edition: Any, user: Any) -> dict[str, Any]:
    groups = selectors.edition_activities(edition, user=user)
    return {
        "edition": edition,
        "groups": groups,
        "activity_count": len({e.pk for g in groups for _s, e in g.sessions}),
        "municipality_count": region_selectors.municipality_list().count(),
    }


@require_safe
def reparatieweek(request: HttpRequest) -> HttpResponse:
    overview = selectors.edition_overview(user=request.user)
    context: dict[str, Any] = {"overview": overview}
    if overview.current is not None:
        context.update(_edition_context(overview.current, request.user))
    return render(request, "web/events/reparatieweek.html", context)


@require_safe
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.edition_get(user=request.user, pk=pk)
    if edition is None:
        raise Http404
    return render(
        request,
        "web/events/edition.html",
        _edition_context(edition, request.user),
    )


# iCalendar feeds ---------------------------------------------------------------------


@require_safe
def place_feed(request: HttpRequest, pk: int) -> HttpResponse:
    place = repair_selectors.place_list(user=request.user).filter(pk=pk).first()
    if place is None:
        raise Http404
    events = selectors.event_filter(selectors.public_event_list(), place=place.pk)
    return _calendar(
        selectors.ical_feed(events, name=place.name), f"repair-place-{place.pk}"
    )


@require_safe
def municipality_feed(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = region_selectors.municipality_get(slug=slug)
    if municipality is None:
        raise Http404
    events = selectors.event_filter(
        selectors.public_event_list(), municipality_slug=municipality.slug
    )
    name = _("Repair events in %(name)s") % {"name": municipality.name}
    return _calendar(selectors.ical_feed(events, name=name), municipality.slug)


@require_safe
def edition_feed(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.edition_get(user=None, pk=pk)
    if edition is None:
        raise Http404
    events = selectors.event_filter(selectors.public_event_list(), edition=edition.pk)
    return _calendar(
        selectors.ical_feed(events, name=edition.name), f"reparatieweek-{edition.pk}"
    )


@require_safe
def event_feed(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(user=None, pk=pk)
    if event is None:
        raise Http404
    return _calendar(
        selectors.ical_feed([event], name=event.title), f"repair-event-{event.pk}"
    )
