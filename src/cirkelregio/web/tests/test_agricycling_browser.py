# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling pages in a real browser (Debian's Chromium), with the region's
reference and demo data and the Agricycling demo: the season overview draws its map
without tiles (parcels by placement, the unplaced N229 verge dashed, the farms as
circles and a line from parcel to farm); a coordinator runs a whole-parcel
allocation on /agricycling/allocatie/, the form shows that it is busy with a
progress bar of the time limit, and the new run appears on the overview; the
settlement balances with its totals row and the cooperative's CSV downloads; the
public sees no farm name. axe-core finds no WCAG 2.0/2.1 A or AA violation on the
three pages, in Dutch and English, for the public and for a coordinator; nothing
breaks the Content Security Policy or loads from another host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest
from playwright.sync_api import Browser

from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import (
    DESKTOP,
    Tab,
    _check_accessibility,
    _new_context,
)

browser = shared.browser
desktop_context = shared.desktop_context
tab = shared.tab

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht"
PAGES = ["/agricycling/", "/agricycling/allocatie/", "/agricycling/afrekening/"]
FARM = "Hoeve De Demo-Weide (demo)"


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> str:
    from cirkelregio.agricycling.services import agricycling_demo_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    reference_data_load(directory=Path(settings.DATA_DIR) / "regions" / "nl-utrecht")
    demo_data_load(directory=DEMO)
    agricycling_demo_load(directory=DEMO / "agricycling")
    return str(live_server.url)


def _coordinator_tab(browser: Browser, site: str) -> Tab:
    from cirkelregio.accounts.tests.factories import CoordinatorFactory

    client = Client()
    client.force_login(CoordinatorFactory())
    context = _new_context(browser, viewport=DESKTOP, accept_downloads=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    return Tab(context.new_page(), site)


def _drawn(view: Tab) -> dict[str, int]:
    return view.page.evaluate(
        """() => {
          const paths = [...document.querySelectorAll('#agricycling-map path')];
          const count = (name, value) =>
            paths.filter(p => p.getAttribute(name) === value).length;
          return {
            unplaced: paths.filter(p => p.getAttribute('stroke') === '#d55e00'
              && p.getAttribute('stroke-dasharray') === '6 4').length,
            partial: count('stroke', '#e69f00'),
            lines: count('stroke-dasharray', '5 5'),
            farms: count('fill', '#0072b2'),
          };
        }"""
    )


@pytest.mark.browser
def test_the_public_overview_draws_the_map_without_farm_names(tab: Tab) -> None:
    tab.open("/en/agricycling/")
    drawn = _drawn(tab)
    # The demo's split run: the N229 verge has no farm within 5 km and the water
    # board's ditch bank finds every farm near it full; four parcels are split
    # between a farm and not placed; ten placements, five farms.
    assert drawn == {"unplaced": 2, "partial": 4, "lines": 10, "farms": 5}
    main = tab.page.locator("main").inner_text()
    assert "Berm N229 Wijk bij Duurstede (demo)" in main
    assert "no farm within the maximum distance" in main
    assert FARM not in main and "Farm in Lopik" in main
    # The chart and its table.
    assert tab.page.locator("#chart-agricycling-title").is_visible()
    tab.assert_clean()


@pytest.mark.browser
def test_a_coordinator_runs_a_whole_allocation_and_sees_the_settlement(
    browser: Browser, site: str
) -> None:
    from cirkelregio.agricycling import selectors

    view = _coordinator_tab(browser, site)
    try:
        page = view.page
        view.open("/en/agricycling/allocatie/")
        page.get_by_label("whole parcels (exact MILP)").check()
        page.locator("#a-time_limit").fill("20")
        state = page.locator("form.cr-run").evaluate(
            """form => {
              form.requestSubmit();
              return {
                busy: form.getAttribute('aria-busy'),
                progress: !form.querySelector('.cr-progress').hidden,
                max: form.querySelector('progress').max,
                status: form.querySelector('.cr-busy').textContent,
              };
            }"""
        )
        assert state == {
            "busy": "true",
            "progress": True,
            "max": 20,
            "status": "Allocating: the optimisation is running.",
        }
        page.wait_for_url("**/agricycling/?seizoen=2026&run=*")
        page.wait_for_selector("[data-map][data-ready='true']")
        run = selectors.run_list().first()
        assert run.mode == "whole"
        main = page.locator("main").inner_text()
        assert f"Run #{run.pk}: whole parcels (exact MILP)" in main
        assert FARM in main  # the coordinator sees the farms' names
        view.open(f"/en/agricycling/afrekening/?seizoen=2026&run={run.pk}")
        main = page.locator("main").inner_text()
        assert "The settlement balances" in main
        table = selectors.settlement_table(run=run, user=None)
        fees = f"{table.fees:,.2f}"
        totals = page.locator("tfoot").first.inner_text()
        assert fees in totals, (fees, totals)
        view.assert_clean()
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV for the cooperative").click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert text.splitlines()[-1] == "2026,cooperative,cooperative,total,,,0.00"
        # A download ends its navigation: Chromium reports it as an aborted
        # request, which is the only thing allowed to appear after it.
        assert view.problems == [f"request failed: {download.value.url}"]
    finally:
        view.page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_the_pages_have_no_accessibility_violations(tab: Tab, path: str) -> None:
    _check_accessibility(tab, path, "desktop, public")


@pytest.mark.browser
def test_the_coordinator_pages_have_no_accessibility_violations(
    browser: Browser, site: str
) -> None:
    view = _coordinator_tab(browser, site)
    try:
        for path in PAGES:
            _check_accessibility(view, path, "desktop, coordinator")
    finally:
        view.page.context.close()
