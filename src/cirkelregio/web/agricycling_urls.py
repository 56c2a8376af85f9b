# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling pages under /agricycling/ (names in the web namespace)."""

from django.urls import path

from cirkelregio.web import agricycling_views

urlpatterns = [
    path("", agricycling_views.agricycling_overview, name="agricycling"),
    path("allocatie/", agricycling_views.agricycling_run, name="agricycling-run"),
    path(
        "afrekening/",
        agricycling_views.agricycling_settlement,
        name="agricycling-settlement",
    ),
    path(
        "afrekening/<int:pk>/<str:role>/<str:party>.csv",
        agricycling_views.agricycling_statement,
        name="agricycling-statement",
    ),
]
