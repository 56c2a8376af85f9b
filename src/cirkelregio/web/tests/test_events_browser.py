# SPDX-License-Identifier: EUPL-1.2
"""The Reparatieweek pages in a real browser, as in ``test_browser``: axe-core finds
no WCAG 2.0/2.1 A or AA violation on the overview and on the edition's page, in
Dutch and English, on a desktop screen and on a phone; the pages do not scroll
sideways on a phone; nothing breaks the Content Security Policy; and the "add to
calendar" links serve iCalendar files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.db import transaction

import pytest
from icalendar import Calendar

from cirkelregio.events.models import ReparatieweekEdition
from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import PHONE, Tab, _check_accessibility

# The browser, its contexts and pages from test_browser (fixtures belong to the
# module that defines them; these names make them this module's too).
browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup: None, django_db_blocker: Any) -> str:
    """The rows the migrations wrote (the repair categories, ...), serialized.

    Taken before the browser starts: Playwright's event loop gives the tests
    another database connection object than the one the test database was set up
    with, so pytest-django's serialized rollback finds nothing to restore."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


def _restore(rows: str) -> None:
    empty: dict[type, bool] = {}
    with transaction.atomic():
        for item in serializers.deserialize("json", rows):
            model = type(item.object)
            if model not in empty:
                empty[model] = not model._default_manager.exists()
            if empty[model]:
                item.save()


@pytest.fixture
def site(migrated_rows: str, transactional_db: Any, live_server: Any) -> str:
    """The live server with the reference data, the registry demo data, the repair
    places and the events demo data committed (the server thread sees them). A
    transactional test empties every table when it ends, so the rows of the
    migrations are put back first, in the tables that are empty (content types and
    permissions are made again after the flush)."""
    _restore(migrated_rows)
    from cirkelregio.events.services import events_demo_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load
    from cirkelregio.repair.services import repair_demo_load

    data_dir = Path(settings.DATA_DIR)
    reference_data_load(directory=data_dir / "regions" / "nl-utrecht")
    demo_data_load(directory=data_dir / "demo" / "nl-utrecht")
    repair_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "repair")
    events_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "events")
    return str(live_server.url)


def _pages() -> list[str]:
    edition = ReparatieweekEdition.objects.get(
        name="Reparatieweek voorjaar 2027 (demo)"
    )
    return ["/reparatieweek/", f"/reparatieweek/{edition.pk}/"]


@pytest.mark.browser
def test_reparatieweek_pages_have_no_accessibility_violations(tab: Tab) -> None:
    for path in _pages():
        _check_accessibility(tab, path, "desktop")


@pytest.mark.browser
def test_reparatieweek_pages_on_a_phone(phone: Tab) -> None:
    too_wide = {}
    for path in _pages():
        _check_accessibility(phone, path, "375x812")
        for prefix in ("", "/en"):
            phone.open(prefix + path)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[prefix + path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"
    phone.assert_clean()


@pytest.mark.browser
def test_add_to_calendar_links_serve_icalendar_files(tab: Tab) -> None:
    edition = ReparatieweekEdition.objects.get(
        name="Reparatieweek voorjaar 2027 (demo)"
    )
    tab.open(f"/en/reparatieweek/{edition.pk}/")
    links = tab.page.locator("a[type='text/calendar']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert f"/en/agenda/reparatieweek/{edition.pk}.ics" in hrefs
    assert len(hrefs) > 8
    for href in dict.fromkeys(hrefs):
        assert href is not None
        response = tab.page.request.get(tab.base_url + href)
        assert response.status == 200, href
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert Calendar.from_ical(response.body()).walk("VEVENT"), href
    tab.assert_clean()
