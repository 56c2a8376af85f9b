# SPDX-License-Identifier: EUPL-1.2
"""The roads pages under /wegen/ (names in the web namespace)."""

from django.urls import path

from cirkelregio.web import roads_mki_views, roads_views

urlpatterns = [
    path("", roads_views.road_overview, name="roads"),
    path("<int:pk>/", roads_views.road_section, name="roads-section"),
    path("werken/", roads_views.road_works, name="roads-works"),
    path("bundels/", roads_views.road_bundles, name="roads-bundles"),
    path(
        "harmonisatie/",
        roads_mki_views.road_harmonisation,
        name="roads-harmonisation",
    ),
    path("mki/", roads_mki_views.road_mki, name="roads-mki"),
    path("importeren/", roads_views.road_import, name="roads-import"),
    path("export/", roads_views.road_export_list, name="roads-exports"),
    path("export/<str:name>", roads_views.road_export, name="roads-export"),
]
