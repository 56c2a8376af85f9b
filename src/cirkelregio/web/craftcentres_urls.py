# SPDX-License-Identifier: EUPL-1.2
"""The Circulaire Ambachtscentra pages under /ambachtscentra/ (names in the web
namespace)."""

from django.urls import path

from cirkelregio.web import craftcentres_views

urlpatterns = [
    path("", craftcentres_views.network_list, name="craftcentres"),
    path("nieuw/", craftcentres_views.network_new, name="craftcentres-new"),
    path("<int:pk>/", craftcentres_views.network_detail, name="craftcentres-scenario"),
    path(
        "<int:pk>/berekenen/",
        craftcentres_views.network_run,
        name="craftcentres-run",
    ),
]
