# SPDX-License-Identifier: EUPL-1.2
"""The Reparatiekaart in a real browser, as in ``test_browser``: a person types a
postcode and picks a category, and sees the nearest places and whether they are
open, on a phone and on a desktop screen; the markers are clustered; the list works
without JavaScript; axe-core finds no WCAG 2.0/2.1 A or AA violation on the map
page (also with errors) and on a place's page, in Dutch and English, on both
screens; nothing breaks the Content Security Policy or loads from another host."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

import pytest
from playwright.sync_api import Browser

from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import (
    PHONE,
    Tab,
    _check_accessibility,
    _new_context,
)

# The browser, its contexts and pages from test_browser (fixtures belong to the
# module that defines them; these names make them this module's too).
browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone

# Saturday 11 July 2026, 11:00: the bicycle repairers of the demo data are open
# (Tu-Fr 08:30-18:00; Sa 09:00-17:00), so is the shoemaker; the second-Saturday
# Repair Cafés are too.
SATURDAY = "2026-07-11T11:00"


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> Iterator[str]:
    """The live server with the reference data, the registry demo data and the
    repair demo places committed (the server thread sees them).

    The repair categories come from a data migration, and a transactional test
    empties every table when it ends, so they are created again here, by the
    migration's own function. (Serialized rollback cannot restore them: with
    Playwright's event loop in this thread, Django hands out another connection
    object, without the serialized contents.)"""
    from django.apps import apps

    from cirkelregio.regions.services import demo_data_load, reference_data_load
    from cirkelregio.repair.services import repair_demo_load

    migration = importlib.import_module("cirkelregio.repair.migrations.0002_categories")
    migration.create_categories(apps, None)
    data_dir = Path(settings.DATA_DIR)
    reference_data_load(directory=data_dir / "regions" / "nl-utrecht")
    demo_data_load(directory=data_dir / "demo" / "nl-utrecht")
    repair_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "repair")
    yield str(live_server.url)


def _place_path(name: str) -> str:
    from cirkelregio.repair import selectors

    place = selectors.place_list().get(name=name)
    return f"/reparatiekaart/{place.pk}/"


def _pages() -> list[str]:
    return [
        "/reparatiekaart/",
        f"/reparatiekaart/?postcode=3511+AB&radius=10&category=bicycle&at={SATURDAY}",
        "/reparatiekaart/?postcode=0000&radius=veel&at=gisteren",
        _place_path("Demo Repair Café Utrecht"),
        _place_path("Demo Reparatiewerkplaats Zeist"),  # hours "op afspraak"
    ]


def _distances(view: Tab) -> list[float]:
    texts = view.page.locator(".cr-result__facts dd").all_inner_texts()
    return [
        float(t.replace(" km", "").replace(",", "."))
        for t in texts
        if t.endswith(" km")
    ]


def _search_by_postcode_and_category(view: Tab, prefix: str) -> None:
    """A person types a postcode, picks a category and a moment, and searches."""
    page = view.page
    english = bool(prefix)
    view.open(prefix + "/reparatiekaart/")
    page.get_by_label("Postcode", exact=True).fill("3511 AB")
    page.get_by_label(
        "What needs repair?" if english else "Wat moet er gerepareerd worden?"
    ).select_option(label="Bicycles" if english else "Fietsen")
    page.get_by_label("Open at" if english else "Open op").fill(SATURDAY)
    page.get_by_role("button", name="Search" if english else "Zoeken").click()
    page.wait_for_url(re.compile(r"postcode=3511"))
    page.wait_for_selector("[data-map][data-ready='true']")


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_person_finds_the_nearest_places_and_whether_they_are_open(
    tab: Tab, phone: Tab, screen: str
) -> None:
    view = tab if screen == "desktop" else phone
    page = view.page
    _search_by_postcode_and_category(view, "")

    heading = page.locator("#results").inner_text()
    count = int(heading.split()[0])
    assert count >= 2, heading
    results = page.locator(".cr-result")
    assert results.count() == count
    # Nearest first, the nearest in Utrecht itself.
    distances = _distances(view)
    assert len(distances) == count
    assert distances == sorted(distances)
    assert distances[-1] <= 10
    first = results.first
    assert first.locator("h3 a").inner_text() == "Demo Fietsenmaker Utrecht"
    # Whether each is open at the moment chosen: the bicycle repairers are.
    assert first.locator(".cr-state").inner_text() == "Open"
    states = set(page.locator(".cr-result .cr-state").all_inner_texts())
    assert states <= {"Open", "Gesloten", "Openingstijden onbekend"}
    assert (
        "zaterdag 11 juli 2026, 11:00"
        in page.locator("#results ~ p").all_inner_texts()[1]
    )

    # The map shows the places found (clustered or single) and the search circle.
    markers = page.locator("#repair-map .leaflet-marker-pane .cr-cluster")
    singles = page.locator("#repair-map path.leaflet-interactive")
    shown = singles.count() + sum(
        int(markers.nth(i).inner_text().split()[0]) for i in range(markers.count())
    )
    assert shown == count
    assert page.locator(".leaflet-tile").count() == 0

    # The nearest place's page says whether it is open, and its hours in words.
    first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/reparatiekaart/\d+/\?at="))
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Demo Fietsenmaker Utrecht")
    )
    assert page.locator(".cr-state--large").inner_text().startswith("Open, tot")
    hours = page.locator(".cr-hours li").all_inner_texts()
    assert hours == [
        "Dinsdag tot en met vrijdag: 08.30–18.00 uur",
        "Zaterdag: 09.00–17.00 uur",
        "Gesloten op feestdagen",
    ]
    view.assert_clean()


@pytest.mark.browser
def test_the_search_in_english(tab: Tab) -> None:
    _search_by_postcode_and_category(tab, "/en")
    page = tab.page
    assert page.locator("html").get_attribute("lang") == "en"
    first = page.locator(".cr-result").first
    assert first.locator("h3 a").inner_text() == "Demo Fietsenmaker Utrecht"
    assert first.locator(".cr-state").inner_text() == "Open"
    assert _distances(tab) == sorted(_distances(tab))
    tab.assert_clean()


@pytest.mark.browser
def test_markers_are_clustered_and_a_cluster_has_a_name(tab: Tab) -> None:
    """All 62 demo places on the region map: clusters, each a button named by its
    number of places; activating one zooms in."""
    tab.open("/reparatiekaart/")
    page = tab.page
    clusters = page.locator("#repair-map .cr-cluster")
    assert clusters.count() >= 1
    singles = page.locator("#repair-map path.leaflet-interactive").count()
    total = sum(
        int(clusters.nth(i).inner_text().split()[0]) for i in range(clusters.count())
    )
    assert total + singles == 62
    cluster = clusters.first
    assert cluster.get_attribute("role") == "button"
    assert re.fullmatch(r"\d+ reparatieplekken", cluster.text_content() or "")
    # Leaflet scales this element with the zoom level.
    proxy = page.locator("#repair-map .leaflet-proxy")
    before = proxy.get_attribute("style")
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "before => document.querySelector('#repair-map .leaflet-proxy')"
        ".getAttribute('style') !== before",
        arg=before,
    )
    tab.assert_clean()
    assert any(
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in url
        for url in tab.requests
    )


@pytest.mark.browser
def test_the_list_works_without_javascript(browser: Browser, site: str) -> None:
    context = _new_context(browser, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        view = Tab(page, site)
        page.goto(site + "/en/reparatiekaart/")
        page.get_by_label("Postcode", exact=True).fill("3811")
        page.get_by_label("What needs repair?").select_option(label="Shoes")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"postcode=3811"))
        first = page.locator(".cr-result").first
        assert first.locator("h3 a").inner_text() == "Demo Schoenmaker Amersfoort"
        assert page.locator(".cr-result").count() >= 1
        assert _distances(view) == sorted(_distances(view))
        assert page.locator(".leaflet-container").count() == 0  # no map drawn
        view.assert_clean()
    finally:
        context.close()


@pytest.mark.browser
def test_repair_pages_have_no_accessibility_violations_on_a_desktop(tab: Tab) -> None:
    for path in _pages():
        _check_accessibility(tab, path, "desktop")


@pytest.mark.browser
def test_repair_pages_on_a_phone(phone: Tab) -> None:
    too_wide = {}
    for path in _pages():
        _check_accessibility(phone, path, "375x812")
        for prefix in ("", "/en"):
            phone.open(prefix + path)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[prefix + path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"
