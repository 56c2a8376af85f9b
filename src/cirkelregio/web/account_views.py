# SPDX-License-Identifier: EUPL-1.2
"""Two-factor login pages under /account/: setting it up, turning it off and new
backup codes (for anyone with editing rights), and the code step of signing in.

The set-up page shows the key (QR code as inline SVG, and as text) and, once, the
backup codes: never cached, never logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

import django_otp
import segno

from cirkelregio.accounts import login as login_steps
from cirkelregio.accounts import rules, selectors, services


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def _qr_svg(url: str) -> str:
    """The otpauth URL as an inline SVG QR code (drawn here, nothing fetched)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="cr-qr",
        title=_("QR code for your authenticator app"),
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _may_use(user: Any) -> bool:
    return bool(user.is_superuser or rules.can_edit_registry(user))


def _codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(
        request,
        "web/account/backup_codes.html",
        {"codes": codes, "next_url": next_url},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor login on (QR code, first code, backup codes) or off, and make
    new backup codes."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: Any = request.user
    if not _may_use(user):
        raise PermissionDenied
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        code = request.POST.get("code", "")
        if action == "start":
            services.totp_device_start(user=user)
            return HttpResponseRedirect(request.get_full_path())
        if action == "cancel":
            services.totp_device_cancel(user=user)
            return HttpResponseRedirect(request.get_full_path())
        if action == "confirm":
            try:
                device, codes = services.totp_device_confirm(user=user, code=code)
            except services.CodeError as exc:
                errors["confirm"] = exc.message
            else:
                # The code just given verifies this session too.
                django_otp.login(request, device)
                return _codes_page(request, codes, next_url)
        elif action == "regenerate":
            try:
                codes = services.backup_codes_regenerate(user=user)
            except services.CodeError as exc:
                errors["regenerate"] = exc.message
            else:
                return _codes_page(request, codes, next_url)
        elif action == "disable":
            try:
                services.two_factor_disable(user=user, code=code)
            except services.CodeError as exc:
                errors["disable"] = exc.message
            else:
                messages.success(request, _("Two-factor login is off."))
                return HttpResponseRedirect(request.get_full_path())
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    enabled = selectors.has_two_factor(user)
    pending = None if enabled else selectors.pending_authenticator(user)
    context: dict[str, Any] = {
        "enabled": enabled,
        "pending": pending is not None,
        "required": selectors.two_factor_required(user),
        "errors": errors,
        "next_url": next_url,
        "codes_left": selectors.backup_codes_left(user) if enabled else 0,
    }
    if pending is not None:
        context["qr_svg"] = mark_safe(_qr_svg(pending.config_url))  # noqa: S308
        context["secret"] = services.totp_secret_text(pending)
    return render(request, "web/account/two_factor.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_login(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a backup code."""
    found = login_steps.pending(request)
    if found is None:
        if request.user.is_authenticated:
            return HttpResponseRedirect(reverse("admin:index"))
        return redirect_to_login(reverse("admin:index"))
    if login_steps.is_locked_out(request, found.user):
        login_steps.pending_cancel(request)
        return login_steps.lockout_response(request, found.user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            login_steps.pending_cancel(request)
            return HttpResponseRedirect(reverse("admin:login"))
        backup = request.POST.get("method") == "backup"
        field = "backup_code" if backup else "code"
        try:
            device = services.code_verify(
                user=found.user, code=request.POST.get(field, ""), backup=backup
            )
        except services.CodeError as exc:
            errors[field] = exc.message
            if not exc.throttled:
                # A lock-out now turns this answer into axes' lock-out page.
                login_steps.code_failed(request, found.user)
        else:
            login_steps.pending_complete(request, found, device)
            return HttpResponseRedirect(_safe_next(request, found.next_url))
    return render(
        request,
        "web/account/two_factor_login.html",
        {"errors": errors, "backup_open": "backup_code" in errors},
    )
