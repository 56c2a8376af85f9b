# SPDX-License-Identifier: EUPL-1.2
from rest_framework.routers import DefaultRouter

from cirkelregio.initiatives.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register(
    "initiatives", viewsets.InitiativeViewSet, basename="initiatives-initiative"
)
router.register(
    "contact-points",
    viewsets.ContactPointViewSet,
    basename="initiatives-contact-point",
)

urlpatterns = router.urls
