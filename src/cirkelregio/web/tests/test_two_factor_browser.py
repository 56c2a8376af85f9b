# SPDX-License-Identifier: EUPL-1.2
"""Two-factor login in a real browser, as in ``test_browser``: a coordinator signs in,
sets up two-factor login (QR code as inline SVG, the key as text, a first code from
the app, the backup codes), then signs in again with the code step (a wrong code
first, then a backup code). axe-core finds no WCAG 2.0/2.1 A or AA violation on any
of these pages, in Dutch and English, also with their error messages; nothing breaks
the Content Security Policy or is loaded from another host (the QR code is drawn on
the server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from cirkelregio.accounts.tests.test_two_factor import PASSWORD, code_for
from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import (
    DESKTOP,
    Tab,
    _check_accessibility,
    _new_context,
)

browser = shared.browser

SETUP = "/account/tweestapsverificatie/"
CODE_STEP = "/account/inloggen/code/"


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> Iterator[str]:
    yield str(live_server.url)


def _tab(browser: Browser, site: str) -> Tab:
    return Tab(_new_context(browser, viewport=DESKTOP).new_page(), site)


def _submit(view: Tab, selector: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    with view.page.expect_navigation(wait_until="load"):
        view.page.click(selector)


def _password_step(view: Tab, username: str) -> None:
    view.page.goto(view.base_url + "/en/admin/login/?next=/en/admin/")
    view.page.fill("#id_username", username)
    view.page.fill("#id_password", PASSWORD)
    _submit(view, "input[type=submit]")


@pytest.mark.browser
def test_setting_up_and_signing_in_with_two_factor_login(
    browser: Browser, site: str
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cirkelregio.accounts.models import Role, User

    user = User.objects.create_user(
        "tweestaps", password=PASSWORD, role=Role.COORDINATOR
    )
    view = _tab(browser, site)
    try:
        _password_step(view, user.username)
        assert view.page.url == site + "/en/admin/"
        _check_accessibility(view, SETUP, "desktop")

        view.open("/en" + SETUP)
        _submit(view, "button:has-text('Set up two-factor login')")
        assert view.page.locator("svg.cr-qr[role=img] title").count() == 1
        _check_accessibility(view, SETUP, "desktop")
        device = TOTPDevice.objects.get(user=user)

        view.open("/en" + SETUP)
        view.page.fill("#confirm-code", "000000")
        _submit(view, "button:has-text('Turn two-factor login on')")
        assert "That code is not correct" in view.page.locator("main").inner_text()
        assert not view.axe_violations()
        device.refresh_from_db()
        device.throttle_reset()

        code = view.page.locator("#confirm-code")
        assert code.get_attribute("autocomplete") == "one-time-code"
        assert code.get_attribute("inputmode") == "numeric"
        code.fill(code_for(device))
        _submit(view, "button:has-text('Turn two-factor login on')")
        codes = view.page.locator("ul.cr-codes li").all_inner_texts()
        assert len(codes) == 10
        assert not view.axe_violations()
        _check_accessibility(view, SETUP, "desktop")  # now: two-factor login is on
        view.assert_clean()
    finally:
        view.page.context.close()

    again = _tab(browser, site)
    try:
        _password_step(again, user.username)
        assert again.page.url == site + "/en" + CODE_STEP
        _check_accessibility(again, CODE_STEP, "desktop")
        again.open("/en" + CODE_STEP)
        again.page.fill("#code-code", "123456")
        _submit(again, "button.utrecht-button--primary-action")
        main = again.page.locator("main").inner_text()
        assert "That code is not correct" in main
        assert not again.axe_violations()
        again.page.click("summary")
        backup = again.page.locator("#backup_code-code")
        assert backup.get_attribute("autocomplete") == "one-time-code"
        backup.fill(codes[0])
        _submit(again, "button:has-text('Sign in with a backup code')")
        assert again.page.url == site + "/en/admin/"
        assert again.page.locator("#two-factor-module").count() == 1
        again.assert_clean()
    finally:
        again.page.context.close()
