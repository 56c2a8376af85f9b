# SPDX-License-Identifier: EUPL-1.2
from rest_framework.routers import DefaultRouter

from cirkelregio.mki.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("libraries", viewsets.ProfileLibraryViewSet, basename="mki-library")
router.register("profiles", viewsets.ProfileViewSet, basename="mki-profile")
router.register("projects", viewsets.ProjectViewSet, basename="mki-project")
router.register("variants", viewsets.VariantViewSet, basename="mki-variant")
router.register("elements", viewsets.ElementViewSet, basename="mki-element")
router.register("bill-lines", viewsets.BillLineViewSet, basename="mki-bill-line")
router.register("results", viewsets.CalculationResultViewSet, basename="mki-result")
router.register("tenders", viewsets.TenderViewSet, basename="mki-tender")
router.register("bids", viewsets.BidViewSet, basename="mki-bid")
router.register("monitor", viewsets.MonitorViewSet, basename="mki-monitor")

urlpatterns = router.urls
