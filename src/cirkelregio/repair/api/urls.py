# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from rest_framework.routers import DefaultRouter

from cirkelregio.repair.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("places", viewsets.RepairPlaceViewSet, basename="repair-place")
router.register(
    "categories", viewsets.RepairCategoryViewSet, basename="repair-category"
)
urlpatterns = [
    *router.urls,
    path(
        "statistics/",
        viewsets.RepairStatisticsView.as_view(),
        name="repair-statistics",
    ),
]
