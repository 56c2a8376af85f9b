# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from rest_framework.routers import DefaultRouter

from cirkelregio.biobased.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("materials", viewsets.MaterialViewSet, basename="biobased-material")
router.register("projects", viewsets.ProjectViewSet, basename="biobased-project")
urlpatterns = [
    *router.urls,
    path("progress/", viewsets.ProgressView.as_view(), name="biobased-progress"),
]
