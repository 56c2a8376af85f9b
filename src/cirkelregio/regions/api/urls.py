# SPDX-License-Identifier: EUPL-1.2
from rest_framework.routers import DefaultRouter

from cirkelregio.regions.api import viewsets

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("municipalities", viewsets.MunicipalityViewSet, basename="municipality")
router.register("action-lines", viewsets.ActionLineViewSet, basename="action-line")
router.register("organisations", viewsets.OrganisationViewSet, basename="organisation")
router.register(
    "participations", viewsets.ParticipationViewSet, basename="participation"
)
router.register("annual-plans", viewsets.AnnualPlanViewSet, basename="annual-plan")
router.register(
    "planned-activities", viewsets.PlannedActivityViewSet, basename="planned-activity"
)

urlpatterns = router.urls
