# SPDX-License-Identifier: EUPL-1.2
from rest_framework.routers import DefaultRouter

from cirkelregio.events.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("events", viewsets.RepairEventViewSet, basename="events-event")
router.register(
    "editions", viewsets.ReparatieweekEditionViewSet, basename="events-edition"
)

urlpatterns = router.urls
