# SPDX-License-Identifier: EUPL-1.2
"""The Regiomonitor under /monitor/ (names in the web namespace)."""

from django.urls import path

from cirkelregio.web import monitor_views

urlpatterns = [
    path("", monitor_views.monitor, name="monitor"),
    path("regiomonitor.csv", monitor_views.monitor_csv, name="monitor-csv"),
    path(
        "indicatoren/<slug:code>/",
        monitor_views.indicator_detail,
        name="monitor-indicator",
    ),
    path(
        "indicatoren/<slug:code>/<slug:table>.csv",
        monitor_views.indicator_csv,
        name="monitor-indicator-csv",
    ),
    path(
        "gemeenten/<slug:slug>.csv",
        monitor_views.municipality_csv,
        name="monitor-municipality-csv",
    ),
]
