# SPDX-License-Identifier: EUPL-1.2
"""The files of an annual report: its PDF (the page's own HTML in its print
layout, WeasyPrint) and its workbook (XLSX), for the download views and for the
background job ``reports.annual_report`` that stores them (ADR 0009).

A job has no request: ``report_file`` renders the page for the job's user with a
request of its own (the report's path, that user, the job's language), and the PDF
fetches only the site's static files from disk whatever the host."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cirkelregio.regions import selectors
from cirkelregio.web.report_export import report_title, report_workbook
from cirkelregio.web.reports import Report, annual_report, report_year_problem

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The address a job's PDF is rendered at: only its path matters (the static files
#: are read from disk), so no host of the site is needed.
OFFLINE_ORIGIN = "http://localhost"


PDF_UNAVAILABLE = gettext_lazy(
    "The PDF cannot be made on this server; print the page instead."
)


class PdfUnavailableError(Exception):
    """WeasyPrint or Pango is missing on this server."""


def report_filename(year: int, slug: str | None, fmt: str) -> str:
    name = f"jaarrapportage-{year}" + (f"-{slug}" if slug else "")
    language = (get_language() or "nl")[:2]
    return f"{name}-{language}.{fmt}"


def report_html(report: Report, request: HttpRequest, *, is_region: bool) -> str:
    return render_to_string(
        "web/reports/report.html",
        {"report": report, "title": report_title(report), "is_region": is_region},
        request=request,
    )


def report_bytes(
    report: Report, fmt: str, request: HttpRequest, *, is_region: bool, base_url: str
) -> bytes:
    """The report as ``fmt`` (pdf or xlsx). PdfUnavailableError without
    WeasyPrint."""
    if fmt == "xlsx":
        return report_workbook(report)
    html = report_html(report, request, is_region=is_region)
    try:
        # Imported here: WeasyPrint loads Pango and its stylesheets on import, which
        # no other page needs.
        from cirkelregio.web.report_pdf import html_to_pdf
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError from exc
    return html_to_pdf(html, base_url=base_url)


def report_path(year: int, slug: str | None) -> str:
    if slug:
        return reverse("web:report-line", kwargs={"year": year, "slug": slug})
    return reverse("web:report", kwargs={"year": year})


def report_file(
    *,
    year: int,
    slug: str | None,
    fmt: str,
    user: Any,
    language: str,
    progress: Callable[[float, str], None] | None = None,
) -> tuple[str, bytes]:
    """The report of ``year`` (of the line ``slug``, else of the region) as ``user``
    may see it, in ``language``, as a file: (file name, content). ValueError for a
    year or line without a report."""
    report_progress = progress or (lambda percent, message: None)
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}")
    with translation.override(language):
        problem = report_year_problem(year)
        if problem:
            raise ValueError(problem)
        line = None
        if slug:
            line = selectors.action_line_get(slug=slug)
            if line is None:
                raise ValueError(f"No action line {slug!r}")
        report_progress(10, _("Collecting the figures"))
        report = annual_report(year=year, user=user, line=line)
        report_progress(40, _("Making the file"))
        request = HttpRequest()
        request.method = "GET"
        request.path = request.path_info = report_path(year, slug)
        request.user = user if user is not None else AnonymousUser()
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        content = report_bytes(
            report,
            fmt,
            request,
            is_region=slug is None,
            base_url=OFFLINE_ORIGIN + request.path,
        )
        return report_filename(year, slug, fmt), content
