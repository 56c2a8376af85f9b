# SPDX-License-Identifier: EUPL-1.2
"""The biobased-insulation pages under /biobased-isoleren/: progress against the
target for the province over the years and per municipality, the biogenic CO2 stored
with its method and sources (public); the import of projects for coordinators and
municipal editors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.biobased import rules, selectors, services
from cirkelregio.core.uploads import KINDS, check_upload
from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.web.charts import percent_columns, stacked_bars

SORT_KEYS = {
    "name": lambda row: row.municipality.name.lower(),
    "projects": lambda row: row.progress.projects,
    "homes": lambda row: row.progress.homes,
    "share": lambda row: row.progress.meeting_share,
    "biobased": lambda row: row.progress.biobased_share_area,
    "co2": lambda row: row.progress.co2_stored_kg,
}


def _sorted(rows: list[Any], key: str, descending: bool) -> list[Any]:
    """Sorted by the column; rows without a value (no projects) always last."""
    get = SORT_KEYS[key]
    known = [r for r in rows if get(r) is not None]
    unknown = [r for r in rows if get(r) is None]
    return sorted(known, key=get, reverse=descending) + unknown


def _basis(request: HttpRequest) -> str:
    basis = request.GET.get("basis", "")
    return basis if basis in selectors.Basis.values else selectors.default_basis()


@require_safe
def biobased_progress(request: HttpRequest) -> HttpResponse:
    basis = _basis(request)
    sort = request.GET.get("sort", "name")
    if sort not in SORT_KEYS:
        sort = "name"
    descending = request.GET.get("order") == "desc"
    report = selectors.progress_report(basis=basis)
    rows = _sorted(report.municipalities, sort, descending)
    chart = percent_columns(
        [(str(r.year), r.cumulative.meeting_share) for r in report.years],
        report.target.share_percent,
    )
    with_share = [r for r in report.municipalities if r.progress.meeting_share]
    bars = stacked_bars(
        {
            r.municipality.name: {_("meets the threshold"): r.progress.meeting_share}
            for r in sorted(
                with_share, key=lambda r: r.progress.meeting_share, reverse=True
            )
        }
    )
    user: Any = request.user
    return render(
        request,
        "web/biobased/progress.html",
        {
            "report": report,
            "target": report.target,
            "total": report.total,
            "basis": basis,
            "bases": selectors.Basis.choices,
            "rows": rows,
            "sort": sort,
            "descending": descending,
            "chart": chart,
            "bars": bars,
            "materials": list(selectors.material_list()),
            "has_demo": selectors.project_list().filter(is_demo=True).exists(),
            "can_import": user.is_authenticated and rules.can_report_projects(user),
            "columns": [
                ("name", _("Municipality")),
                ("projects", _("Projects")),
                ("homes", _("Homes")),
                ("share", _("Meeting the threshold (%)")),
                ("biobased", _("Biobased share by m² (%)")),
                ("co2", _("Biogenic CO2 stored (t)")),
            ],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def biobased_import(request: HttpRequest) -> HttpResponse:
    """Upload projects (CSV or XLSX): coordinators for every municipality, a
    municipality's editors for their own."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: Any = request.user
    if not rules.can_report_projects(user):
        raise PermissionDenied
    context: dict[str, Any] = {
        "errors": [],
        "field_errors": {},
        "report": None,
        "columns": services.COLUMNS,
        "required_columns": services.REQUIRED_COLUMNS,
        "channels": selectors.SourceChannel.choices,
        "materials": list(selectors.material_list()),
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["field_errors"]["file"] = _("Choose a file.")
        else:
            try:
                check_upload(upload, KINDS["table"])
            except ValidationError as exc:
                context["field_errors"]["file"] = exc.messages[0]
        if upload is not None and not context["field_errors"]:
            content = b"".join(upload.chunks())
            try:
                context["report"] = services.projects_import(
                    actor=user, content=content, file_name=upload.name or "upload"
                )
            except DataLoadError as exc:
                context["errors"] = [
                    {
                        "file": p.file,
                        "line": p.line,
                        "record": p.record or "",
                        "field": p.field or "",
                        "message": p.message,
                    }
                    for p in exc.problems
                ]
        context["problem_count"] = len(context["errors"]) + len(context["field_errors"])
    return render(request, "web/biobased/import.html", context)
