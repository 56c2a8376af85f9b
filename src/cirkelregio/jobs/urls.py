# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from cirkelregio.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status.json", views.job_status, name="status"),
    path("<int:pk>/bestand/", views.job_file, name="file"),
    path(
        "uitwisseling-match/",
        views.exchange_match_run_start,
        name="exchange-match-run-start",
    ),
]
