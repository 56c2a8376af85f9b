# SPDX-License-Identifier: EUPL-1.2
"""Pages of the roads app (Utrechtse Asfaltstrategie) under /wegen/: the road
sections on a map and in a list, a section with its passports, works and history,
the works and the bundles across authorities per year, the imports for road
managers and the downloads of the public data. Thin: data from the roads selectors,
writes through the roads services."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.core.uploads import KINDS, check_upload
from cirkelregio.engine.dataio import DataLoadError, Problem
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.roads import rules, selectors, services

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies; an
# authority keeps its colour on every roads page (by its place in the slug order).
COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]
MAX_DISTANCE_M = 10_000.0
CRS_CHOICES = [
    ("EPSG:4326", "WGS84 (EPSG:4326)"),
    ("EPSG:28992", "RD New (EPSG:28992)"),
]


def _boundaries() -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "geometry": m.boundary,
            "properties": {"name": m.name, "background": True},
        }
        for m in region_selectors.municipality_list()
        if m.boundary
    ]


def _authorities(user: Any) -> list[dict[str, Any]]:
    """The road authorities the user may see with their colour class."""
    slugs = sorted(
        set(selectors.section_list(user=user).values_list("authority__slug", flat=True))
        | set(selectors.work_list(user=user).values_list("authority__slug", flat=True))
    )
    names = dict(
        region_selectors.organisation_list()
        .filter(slug__in=slugs)
        .values_list("slug", "name")
    )
    return [
        {"slug": s, "name": names.get(s, s), "index": k % len(COLOURS)}
        for k, s in enumerate(slugs)
    ]


def _colour(authorities: list[dict[str, Any]], slug: str) -> int:
    for a in authorities:
        if a["slug"] == slug:
            return int(a["index"])
    return 0


def _section_feature(
    section: Any, colour: int, url: str, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": section.geometry,
        "properties": {
            "name": f"{section.external_id} {section.name} ({section.authority.name})",
            "colour": COLOURS[colour],
            "url": url,
            **extra,
        },
    }


def _year(request: HttpRequest, years: list[int]) -> tuple[int, str]:
    """The year of ?jaar= (else this year, else the first with works) and an
    error message for a value that is no year."""
    raw = request.GET.get("jaar", "").strip()
    if raw:
        if raw.isdigit() and 1900 <= int(raw) <= 2200:
            return int(raw), ""
        error = _("Enter a year, e.g. 2027.")
    else:
        error = ""
    this = timezone.localdate().year
    if this in years or not years:
        return this, error
    later = [y for y in years if y >= this]
    return (later[0] if later else years[-1]), error


def _work_years(user: Any) -> list[int]:
    years: set[int] = set()
    for start, end in selectors.work_list(user=user).values_list(
        "window_start", "window_end"
    ):
        years.update(range(start.year, end.year + 1))
    return sorted(years)


@require_safe
def road_overview(request: HttpRequest) -> HttpResponse:
    authorities = _authorities(request.user)
    all_sections = list(selectors.section_list(user=request.user))
    road_types = sorted(
        {s.road_type: s.get_road_type_display() for s in all_sections}.items(),
        key=lambda item: str(item[1]),
    )
    authority = request.GET.get("wegbeheerder", "")
    road_type = request.GET.get("wegtype", "")
    sections = [
        s
        for s in all_sections
        if (not authority or s.authority.slug == authority)
        and (not road_type or s.road_type == road_type)
    ]
    features = _boundaries() + [
        _section_feature(
            s,
            _colour(authorities, s.authority.slug),
            f"{request.path}{s.pk}/",
        )
        for s in sections
    ]
    for a in authorities:
        a["sections"] = sum(1 for s in sections if s.authority.slug == a["slug"])
    return render(
        request,
        "web/roads/overview.html",
        {
            "authorities": authorities,
            "road_types": road_types,
            "authority": authority,
            "road_type": road_type,
            "sections": [(s, _colour(authorities, s.authority.slug)) for s in sections],
            "total": len(all_sections),
            "area": sum(s.area_m2 for s in sections),
            "features": {"type": "FeatureCollection", "features": features},
            "can_import": rules.can_manage_roads(request.user),  # type: ignore[arg-type],
        },
    )


@require_safe
def road_section(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_list(user=request.user).filter(pk=pk).first()
    if section is None:
        raise Http404
    passports = list(selectors.passport_list(user=request.user).filter(section=section))
    today = timezone.localdate()
    current = selectors.passport_at(section=section, day=today)
    earlier = [p for p in passports if current is None or p.pk != current.pk]
    works = [
        selectors.work_released_materials(work=w)
        for w in selectors.work_list(user=request.user).filter(section=section)
    ]
    authorities = _authorities(request.user)
    colour = _colour(authorities, section.authority.slug)
    may_change = request.user.is_authenticated and rules.can_change_section(
        request.user,  # type: ignore[arg-type]
        section,
    )
    history = (
        selectors.section_history(section=section, user=request.user)
        if may_change
        else []
    )
    return render(
        request,
        "web/roads/section.html",
        {
            "section": section,
            "current": current,
            "earlier": earlier,
            "works": works,
            "colour": colour,
            "may_change": may_change,
            "history": history,
            "features": {
                "type": "FeatureCollection",
                "features": _boundaries() + [_section_feature(section, colour, "")],
            },
        },
    )


@require_safe
def road_works(request: HttpRequest) -> HttpResponse:
    years = _work_years(request.user)
    year, error = _year(request, years)
    works = list(
        selectors.work_list(user=request.user).filter(
            window_start__lte=dt.date(year, 12, 31),
            window_end__gte=dt.date(year, 1, 1),
        )
    )
    authorities = _authorities(request.user)
    features = _boundaries() + [
        _section_feature(
            w.section,
            _colour(authorities, w.authority.slug),
            _section_url(request, w.section_id),
            name=f"{w.external_id}: {w.section.name} ({w.authority.name}), "
            f"{w.window_start.isoformat()} – {w.window_end.isoformat()}",
        )
        for w in works
    ]
    return render(
        request,
        "web/roads/works.html",
        {
            "year": year,
            "years": years,
            "error": error,
            "works": [(w, _colour(authorities, w.authority.slug)) for w in works],
            "authorities": authorities,
            "features": {"type": "FeatureCollection", "features": features},
        },
    )


def _section_url(request: HttpRequest, pk: int) -> str:
    return reverse("web:roads-section", kwargs={"pk": pk})


@require_safe
def road_bundles(request: HttpRequest) -> HttpResponse:
    years = _work_years(request.user)
    year, year_error = _year(request, years)
    errors = {"jaar": year_error} if year_error else {}
    raw = request.GET.get("afstand", "").strip().replace(",", ".")
    distance = 500.0
    if raw:
        try:
            distance = float(raw)
            if not 0 <= distance <= MAX_DISTANCE_M:
                raise ValueError
        except ValueError:
            errors["afstand"] = _("Enter a distance from 0 to 10000 m.")
            distance = 500.0
    found = selectors.bundles(year=year, distance_m=distance, user=request.user)
    authorities = _authorities(request.user)
    names = {a["slug"]: a["name"] for a in authorities}
    bundles = []
    features = _boundaries()
    for number, bundle in enumerate(found.result.bundles, 1):
        members = [found.works[w.id] for w in bundle.works]
        for work in members:
            features.append(
                _section_feature(
                    work.section,
                    _colour(authorities, work.authority.slug),
                    _section_url(request, work.section_id),
                    name=f"{_('Bundle %(n)s') % {'n': number}}: {work.external_id}, "
                    f"{work.section.name} ({work.authority.name})",
                    bundle=number,
                )
            )
        for pair in bundle.pairs:
            a, b = found.works[pair.a], found.works[pair.b]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [_centre(a.section), _centre(b.section)],
                    },
                    "properties": {
                        "name": _("%(a)s – %(b)s: %(d)s m")
                        % {
                            "a": a.external_id,
                            "b": b.external_id,
                            "d": f"{pair.distance_m:.0f}",
                        },
                        "pair": True,
                    },
                }
            )
        bundles.append(
            {
                "number": number,
                "bundle": bundle,
                "works": [(w, _colour(authorities, w.authority.slug)) for w in members],
                "authorities": [names.get(s, s) for s in bundle.authorities],
                "pairs": [
                    (found.works[p.a], found.works[p.b], p.distance_m)
                    for p in bundle.pairs
                ],
            }
        )
    for work in (found.works[w.id] for w in found.result.unbundled):
        features.append(
            _section_feature(
                work.section,
                _colour(authorities, work.authority.slug),
                _section_url(request, work.section_id),
                name=f"{work.external_id}, {work.section.name} ({work.authority.name})",
                muted=True,
            )
        )
    return render(
        request,
        "web/roads/bundles.html",
        {
            "year": year,
            "years": years,
            "distance": distance,
            "distance_raw": request.GET.get("afstand", "") or f"{distance:g}",
            "errors": errors,
            "bundles": bundles,
            "unbundled": [
                (
                    found.works[w.id],
                    _colour(authorities, found.works[w.id].authority.slug),
                )
                for w in found.result.unbundled
            ],
            "skipped": found.skipped,
            "authorities": authorities,
            "features": {"type": "FeatureCollection", "features": features},
        },
    )


def _centre(section: Any) -> list[float]:
    """The middle of the section's bounding box (for the line between two works)."""
    west, south, east, north = section.bbox
    return [(west + east) / 2, (south + north) / 2]


IMPORT_KINDS = ("sections", "passports", "works")


def _problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {
            "file": p.file,
            "line": p.line,
            "record": p.record or "",
            "field": p.field or "",
            "message": p.message,
        }
        for p in problems
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def road_import(request: HttpRequest) -> HttpResponse:
    """Upload sections, passports and works: road managers (their own authority)
    and coordinators (any, or the file's ``authority`` column)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: Any = request.user
    if not rules.can_manage_roads(user):
        raise PermissionDenied
    choices = list(
        region_selectors.organisation_list(user=user)
        .filter(kind__in=rules.ROAD_AUTHORITY_KINDS)
        .order_by("name")
    )
    choices = [o for o in choices if rules.can_manage_authority(user, o)]
    is_coordinator = bool(getattr(user, "is_coordinator", False))
    context: dict[str, Any] = {
        "choices": choices,
        "is_coordinator": is_coordinator,
        "crs_choices": CRS_CHOICES,
        "kind": "",
        "values": {},
        "errors": [],
        "field_errors": {},
        "report": None,
    }
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in IMPORT_KINDS:
            raise Http404
        context["kind"] = kind
        values = {
            "authority": request.POST.get("authority", ""),
            "crs": request.POST.get("crs", "EPSG:4326"),
        }
        context["values"] = values
        field_errors: dict[str, str] = {}
        authority = None
        if values["authority"]:
            authority = next(
                (o for o in choices if o.slug == values["authority"]), None
            )
            if authority is None:
                field_errors["authority"] = _("Choose one of the road authorities.")
        elif not is_coordinator:
            field_errors["authority"] = _("Choose the road authority.")
        if values["crs"] not in dict(CRS_CHOICES):
            field_errors["crs"] = _("Choose one of the coordinate systems.")
        upload = request.FILES.get("file")
        if upload is None:
            field_errors["file"] = _("Choose a file.")
        else:
            try:
                check_upload(upload, KINDS["geo" if kind == "sections" else "csv"])
            except ValidationError as exc:
                field_errors["file"] = exc.messages[0]
        context["field_errors"] = field_errors
        if not field_errors:
            assert upload is not None
            name = Path(upload.name or "upload").name
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / name
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    context["report"] = _run_import(
                        kind, path, authority, values["crs"], user
                    )
                except DataLoadError as exc:
                    context["errors"] = _problem_rows(exc.problems)
        context["problem_count"] = len(context["errors"]) + len(field_errors)
        return render(request, "web/roads/import.html", context)
    if not is_coordinator and len(choices) == 1:
        context["values"] = {"authority": choices[0].slug, "crs": "EPSG:4326"}
    return render(request, "web/roads/import.html", context)


def _run_import(
    kind: str, path: Path, authority: Any, crs: str, user: Any
) -> services.ImportReport:
    if kind == "sections":
        return services.import_sections(path, authority=authority, crs=crs, actor=user)
    if kind == "passports":
        return services.import_passports(path, authority=authority, actor=user)
    return services.import_works(path, authority=authority, actor=user)


EXPORTS = {
    "wegvakken.csv": (
        "text/csv",
        lambda u: services.sections_csv(selectors.section_list(user=u)),
    ),
    "wegvakken.geojson": (
        "application/geo+json",
        lambda u: services.sections_geojson(selectors.section_list(user=u)),
    ),
    "paspoorten.csv": (
        "text/csv",
        lambda u: services.passports_csv(selectors.passport_list(user=u)),
    ),
    "werken.csv": (
        "text/csv",
        lambda u: services.works_csv(selectors.work_list(user=u)),
    ),
}


@require_safe
def road_export(request: HttpRequest, name: str) -> HttpResponse:
    """The sections, passports or works the user may see, in the import formats."""
    if name not in EXPORTS:
        raise Http404
    content_type, build = EXPORTS[name]
    response = HttpResponse(
        build(request.user), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def road_export_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/roads/export.html", {"exports": list(EXPORTS)})
