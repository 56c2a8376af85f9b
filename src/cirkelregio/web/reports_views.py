# SPDX-License-Identifier: EUPL-1.2
"""Annual plans with their progress, the phase timeline of a line, and the printable
annual reports for bestuurders (per line and for the region) with their XLSX export.

- /actielijnen/<slug>/jaarplan/<year>/: the plan with its activities, statuses and
  achievements, and a chart of the activities by status with its table;
- /actielijnen/<slug>/jaarplan/<year>/voortgang/: the progress form (coordinators; the
  editors of a lead organisation for the activities it leads), all or nothing;
- /actielijnen/<slug>/fasen/: the participants' phases over time;
- /rapportage/<year>/ and /rapportage/<year>/<slug>/: the annual report, and
  .../xlsx/ its workbook and .../pdf/ the same page as PDF (its print layout);
  POST .../bestand/ makes either as a background job whose stored file its starter
  downloads.

Thin: data from the selectors and ``web.reports``, writes through the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.jobs.views import start_job
from cirkelregio.regions import selectors, services
from cirkelregio.web.report_charts import count_bars, phase_timeline
from cirkelregio.web.report_export import report_title
from cirkelregio.web.report_files import (
    FORMATS,
    PDF_UNAVAILABLE,
    PdfUnavailableError,
    report_bytes,
    report_filename,
    report_path,
)
from cirkelregio.web.reports import annual_report, count_table, report_year_problem

PROGRESS_FIELDS = services.PROGRESS_FIELDS


def _line_or_404(slug: str) -> Any:
    line = selectors.action_line_get(slug=slug)
    if line is None:
        raise Http404
    return line


def _plan_or_404(request: HttpRequest, line: Any, year: int) -> Any:
    plan = selectors.annual_plan_get(line=line, year=year, user=request.user)
    if plan is None:
        raise Http404
    return plan


@require_safe
def annual_plan_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    line = _line_or_404(slug)
    plan = _plan_or_404(request, line, year)
    activities = list(plan.activities.all())
    counts = selectors.activity_status_counts(activities)
    return render(
        request,
        "web/reports/plan.html",
        {
            "line": line,
            "plan": plan,
            "activities": activities,
            "counts": counts,
            "chart": count_bars(counts),
            "status_table": count_table(
                "statuses", _("Activities by status"), _("Status"), counts
            ),
            "may_record": bool(
                selectors.progress_editable_activities(plan=plan, user=request.user)
            ),
            "years": [
                p.year
                for p in selectors.annual_plan_list(user=request.user).filter(
                    action_line=line
                )
            ],
        },
    )


def _parse_date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def annual_plan_progress(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    line = _line_or_404(slug)
    plan = _plan_or_404(request, line, year)
    editable = selectors.progress_editable_activities(plan=plan, user=request.user)
    if not editable:
        raise PermissionDenied
    values: dict[int, dict[str, str]] = {
        a.pk: {
            "status": a.status,
            "status_changed_on": (
                a.status_changed_on.isoformat() if a.status_changed_on else ""
            ),
            "achievement_nl": a.achievement_nl,
            "achievement_en": a.achievement_en,
            "achievement_figure": a.achievement_figure,
            "achievement_url": a.achievement_url,
        }
        for a in editable
    }
    errors: dict[int, dict[str, str]] = {}
    if request.method == "POST":
        changes = []
        for a in editable:
            posted = {
                name: request.POST.get(f"a{a.pk}-{name}", "").strip()
                for name in PROGRESS_FIELDS
            }
            values[a.pk] = posted
            on = None
            if posted["status_changed_on"]:
                on = _parse_date(posted["status_changed_on"])
                if on is None:
                    errors.setdefault(a.pk, {})["status_changed_on"] = _(
                        "Enter a date as year-month-day, for example 2026-03-31."
                    )
            changes.append(
                services.ActivityProgress(
                    activity=a,
                    status=posted["status"],
                    status_changed_on=on,
                    achievement_nl=posted["achievement_nl"],
                    achievement_en=posted["achievement_en"],
                    achievement_figure=posted["achievement_figure"],
                    achievement_url=posted["achievement_url"],
                )
            )
        if not errors:
            try:
                services.annual_plan_progress_update(
                    actor=request.user,  # type: ignore[arg-type]
                    plan=plan,
                    changes=changes,
                )
            except services.ProgressError as exc:
                for pk, fields in exc.by_activity.items():
                    for name, messages in fields.items():
                        field = name if name in PROGRESS_FIELDS else "status"
                        errors.setdefault(pk, {})[field] = " ".join(messages)
            else:
                url = reverse("web:annual-plan", args=[line.slug, plan.year])
                return redirect(f"{url}?opgeslagen=1")
    by_pk = {a.pk: a for a in editable}
    summary = [
        (pk, name, message, by_pk[pk].title_nl)
        for pk, fields in errors.items()
        for name, message in fields.items()
    ]
    return render(
        request,
        "web/reports/progress.html",
        {
            "line": line,
            "plan": plan,
            "rows": [
                {
                    "activity": a,
                    "values": values[a.pk],
                    "errors": errors.get(a.pk, {}),
                    "options": selectors.activity_status_options(a),
                }
                for a in editable
            ],
            "summary": summary,
            "today": timezone.localdate().isoformat(),
        },
        status=400 if errors else 200,
    )


@require_safe
def phase_timeline_page(request: HttpRequest, slug: str) -> HttpResponse:
    line = _line_or_404(slug)
    labels = {str(p.code): str(p.name) for p in selectors.phase_definitions()}
    rows = selectors.phase_timeline(line=line, user=request.user)
    today = timezone.localdate()
    chart = phase_timeline(
        [
            (
                r.participation.organisation.name,
                [
                    (s.phase, labels.get(s.phase, s.phase), s.start, s.end)
                    for s in r.steps
                ],
            )
            for r in rows
        ],
        today,
    )
    return render(
        request,
        "web/reports/phases.html",
        {
            "line": line,
            "rows": rows,
            "chart": chart,
            "phases": selectors.phase_definitions(),
            "labels": labels,
        },
    )


def _report_unavailable(
    request: HttpRequest, year: int, slug: str | None
) -> tuple[Any, HttpResponse | None]:
    """The report's line (404 for an unknown one) and, for a year without a
    report, the page that says so."""
    problem = report_year_problem(year)
    line = _line_or_404(slug) if slug else None
    if problem:
        return line, render(
            request,
            "web/reports/unavailable.html",
            {"year": year, "problem": problem, "line": line},
            status=404,
        )
    return line, None


def _report_context(request: HttpRequest, year: int, slug: str | None) -> Any:
    line, response = _report_unavailable(request, year, slug)
    if response is not None:
        return None, response
    return annual_report(year=year, user=request.user, line=line), None


@require_safe
def report_index(request: HttpRequest) -> HttpResponse:
    years = selectors.annual_plan_years(user=request.user)
    this_year = timezone.localdate().year
    return render(
        request,
        "web/reports/index.html",
        {
            "years": sorted({*years, this_year}, reverse=True),
            "lines": selectors.action_line_list(),
            "this_year": this_year,
        },
    )


@require_safe
def report_page(
    request: HttpRequest, year: int, slug: str | None = None
) -> HttpResponse:
    report, response = _report_context(request, year, slug)
    if response is not None:
        return response
    return render(
        request,
        "web/reports/report.html",
        {"report": report, "title": report_title(report), "is_region": slug is None},
    )


@require_safe
def report_xlsx(
    request: HttpRequest, year: int, slug: str | None = None
) -> HttpResponse:
    return _report_download(request, year, slug, "xlsx")


@require_safe
def report_pdf(
    request: HttpRequest, year: int, slug: str | None = None
) -> HttpResponse:
    """The report page's own HTML in its print layout, as PDF."""
    return _report_download(request, year, slug, "pdf")


def _report_download(
    request: HttpRequest, year: int, slug: str | None, fmt: str
) -> HttpResponse:
    report, response = _report_context(request, year, slug)
    if response is not None:
        return response
    try:
        content = report_bytes(
            report,
            fmt,
            request,
            is_region=slug is None,
            base_url=request.build_absolute_uri(),
        )
    except PdfUnavailableError:  # WeasyPrint or Pango missing on this server
        return HttpResponse(
            PDF_UNAVAILABLE,
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = report_filename(year, slug, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def report_file_start(
    request: HttpRequest, year: int, slug: str | None = None
) -> HttpResponse:
    """POST: make the report's PDF or workbook as a background job whose file is
    stored for who started it (and the coordinators). With the immediate backend
    the download follows at once; with a worker, the job's page. GET: back to the
    report."""
    page = report_path(year, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(page)
    if request.method != "POST":
        return redirect(page)
    # Only the checks here: the job collects the report's figures itself.
    _line, response = _report_unavailable(request, year, slug)
    if response is not None:
        return response
    fmt = request.POST.get("format", "")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose PDF or XLSX."))
    started, error = start_job(
        request,
        "reports.annual_report",
        {
            "year": year,
            "line": slug or "",
            "format": fmt,
            "language": (get_language() or "nl")[:2],
        },
    )
    if started is not None:
        return started
    return HttpResponse(error, status=503, content_type="text/plain; charset=utf-8")
