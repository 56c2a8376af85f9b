# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from rest_framework.routers import DefaultRouter

from cirkelregio.agricycling.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("seasons", viewsets.SeasonViewSet, basename="agricycling-season")
router.register("parcels", viewsets.ParcelViewSet, basename="agricycling-parcel")
router.register("farms", viewsets.FarmViewSet, basename="agricycling-farm")
router.register("batches", viewsets.BatchViewSet, basename="agricycling-batch")
router.register("tariffs", viewsets.TariffsViewSet, basename="agricycling-tariffs")
router.register("runs", viewsets.RunViewSet, basename="agricycling-run")
urlpatterns = [
    *router.urls,
    path(
        "import/parcels/",
        viewsets.ParcelImportView.as_view(),
        name="agricycling-import-parcels",
    ),
    path(
        "import/farms/",
        viewsets.FarmImportView.as_view(),
        name="agricycling-import-farms",
    ),
    path(
        "allocate/",
        viewsets.AllocateFileView.as_view(),
        name="agricycling-allocate",
    ),
]
