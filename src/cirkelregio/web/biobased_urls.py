# SPDX-License-Identifier: EUPL-1.2
"""The biobased-insulation pages under /biobased-isoleren/ (names in the web
namespace)."""

from django.urls import path

from cirkelregio.web import biobased_views

urlpatterns = [
    path("", biobased_views.biobased_progress, name="biobased"),
    path("importeren/", biobased_views.biobased_import, name="biobased-import"),
]
