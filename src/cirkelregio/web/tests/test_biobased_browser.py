# SPDX-License-Identifier: EUPL-1.2
"""The biobased-insulation pages in a real browser, as in ``test_browser``, with the
reference data, the material catalogue and the demo projects: axe-core finds no
WCAG 2.0/2.1 A or AA violation on /biobased-isoleren/ (also sorted and by homes),
on a municipality page with its biobased section and on the import page (also with
its error summary), in Dutch and English, on a desktop screen and on a phone;
nothing breaks the Content Security Policy."""

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
)

browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone

PAGES = [
    "/biobased-isoleren/",
    "/biobased-isoleren/?basis=homes&sort=share&order=desc",
    "/gemeenten/utrecht/",
]


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> Iterator[str]:
    from cirkelregio.biobased.services import biobased_demo_load, materials_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data = Path(settings.DATA_DIR)
    reference_data_load(directory=data / "regions" / "nl-utrecht")
    demo_data_load(directory=data / "demo" / "nl-utrecht")
    materials_load(path=data / "biobased" / "materials.csv")
    biobased_demo_load(directory=data / "demo" / "nl-utrecht" / "biobased")
    yield str(live_server.url)


@pytest.mark.browser
def test_the_progress_pages_have_no_accessibility_violations(tab: Tab) -> None:
    for path in PAGES:
        _check_accessibility(tab, path, "desktop")
    tab.open("/en/biobased-isoleren/")
    main = tab.page.locator("main")
    assert main.locator("svg.cr-chart__svg").count() == 2
    assert "2025" in main.locator("table").first.inner_text()
    tab.open("/en/gemeenten/utrecht/")
    assert "Biobased insulation in Utrecht" in tab.page.locator("main").inner_text()


@pytest.mark.browser
def test_the_progress_pages_on_a_phone(phone: Tab) -> None:
    too_wide = {}
    for path in PAGES:
        _check_accessibility(phone, path, "375x812")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"


@pytest.mark.browser
def test_the_import_page_with_its_errors(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    from cirkelregio.accounts.tests.factories import CoordinatorFactory

    client = Client()
    client.force_login(CoordinatorFactory())
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
    view = Tab(context.new_page(), site)
    try:
        _check_accessibility(view, "/biobased-isoleren/importeren/", "desktop")
        bad = tmp_path / "projecten.csv"
        bad.write_text(
            "municipality,year,homes,area_m2,material,source_channel\n"
            "GM0344,2025,-4,100,kurk,energy_desk\n",
            encoding="utf-8",
        )
        view.open("/en/biobased-isoleren/importeren/")
        page = view.page
        page.locator("input[type=file]").set_input_files(str(bad))
        page.locator("form.cr-import button[type=submit]").click()
        page.wait_for_load_state("load")
        summary = page.locator(".cr-error-summary")
        assert "Nothing was imported: 2 problems" in summary.inner_text()
        assert page.evaluate(
            "document.activeElement.classList.contains('cr-error-summary')"
        )
        assert not view.axe_violations()
        view.assert_clean()
    finally:
        context.close()
