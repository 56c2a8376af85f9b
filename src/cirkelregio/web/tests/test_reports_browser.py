# SPDX-License-Identifier: EUPL-1.2
"""The annual plan, progress, phase timeline and annual report pages in a real browser
(Debian's Chromium) with the region's reference and demo data: axe-core finds no WCAG
2.0/2.1 A or AA violation, in Dutch and English, for the public and for a
coordinator; nothing breaks the Content Security Policy or loads from another host.
Printed, the report leaves out the navigation, starts every action line on a new page
and prints its links as text; a coordinator's bad progress form moves nothing and
shows the error summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

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

PUBLIC = [
    "/rapportage/",
    "/rapportage/2026/",
    "/rapportage/2026/agricycling/",
    "/actielijnen/agricycling/jaarplan/2026/",
    "/actielijnen/utrechtse-asfaltstrategie/fasen/",
]
PROGRESS = "/actielijnen/agricycling/jaarplan/2026/voortgang/"


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> str:
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data_dir = Path(settings.DATA_DIR)
    reference_data_load(directory=data_dir / "regions" / "nl-utrecht")
    demo_data_load(directory=data_dir / "demo" / "nl-utrecht")
    return str(live_server.url)


def _coordinator_tab(browser: Browser, site: str) -> Tab:
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
    return Tab(context.new_page(), site)


@pytest.mark.browser
@pytest.mark.parametrize("path", PUBLIC)
def test_report_and_plan_pages_have_no_accessibility_violations(
    tab: Tab, path: str
) -> None:
    _check_accessibility(tab, path, "desktop")


@pytest.mark.browser
def test_printed_report_has_no_navigation_and_a_page_per_line(tab: Tab) -> None:
    tab.open("/en/rapportage/2026/")
    nav = tab.page.locator("nav.cr-nav")
    assert nav.is_visible()
    tab.page.emulate_media(media="print")
    assert not nav.is_visible()
    assert not tab.page.locator("footer").is_visible()
    assert not tab.page.locator(".cr-report__actions").is_visible()
    breaks = tab.page.eval_on_selector_all(
        ".cr-report__line", "els => els.map(e => getComputedStyle(e).breakBefore)"
    )
    # After the summary every one of the nine lines starts on a new page.
    assert breaks == ["page"] * 9
    # One line's report starts on the first page; a link to a result prints its
    # address.
    from cirkelregio.regions.models import PlannedActivity

    PlannedActivity.objects.filter(
        plan__action_line__slug="agricycling", plan__year=2026, order=1
    ).update(achievement_nl="Verslag.", achievement_url="https://example.org/verslag")
    tab.page.emulate_media(media="screen")
    tab.open("/en/rapportage/2026/agricycling/")
    tab.page.emulate_media(media="print")
    line = tab.page.locator(".cr-report__line")
    assert line.evaluate("e => getComputedStyle(e).breakBefore") == "auto"
    printed = line.locator("a[href='https://example.org/verslag']").evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert printed == '" (https://example.org/verslag)"'
    tab.page.emulate_media(media="screen")
    assert nav.is_visible()
    tab.assert_clean()


@pytest.mark.browser
def test_progress_page_for_a_coordinator(browser: Browser, site: str) -> None:
    from cirkelregio.regions.models import PlannedActivity

    view = _coordinator_tab(browser, site)
    try:
        _check_accessibility(view, PROGRESS, "desktop")
        page = view.page
        view.open("/en" + PROGRESS)
        first = PlannedActivity.objects.filter(
            plan__action_line__slug="agricycling", plan__year=2026
        ).order_by("order")[0]
        tomorrow = timezone.localdate().toordinal() + 1
        page.locator(f"#a{first.pk}-status").select_option("done")
        page.locator(f"#a{first.pk}-achievement_nl").fill("Gecomposteerd.")
        page.locator(f"#a{first.pk}-status_changed_on").fill(
            timezone.localdate().fromordinal(tomorrow).isoformat()
        )
        page.get_by_role("button", name="Save progress").click()
        page.wait_for_selector(".cr-error-summary")
        summary = page.locator(".cr-error-summary")
        assert "Nothing was saved: 1 problem" in summary.inner_text()
        summary.get_by_role("link").click()
        assert (
            page.evaluate("document.activeElement.id")
            == f"a{first.pk}-status_changed_on"
        )
        first.refresh_from_db()
        assert first.status == "in_progress"
        assert not view.axe_violations()
        # The refused form answers 400 on purpose; the browser logs that status.
        expected = [p for p in view.problems if "status of 400 (Bad Request)" in p]
        assert len(expected) == 1
        view.problems.remove(expected[0])
        view.assert_clean()
    finally:
        view.page.context.close()


@pytest.mark.browser
def test_a_coordinator_makes_the_report_file_as_a_job(
    browser: Browser, site: str, settings: Any, tmp_path: Path
) -> None:
    from cirkelregio.jobs.services import job_for

    settings.MEDIA_ROOT = tmp_path
    view = _coordinator_tab(browser, site)
    try:
        _check_accessibility(view, "/rapportage/2026/", "desktop")
        view.open("/en/rapportage/2026/")
        page = view.page
        # The immediate backend makes the file in the request: the download follows.
        with page.expect_download() as download:
            page.get_by_role(
                "button", name="Make the spreadsheet in the background"
            ).click()
        assert download.value.suggested_filename == "jaarrapportage-2026-en.xlsx"
        job_id = int(download.value.url.rstrip("/").split("/")[-2])
        # A navigation that turns into a download counts as a failed request.
        assert view.problems == [f"request failed: {download.value.url}"]
        view.problems.clear()
        job = job_for(None, job_id)
        assert job is None  # nobody signed in sees it
        _check_accessibility(view, f"/taken/{job_id}/", "desktop")
        view.open(f"/en/taken/{job_id}/")
        assert page.get_by_role(
            "link", name="Download jaarrapportage-2026-en.xlsx"
        ).is_visible()
        view.assert_clean()
    finally:
        view.page.context.close()
