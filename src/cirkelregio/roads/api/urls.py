# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from rest_framework.routers import DefaultRouter

from cirkelregio.roads.api import bundles, harmonisation, viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("mixtures", viewsets.MixtureViewSet, basename="roads-mixture")
router.register("sections", viewsets.SectionViewSet, basename="roads-section")
router.register("works", viewsets.WorkViewSet, basename="roads-work")
router.register(
    "substitutions", harmonisation.SubstitutionViewSet, basename="roads-substitution"
)
router.register(
    "harmonisation-runs",
    harmonisation.HarmonisationRunViewSet,
    basename="roads-harmonisation-run",
)
urlpatterns = [
    *router.urls,
    path(
        "import/sections/",
        viewsets.SectionImportView.as_view(),
        name="roads-import-sections",
    ),
    path(
        "import/passports/",
        viewsets.PassportImportView.as_view(),
        name="roads-import-passports",
    ),
    path("import/works/", viewsets.WorkImportView.as_view(), name="roads-import-works"),
    path("mki/", harmonisation.MkiView.as_view(), name="roads-mki"),
    path("bundles/", bundles.BundleView.as_view(), name="roads-bundles"),
]
