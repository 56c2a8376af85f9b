# SPDX-License-Identifier: EUPL-1.2
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from drf_spectacular.views import SpectacularAPIView

from cirkelregio.core.security_txt import security_txt
from cirkelregio.core.views import health

api_v1 = [
    path("", include("cirkelregio.regions.api.urls")),
    path("mki/", include("cirkelregio.mki.api.urls")),
    path("exchange/", include("cirkelregio.exchange.api.urls")),
    path("repair/", include("cirkelregio.repair.api.urls")),
    path("initiatives/", include("cirkelregio.initiatives.api.urls")),
    path("events/", include("cirkelregio.events.api.urls")),
    path("roads/", include("cirkelregio.roads.api.urls")),
    path("biobased/", include("cirkelregio.biobased.api.urls")),
    path("agricycling/", include("cirkelregio.agricycling.api.urls")),
    path("craftcentres/", include("cirkelregio.craftcentres.api.urls")),
    path("monitoring/", include("cirkelregio.monitoring.api.urls")),
    path("jobs/", include("cirkelregio.jobs.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

urlpatterns = [
    path("health/", health, name="health"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("api/v1/", include(api_v1)),
    path("i18n/setlang/", set_language, name="set_language"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("taken/", include("cirkelregio.jobs.urls")),
    path("", include("cirkelregio.web.urls")),
    prefix_default_language=False,
)

handler404 = "cirkelregio.web.views.page_not_found"
handler500 = "cirkelregio.web.views.server_error"
