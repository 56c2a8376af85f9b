# SPDX-License-Identifier: EUPL-1.2
"""Two-factor login: setting it up with a real TOTP code, the code step of signing in
(with the app or a single-use backup code), wrong codes refused and throttled, the
admin and the API closed to an unverified session, the setting that requires it, the
coordinators' reset, and no secret in the logs or the audit log."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.utils import timezone

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cirkelregio.accounts import services
from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.conf.env import ENV_VARS

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-2026"
SETUP = "/en/account/tweestapsverificatie/"
CODE_STEP = "/en/account/inloggen/code/"
ADDRESS = "192.0.2.20"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows, computed from the device's key (a step ahead
    for a second code in the same 30 seconds: django-otp refuses a code twice)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    device = services.totp_device_start(user=user)
    return services.totp_device_confirm(user=user, code=code_for(device))


def password_step(client: Client, user: User, next_url: str = "/en/admin/") -> Any:
    return client.post(
        f"/en/admin/login/?next={next_url}",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )


def code_step(client: Client, code: str, *, backup: bool = False) -> Any:
    data = (
        {"method": "backup", "backup_code": code}
        if backup
        else {"method": "totp", "code": code}
    )
    return client.post(CODE_STEP, data, REMOTE_ADDR=ADDRESS)


def test_enrolment_with_a_real_code_shows_the_backup_codes_once() -> None:
    user = CoordinatorFactory()
    client = Client()
    client.force_login(user)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Two-factor login is off" in page.content.decode()
    assert client.post(SETUP, {"action": "start"}).status_code == 302

    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert '<svg role="img"' in page and "<title>QR code" in page
    secret = services.totp_secret_text(device)
    assert secret in page and len(secret.replace(" ", "")) == 32
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert "no-store" in client.get(SETUP)["Cache-Control"]

    wrong = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert "That code is not correct" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()

    done = client.post(SETUP, {"action": "confirm", "code": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == services.BACKUP_CODE_COUNT == 10
    device.refresh_from_db()
    assert device.confirmed
    assert sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == sorted(codes)
    # The code just given verified this session: the admin is open.
    assert client.get("/en/admin/").status_code == 200
    # The codes are not shown again.
    again = client.get(SETUP).content.decode()
    assert "You have 10 unused backup codes" in again
    assert not any(code in again for code in codes)


def test_sign_in_with_a_device_needs_the_code() -> None:
    user = CoordinatorFactory()
    device, _ = enrolled(user)
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == CODE_STEP
    # The password alone signs in to nothing.
    assert "_auth_user_id" not in client.session
    assert client.get("/en/admin/").status_code == 302
    page = client.get(CODE_STEP).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    signed_in = code_step(client, code_for(device, steps_ahead=1))
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/en/admin/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/en/admin/").status_code == 200
    # The verified session writes through the API (an empty body: refused as
    # invalid, not as unauthorised).
    api = client.post("/api/v1/organisations/", {}, content_type="application/json")
    assert api.status_code == 400


def test_sign_in_without_a_device_needs_no_code() -> None:
    user = CoordinatorFactory()
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def test_the_code_step_without_a_password_step_sends_to_sign_in() -> None:
    response = Client().get(CODE_STEP)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/")


def test_a_backup_code_works_once() -> None:
    user = EditorFactory()
    _, codes = enrolled(user)
    client = Client()
    password_step(client, user)
    assert code_step(client, codes[0].upper(), backup=True).status_code == 302
    assert client.get("/en/admin/").status_code == 200
    client.logout()

    other = Client()
    password_step(other, user)
    again = code_step(other, codes[0], backup=True)
    assert again.status_code == 200
    assert "That code is not correct" in again.content.decode()
    assert "_auth_user_id" not in other.session
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_a_wrong_code_is_refused_and_then_throttled() -> None:
    user = CoordinatorFactory()
    device, _ = enrolled(user)
    client = Client()
    password_step(client, user)
    wrong = code_step(client, "000000")
    assert wrong.status_code == 200
    assert "That code is not correct" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # After several wrong codes django-otp makes the device wait (here 2^9 s), and
    # even the right code is not checked meanwhile.
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    waiting = code_step(client, code_for(device, steps_ahead=1))
    assert "Too many wrong codes. Wait" in waiting.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_codes_count_as_failed_sign_ins_for_axes() -> None:
    user = CoordinatorFactory()
    enrolled(user)
    client = Client()
    password_step(client, user)
    statuses = [
        code_step(client, "000000").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # The attempts are recorded with the code masked.
    attempt = AccessAttempt.objects.get(username=user.username)
    assert "000000" not in attempt.post_data
    # Locked out: the password step is refused too.
    assert password_step(Client(), user).status_code == 429


def test_an_unverified_session_of_a_user_with_a_device_counts_as_signed_out() -> None:
    user = CoordinatorFactory()
    enrolled(user)
    client = Client()
    client.force_login(user)  # a password-only session, no code
    assert client.get("/en/admin/").status_code == 302
    assert client.get("/en/admin/accounts/user/").status_code == 302
    assert client.get(SETUP).status_code == 302
    response = client.post(
        "/api/v1/organisations/",
        {"name": "X"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_the_admin_site_requires_verification_for_users_with_a_device() -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    user = CoordinatorFactory()
    enrolled(user)
    request = RequestFactory().get("/admin/")
    user.is_verified = lambda: False  # type: ignore[attr-defined]
    request.user = user
    assert not admin.site.has_permission(request)
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    assert admin.site.has_permission(request)


@pytest.mark.parametrize(
    ("required", "coordinator_sent", "editor_sent"),
    [("", False, False), ("coordinators", True, False), ("editors", True, True)],
)
def test_the_setting_sends_users_of_the_role_to_the_setup_page(
    required: str, coordinator_sent: bool, editor_sent: bool
) -> None:
    with override_settings(REQUIRE_2FA_FOR=required):
        for factory, sent in (
            (CoordinatorFactory, coordinator_sent),
            (EditorFactory, editor_sent),
        ):
            client = Client()
            client.force_login(factory())
            response = client.get("/en/admin/")
            if sent:
                assert response.status_code == 302
                assert response["Location"] == f"{SETUP}?next=%2Fen%2Fadmin%2F"
                page = client.get(SETUP).content.decode()
                assert "Your role requires two-factor login" in page
                api = client.post(
                    "/api/v1/organisations/", {}, content_type="application/json"
                )
                assert api.status_code in (401, 403)
            else:
                assert response.status_code == 200


@override_settings(REQUIRE_2FA_FOR="editors")
def test_the_setting_lets_users_of_the_role_in_once_they_have_set_it_up() -> None:
    user = EditorFactory()
    client = Client()
    client.force_login(user)
    client.post(SETUP, {"action": "start"})
    device = TOTPDevice.objects.get(user=user)
    client.post(SETUP, {"action": "confirm", "code": code_for(device)})
    assert client.get("/en/admin/").status_code == 200
    # Users without editing rights have nothing to protect and are left alone.
    plain = Client()
    plain.force_login(UserFactory())
    assert plain.get("/en/").status_code == 200


def test_people_without_editing_rights_have_no_setup_page() -> None:
    assert Client().get(SETUP).status_code == 302
    client = Client()
    client.force_login(UserFactory())
    assert client.get(SETUP).status_code == 403


def test_turning_it_off_needs_a_current_code() -> None:
    user = CoordinatorFactory()
    device, codes = enrolled(user)
    client = Client()
    password_step(client, user)
    code_step(client, codes[0], backup=True)
    wrong = client.post(SETUP, {"action": "disable", "code": "000000"})
    assert "That code is not correct" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    # The code of the set-up is spent; the app's next one is accepted.
    off = client.post(
        SETUP, {"action": "disable", "code": code_for(device, steps_ahead=1)}
    )
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert "Two-factor login is off" in client.get(SETUP).content.decode()


def test_new_backup_codes_replace_the_old_ones() -> None:
    user = CoordinatorFactory()
    device, old = enrolled(user)
    client = Client()
    password_step(client, user)
    code_step(client, code_for(device, steps_ahead=1))
    page = client.post(SETUP, {"action": "regenerate"}).content.decode()
    new = re.findall(r"<li>([a-z2-7]{8})</li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(services.CodeError):
        services.code_verify(user=user, code=old[1], backup=True)


def test_a_coordinator_resets_a_lost_phone_in_the_admin() -> None:
    coordinator = CoordinatorFactory()
    editor = EditorFactory()
    device, codes = enrolled(editor)
    key = device.key
    client = Client()
    client.force_login(coordinator)
    listing = client.get("/en/admin/accounts/user/?two_factor=on")
    assert listing.status_code == 200
    rows = listing.content.decode()
    assert f"/en/admin/accounts/user/{editor.pk}/change/" in rows
    assert f"/en/admin/accounts/user/{coordinator.pk}/change/" not in rows

    response = client.post(
        "/en/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "Two-factor login reset for 1 user" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(editor.pk)
    )
    assert entry.actor == coordinator
    assert "two-factor login" in entry.changes_display_dict
    # No secret anywhere in the audit log.
    logged = " ".join(
        f"{e.changes} {e.object_repr} {e.serialized_data}"
        for e in LogEntry.objects.all()
    )
    assert key not in logged
    assert not any(code in logged for code in codes)
    # The editor signs in with the password alone again.
    signed = Client()
    assert password_step(signed, editor)["Location"] == "/en/admin/"


def test_only_coordinators_reset_and_only_superusers_reset_superusers() -> None:
    editor = EditorFactory()
    target = EditorFactory()
    enrolled(target)
    with pytest.raises(services.PermissionDenied):
        services.two_factor_reset(actor=editor, user=target)
    superuser = UserFactory(is_superuser=True)
    enrolled(superuser)
    with pytest.raises(services.PermissionDenied):
        services.two_factor_reset(actor=CoordinatorFactory(), user=superuser)
    assert services.two_factor_reset(actor=None, user=superuser)


def test_no_secret_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = CoordinatorFactory()
    client = Client()
    client.force_login(user)
    client.post(SETUP, {"action": "start"})
    device = TOTPDevice.objects.get(user=user)
    first = code_for(device)
    page = client.post(SETUP, {"action": "confirm", "code": first}).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", page)
    client.logout()
    password_step(client, user)
    code_step(client, "999999")
    code_step(client, codes[0], backup=True)
    text = caplog.text
    secret = services.totp_secret_text(device).replace(" ", "")
    for value in (device.key, secret, first, *codes):
        assert value not in text


@pytest.mark.once
def test_the_setting_is_in_the_configuration_reference() -> None:
    var = ENV_VARS["CIRKELREGIO_REQUIRE_2FA_FOR"]
    assert var.default == ""
    assert "coordinators" in var.help and "editors" in var.help


@pytest.mark.once
def test_an_unknown_role_in_the_setting_stops_start_up(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cirkelregio.conf.test",
        "CIRKELREGIO_VAR_DIR": str(tmp_path),
        "CIRKELREGIO_REQUIRE_2FA_FOR": "everyone",
    }
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "CIRKELREGIO_REQUIRE_2FA_FOR must be empty, coordinators or editors" in (
        done.stderr
    )


def test_a_json_backup_keeps_two_factor_login(tmp_path: Path) -> None:
    from cirkelregio.core import backups

    user = CoordinatorFactory()
    device, codes = enrolled(user)
    path = tmp_path / "backup.json"
    counts = backups.export(path)
    assert counts["otp_totp.TOTPDevice"] == 1
    assert counts["otp_static.StaticToken"] == 10
    backups.import_(path, replace=True)
    restored = TOTPDevice.objects.get(user__username=user.username)
    assert restored.confirmed and restored.key == device.key
    assert services.code_verify(user=restored.user, code=codes[0], backup=True)
