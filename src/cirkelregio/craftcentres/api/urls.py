# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from rest_framework.routers import DefaultRouter

from cirkelregio.craftcentres.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("sites", viewsets.SiteViewSet, basename="craftcentres-site")
router.register("scenarios", viewsets.ScenarioViewSet, basename="craftcentres-scenario")
urlpatterns = [
    *router.urls,
    path(
        "comparison/",
        viewsets.ComparisonView.as_view(),
        name="craftcentres-comparison",
    ),
    path(
        "municipalities/",
        viewsets.MunicipalityView.as_view(),
        name="craftcentres-municipalities",
    ),
]
