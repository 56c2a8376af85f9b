# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from rest_framework.routers import DefaultRouter

from cirkelregio.exchange.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register(
    "materials", viewsets.MaterialClassViewSet, basename="exchange-material"
)
router.register("depots", viewsets.DepotViewSet, basename="exchange-depot")
router.register("listings", viewsets.ListingViewSet, basename="exchange-listing")
router.register("photos", viewsets.ListingPhotoViewSet, basename="exchange-photo")
router.register("match-runs", viewsets.MatchRunViewSet, basename="exchange-match-run")
router.register("proposals", viewsets.ProposalViewSet, basename="exchange-proposal")

urlpatterns = [
    path(
        "listings/import/",
        viewsets.ListingImportView.as_view(),
        name="exchange-listing-import",
    ),
    *router.urls,
]
