# SPDX-License-Identifier: EUPL-1.2
"""The repair-impact pages in a real browser, as in ``test_browser``: axe-core finds
no WCAG 2.0/2.1 A or AA violation on the page "What repairing achieves" (with a
real ORDS dataset, filtered and not) and on a repair café's form (also with its
error messages), in Dutch and English, on a desktop screen and on a phone; no page
scrolls sideways on the phone; nothing breaks the Content Security Policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest
from playwright.sync_api import Browser

from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import (
    DESKTOP,
    PHONE,
    Tab,
    _check_accessibility,
    _new_context,
    _report,
)

browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone

FIXIT = (
    Path(settings.REPO_DIR)
    / "data"
    / "ords"
    / "OpenRepairData_v0.3_FixitClinic_202507.csv"
)
PAGES = ["/reparatiekaart/impact/", "/reparatiekaart/impact/?country=USA&year=2019"]


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> str:
    """The live server with the reference data and the Fixit Clinic records."""
    from cirkelregio.regions.services import reference_data_load
    from cirkelregio.repair.services import ords_import

    reference_data_load(directory=Path(settings.DATA_DIR) / "regions" / "nl-utrecht")
    ords_import(FIXIT)
    return str(live_server.url)


@pytest.mark.browser
def test_the_impact_page_has_no_accessibility_violations(tab: Tab) -> None:
    for path in PAGES:
        _check_accessibility(tab, path, "desktop")


@pytest.mark.browser
def test_the_impact_page_on_a_phone(phone: Tab) -> None:
    too_wide = {}
    for path in PAGES:
        _check_accessibility(phone, path, "375x812")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"


@pytest.fixture
def editor_tab(browser: Browser, site: str) -> Iterator[Tab]:
    """A desktop page signed in as an editor of a repair café (its own context, so
    the session cookie stays out of the shared one)."""
    from cirkelregio.accounts.tests.factories import EditorFactory
    from cirkelregio.regions.tests.factories import OrganisationFactory

    editor = EditorFactory(
        organisation=OrganisationFactory(slug="repair-cafe-test", name="Test café")
    )
    client = Client()
    client.force_login(editor)
    context = _new_context(browser, viewport=DESKTOP)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    page = context.new_page()
    yield Tab(page, site)
    context.close()


@pytest.mark.browser
def test_the_form_and_its_errors_have_no_accessibility_violations(
    editor_tab: Tab,
) -> None:
    path = "/reparatiekaart/impact/reparaties/repair-cafe-test/"
    _check_accessibility(editor_tab, path, "desktop")
    for prefix in ("", "/en"):
        editor_tab.open(prefix + path)
        page = editor_tab.page
        page.locator("#id_repair_status_0").check()  # fixed
        page.locator("#id_repair_barrier").select_option("1")  # but a barrier
        page.locator("button[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.locator(".cr-error-summary").count() == 1
        violations = editor_tab.axe_violations()
        assert not violations, _report(violations)
        # A valid item is saved, shown and counted.
        page.locator("#id_product_category_id").select_option("36")
        page.locator("#id_repair_status_0").check()
        page.locator("#id_repair_barrier").select_option("")
        page.locator("button[type=submit]").click()
        page.wait_for_load_state("load")
        assert "opgeslagen=repair-cafe-test_" in page.url, page.locator(
            "main"
        ).inner_text()
        assert page.locator("[role=status]").count() == 1
    editor_tab.assert_clean()
