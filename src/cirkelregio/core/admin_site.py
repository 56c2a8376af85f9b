# SPDX-License-Identifier: EUPL-1.2
"""The coordinator admin: open to coordinators and organisation editors (by role, not by
Django's staff flag), each seeing what the rules in ``accounts.rules`` allow.

It is an OTP admin for users with two-factor login on: their session must be verified
by a code (``is_verified()``), and its sign-in page asks for the code in a second step
(``accounts.login``) before it signs them in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from cirkelregio.accounts import login as two_factor_login
from cirkelregio.accounts import rules, selectors


class RoleAuthenticationForm(AdminAuthenticationForm):
    """Admin sign-in by role: coordinators and organisation editors, not staff flags."""

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active or not (
            user.is_superuser or rules.can_edit_registry(user)
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class TwoFactorLoginView(LoginView):
    """The password step: a user with two-factor login on is not signed in yet but
    sent on to the code page."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if selectors.has_two_factor(user):
            two_factor_login.pending_start(self.request, user, self.get_success_url())
            return HttpResponseRedirect(reverse("web:two-factor-login"))
        return super().form_valid(form)


class CirkelregioAdminSite(admin.AdminSite):
    login_form = RoleAuthenticationForm
    site_header = _("Cirkelregio – registry management")
    site_title = _("Cirkelregio management")
    index_title = _("Registry")
    index_template = "admin/cirkelregio_index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and (user.is_superuser or rules.can_edit_registry(user))
        ) and (
            # An OTP admin for users with a device: only a verified session counts.
            bool(getattr(user, "is_verified", lambda: False)())
            or not selectors.has_two_factor(user)
        )

    @method_decorator(never_cache)
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Django's admin sign-in, with the two-factor step after the password."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context: dict[str, Any] = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if (
            REDIRECT_FIELD_NAME not in request.GET
            and REDIRECT_FIELD_NAME not in request.POST
        ):
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return TwoFactorLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)
