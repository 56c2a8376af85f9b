# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from cirkelregio.web import account_views

urlpatterns = [
    path("tweestapsverificatie/", account_views.two_factor, name="two-factor"),
    path("inloggen/code/", account_views.two_factor_login, name="two-factor-login"),
]
