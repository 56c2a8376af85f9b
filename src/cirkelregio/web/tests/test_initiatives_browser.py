# SPDX-License-Identifier: EUPL-1.2
"""The pages of the resident initiatives in a real browser, as in ``test_browser``:
axe-core finds no WCAG 2.0/2.1 A or AA violation on the directory, an initiative's
page and the suggestion form (also with its error messages), in Dutch and English,
on a desktop screen and on a phone; the filters and the form work without any
script of ours; nothing breaks the Content Security Policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache

import pytest

from cirkelregio.initiatives.models import Initiative
from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import PHONE, Tab, _check_accessibility

# The browser, its contexts and pages from test_browser (fixtures belong to the
# module that defines them; these names make them this module's too).
browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> Iterator[str]:
    """The live server with the reference data, the registry demo data and the
    initiatives demo data committed (the server thread sees them)."""
    from cirkelregio.initiatives.services import initiatives_demo_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data_dir = Path(settings.DATA_DIR)
    reference_data_load(directory=data_dir / "regions" / "nl-utrecht")
    demo_data_load(directory=data_dir / "demo" / "nl-utrecht")
    initiatives_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "initiatives")
    cache.clear()
    yield str(live_server.url)
    cache.clear()


def _pages() -> list[str]:
    item = Initiative.objects.get(name="Repair Café De Voorbeeldwijk (demo)")
    return [
        "/initiatieven/",
        "/initiatieven/?municipality=utrecht&type=share_car",
        f"/initiatieven/{item.pk}/",
        "/initiatieven/aanmelden/",
        "/initiatieven/aanmelden/bedankt/",
    ]


@pytest.mark.browser
def test_initiative_pages_have_no_accessibility_violations(tab: Tab) -> None:
    for path in _pages():
        _check_accessibility(tab, path, "desktop")


@pytest.mark.browser
def test_initiative_pages_on_a_phone(phone: Tab) -> None:
    too_wide = {}
    for path in _pages():
        _check_accessibility(phone, path, "375x812")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"


@pytest.mark.browser
def test_the_form_with_errors_has_no_accessibility_violations(tab: Tab) -> None:
    for prefix in ("", "/en"):
        tab.open(prefix + "/initiatieven/aanmelden/")
        page = tab.page
        page.locator("#id_contact_email").fill("geen-adres")
        page.get_by_role("button").last.click()
        page.wait_for_selector(".cr-error-summary")
        assert page.locator('[aria-invalid="true"]').count() >= 4
        violations = tab.axe_violations()
        assert not violations, violations
    tab.assert_clean()


@pytest.mark.browser
def test_filter_and_suggest_in_the_browser(tab: Tab) -> None:
    page = tab.page
    tab.open("/en/initiatieven/")
    page.locator("#filter-municipality").select_option("houten")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/en/initiatieven/?municipality=houten**")
    cards = page.locator(".cr-card")
    assert cards.count() == 1
    assert "Fietsmaakplaats Houten (demo)" in cards.first.inner_text()

    page.get_by_role("link", name="Suggest an initiative").click()
    page.wait_for_url("**/en/initiatieven/aanmelden/")
    page.get_by_label("Name of the initiative").fill("Ruilkast Browser")
    page.get_by_label("Type").select_option("swap_and_share")
    page.get_by_label("Municipality").select_option(label="Houten")
    page.get_by_label("Growing").check()
    page.get_by_label("What does the initiative do?").fill("Swapping books and toys.")
    page.get_by_label("Volunteers").check()
    page.get_by_label("E-mail address of the initiative").fill("kast@example.org")
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_url("**/en/initiatieven/aanmelden/bedankt/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Thank you for your suggestion"
    )
    item = Initiative.objects.get(name="Ruilkast Browser")
    assert (item.status, item.stage, item.needs) == (
        "suggested",
        "growing",
        "volunteers",
    )
    assert item.description_en == "Swapping books and toys."
    tab.open("/en/initiatieven/?municipality=houten")
    assert "Ruilkast Browser" not in page.content()
    tab.assert_clean()
