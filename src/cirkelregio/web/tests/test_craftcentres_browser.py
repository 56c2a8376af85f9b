# SPDX-License-Identifier: EUPL-1.2
"""The Circulaire Ambachtscentra pages in a real browser, as in ``test_browser``,
with the reference data and the craft-centres demo: axe-core finds no WCAG 2.0/2.1
A or AA violation on the list, on a scenario page with its map (drawn, with the
demand points and sites) and its comparison, and on a municipality page, in Dutch
and English, on a desktop screen and a phone; a coordinator's run page moves its
progress bar to the end and every network is then stored; nothing breaks the
Content Security Policy."""

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


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> Iterator[str]:
    from cirkelregio.craftcentres.services import craftcentres_demo_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data = Path(settings.DATA_DIR)
    reference_data_load(directory=data / "regions" / "nl-utrecht")
    demo_data_load(directory=data / "demo" / "nl-utrecht")
    craftcentres_demo_load(directory=data / "demo" / "nl-utrecht" / "craftcentres")
    yield str(live_server.url)


def _pages() -> list[str]:
    from cirkelregio.craftcentres import selectors

    scenario = selectors.scenario_list().order_by("id").first()
    assert scenario is not None
    return [
        "/ambachtscentra/",
        f"/ambachtscentra/{scenario.pk}/",
        f"/ambachtscentra/{scenario.pk}/?p=2",
        "/gemeenten/utrecht/",
    ]


def _map_ready(view: Tab) -> None:
    view.page.wait_for_selector("[data-cc-map][data-ready='true']")


@pytest.mark.browser
def test_the_network_pages_have_no_accessibility_violations(
    tab: Tab, site: str
) -> None:
    for path in _pages():
        _check_accessibility(tab, path, "desktop")
    tab.open("/en" + _pages()[1])
    _map_ready(tab)
    page = tab.page
    main = page.locator("main")
    # The map: our boundaries, a circle per demand point and per site.
    assert page.locator("#network-map path.leaflet-interactive").count() > 200
    assert "The network with 4 centres" in main.inner_text()
    table = page.locator("#comparison-table")
    assert table.locator("tbody tr").count() == 10
    assert main.locator("svg.cr-chart__svg").count() == 2
    first = table.locator("tbody tr").first.inner_text()
    assert first.startswith("1")
    tab.open("/en/gemeenten/utrecht/")
    assert "Circular craft centre for Utrecht" in page.locator("main").inner_text()
    tab.assert_clean()


@pytest.mark.browser
def test_the_network_pages_on_a_phone(phone: Tab, site: str) -> None:
    too_wide = {}
    for path in _pages():
        _check_accessibility(phone, path, "375x812")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"


@pytest.mark.browser
def test_the_run_page_shows_its_progress(browser: Browser, site: str) -> None:
    from cirkelregio.accounts.tests.factories import CoordinatorFactory
    from cirkelregio.craftcentres import selectors, services

    scenario = services.scenario_create(
        actor=None, name="Browser", model="p-median", p_values=[1, 2, 3, 4]
    )
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
        path = f"/ambachtscentra/{scenario.pk}/berekenen/"
        _check_accessibility(view, path, "desktop")
        _check_accessibility(view, "/ambachtscentra/nieuw/", "desktop")
        view.open("/en" + path)
        page = view.page
        assert page.locator("#cc-progress").get_attribute("value") == "0"
        # One background job computes the four networks; with the immediate
        # backend the scenario's page follows.
        page.get_by_role("button", name="Compute the 4 networks still missing").click()
        page.wait_for_url(f"**/ambachtscentra/{scenario.pk}/")
        view.open("/en" + path)
        assert page.locator("#cc-progress").get_attribute("value") == "4"
        assert "4 of 4 networks computed." in page.locator("#cc-status").inner_text()
        assert not view.axe_violations()
        view.assert_clean()
        fresh = selectors.scenario_get(pk=scenario.pk, user=None)
        assert fresh is None  # not published
        assert services.remaining_p(scenario) == []
    finally:
        context.close()
