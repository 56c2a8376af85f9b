# SPDX-License-Identifier: EUPL-1.2
"""The second step of signing in, for a user with two-factor login on.

The password step (the admin's sign-in page) does not sign such a user in: it keeps
who they are in the session as *pending* and sends them to the code page. Only a right
code signs them in, with the session verified by the device that accepted it
(``django_otp.login``). Every wrong code counts as a failed sign-in for django-axes,
so the lock-out after ``AXES_FAILURE_LIMIT`` failures covers codes too; django-otp's
own throttling makes each device wait longer after each wrong code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response

from cirkelregio.accounts.models import User

if TYPE_CHECKING:
    from django_otp.models import Device

PENDING_KEY = "two_factor_pending"
# How long the code page waits after the password before the password is asked again.
PENDING_SECONDS = 10 * 60


@dataclass(frozen=True)
class Pending:
    user: User
    backend: str
    next_url: str


def pending_start(request: HttpRequest, user: Any, next_url: str) -> None:
    """Remember that ``user`` gave the right password; the code is still to come."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": int(time.time()),
    }


def pending(request: HttpRequest) -> Pending | None:
    """The user waiting for the code step in this session, if any (and not expired,
    still active)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        pending_cancel(request)
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        pending_cancel(request)
        return None
    return Pending(user, str(data.get("backend", "")), str(data.get("next", "")))


def pending_cancel(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def is_locked_out(request: HttpRequest, user: User) -> bool:
    """Whether django-axes has locked this user name (and address) out."""
    return bool(AxesProxyHandler.is_locked(request, _credentials(user)))


def lockout_response(request: HttpRequest, user: User) -> HttpResponse:
    """django-axes' answer to a locked-out user name (and address)."""
    return get_lockout_response(request, None, _credentials(user))


def code_failed(request: HttpRequest, user: User) -> None:
    """Count a wrong code as a failed sign-in (django-axes records it, the code
    masked; a lock-out turns the answer into axes' lock-out page)."""
    user_login_failed.send(
        sender=__name__, credentials=_credentials(user), request=request
    )


def pending_complete(request: HttpRequest, found: Pending, device: Device) -> None:
    """Sign the user in, the session verified by ``device``."""
    pending_cancel(request)
    user: Any = found.user
    user.backend = found.backend
    # django-otp's user_logged_in handler stores the device in the session.
    user.otp_device = device
    auth_login(request, user, backend=found.backend)
