# SPDX-License-Identifier: EUPL-1.2
"""Two-factor login on every request (after django-otp's ``OTPMiddleware``).

- A signed-in user who has two-factor login on but whose session no code has verified
  counts as signed out: ``request.user`` is anonymous for the admin, every page and the
  API alike, so no rule anywhere has to remember the check.
- With ``CIRKELREGIO_REQUIRE_2FA_FOR``, a user of that role without two-factor login is
  sent to the set-up page first (the API treats them as signed out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from asgiref.sync import sync_to_async

from cirkelregio.accounts import selectors

# Pages a user who must still set up two-factor login may use.
SETUP_ALLOWED = {
    "web:two-factor",
    "web:two-factor-login",
    "admin:logout",
    "set_language",
    "health",
    "security-txt",
    "web:privacy",
}


def _anonymous() -> AnonymousUser:
    user: Any = AnonymousUser()
    user.otp_device = None
    user.is_verified = lambda: False
    return user


def _guarded(user: Any) -> Any:
    if (
        user.is_authenticated
        and not user.is_verified()
        and selectors.has_two_factor(user)
    ):
        return _anonymous()
    return user


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.user = SimpleLazyObject(lambda: _guarded(user))  # type: ignore[assignment]
        auser = getattr(request, "auser", None)
        if auser is not None:

            async def guarded_auser() -> Any:
                return await sync_to_async(_guarded)(await auser())

            request.auser = guarded_auser
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not selectors.two_factor_required(user) or selectors.has_two_factor(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SETUP_ALLOWED:
            return None
        if match is not None and (match.route or "").startswith("api/"):
            request.user = _anonymous()
            return None
        messages.warning(
            request,
            _("Set up two-factor login first: it is required for your role."),
        )
        setup = reverse("web:two-factor")
        return HttpResponseRedirect(
            f"{setup}?{urlencode({'next': request.get_full_path()})}"
        )
