# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from cirkelregio.web import reports_views

urlpatterns = [
    path(
        "actielijnen/<slug:slug>/jaarplan/<int:year>/",
        reports_views.annual_plan_detail,
        name="annual-plan",
    ),
    path(
        "actielijnen/<slug:slug>/jaarplan/<int:year>/voortgang/",
        reports_views.annual_plan_progress,
        name="annual-plan-progress",
    ),
    path(
        "actielijnen/<slug:slug>/fasen/",
        reports_views.phase_timeline_page,
        name="phase-timeline",
    ),
    path("rapportage/", reports_views.report_index, name="reports"),
    path("rapportage/<int:year>/", reports_views.report_page, name="report"),
    path("rapportage/<int:year>/xlsx/", reports_views.report_xlsx, name="report-xlsx"),
    path("rapportage/<int:year>/pdf/", reports_views.report_pdf, name="report-pdf"),
    path(
        "rapportage/<int:year>/bestand/",
        reports_views.report_file_start,
        name="report-file",
    ),
    path(
        "rapportage/<int:year>/<slug:slug>/",
        reports_views.report_page,
        name="report-line",
    ),
    path(
        "rapportage/<int:year>/<slug:slug>/xlsx/",
        reports_views.report_xlsx,
        name="report-line-xlsx",
    ),
    path(
        "rapportage/<int:year>/<slug:slug>/pdf/",
        reports_views.report_pdf,
        name="report-line-pdf",
    ),
    path(
        "rapportage/<int:year>/<slug:slug>/bestand/",
        reports_views.report_file_start,
        name="report-line-file",
    ),
]
