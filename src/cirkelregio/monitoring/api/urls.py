# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from rest_framework.routers import DefaultRouter

from cirkelregio.monitoring.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register(
    "indicators", viewsets.IndicatorViewSet, basename="monitoring-indicator"
)
router.register("values", viewsets.ValueViewSet, basename="monitoring-value")
urlpatterns = [
    *router.urls,
    path("export.csv", viewsets.ExportCsvView.as_view(), name="monitoring-export-csv"),
    path(
        "export.json", viewsets.ExportJsonView.as_view(), name="monitoring-export-json"
    ),
    path(
        "dictionary.json",
        viewsets.DictionaryView.as_view(),
        name="monitoring-dictionary-json",
    ),
    path(
        "dictionary.md",
        viewsets.DictionaryMarkdownView.as_view(),
        name="monitoring-dictionary-md",
    ),
]
