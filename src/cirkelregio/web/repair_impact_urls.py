# SPDX-License-Identifier: EUPL-1.2
"""The repair-impact pages under /reparatiekaart/impact/ (names in the web
namespace)."""

from django.urls import path

from cirkelregio.web import repair_impact_views

urlpatterns = [
    path("", repair_impact_views.repair_impact, name="repair-impact"),
    path(
        "<slug:table>.csv",
        repair_impact_views.repair_impact_csv,
        name="repair-impact-csv",
    ),
    path(
        "reparaties/",
        repair_impact_views.repair_records_choose,
        name="repair-records-choose",
    ),
    path(
        "reparaties/<slug:slug>/",
        repair_impact_views.repair_records,
        name="repair-records",
    ),
]
