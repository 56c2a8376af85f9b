# SPDX-License-Identifier: EUPL-1.2
"""The suggestion forms of the Reparatiekaart in a real browser, as in
``test_browser``: axe-core finds no WCAG 2.0/2.1 A or AA violation on the form for
a new place, the correction form of a place and the thank-you page (also with
error messages), in Dutch and English, on a desktop screen and on a phone; a
person reaches the forms from the map and from a place, and sends them without any
script of ours; nothing breaks the Content Security Policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.cache import cache

import pytest

from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests import test_repair_browser as repair_shared
from cirkelregio.web.tests.test_browser import PHONE, Tab, _check_accessibility

# The browser, its contexts and pages from test_browser, and the site with the
# repair demo places from test_repair_browser (fixtures belong to the module that
# defines them; these names make them this module's too).
browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone
site = repair_shared.site

PLACE = "Demo Repair Café Utrecht"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _place() -> Any:
    from cirkelregio.repair import selectors

    return selectors.place_list().get(name=PLACE)


def _pages() -> list[str]:
    return [
        "/reparatiekaart/voorstellen/",
        f"/reparatiekaart/{_place().pk}/correctie/",
        "/reparatiekaart/voorstellen/bedankt/",
    ]


def _suggestions() -> Any:
    from cirkelregio.repair.models import RepairPlaceSuggestion

    return RepairPlaceSuggestion.objects.order_by("id")


@pytest.mark.browser
def test_the_forms_have_no_accessibility_violations(tab: Tab) -> None:
    for path in _pages():
        _check_accessibility(tab, path, "desktop")


@pytest.mark.browser
def test_the_forms_on_a_phone(phone: Tab) -> None:
    too_wide = {}
    for path in _pages():
        _check_accessibility(phone, path, "375x812")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"


@pytest.mark.browser
def test_the_forms_with_errors_have_no_accessibility_violations(tab: Tab) -> None:
    for prefix in ("", "/en"):
        for path in _pages()[:2]:
            tab.open(prefix + path)
            page = tab.page
            page.locator("#id_postcode").fill("35111")
            page.locator("#id_email").fill("geen-adres")
            page.locator("#id_name").fill("")
            page.get_by_role("button").last.click()
            page.wait_for_selector(".cr-error-summary")
            invalid = page.locator('[aria-invalid="true"]').count()
            assert invalid >= (1 if "correctie" in path else 2), path
            violations = tab.axe_violations()
            assert not violations, violations
    assert not _suggestions().exists()
    tab.assert_clean()


@pytest.mark.browser
def test_a_person_suggests_a_place_and_a_correction(tab: Tab) -> None:
    page = tab.page
    tab.open("/en/reparatiekaart/")
    page.get_by_role("link", name="Suggest a repair place").click()
    page.wait_for_url("**/en/reparatiekaart/voorstellen/")
    page.get_by_label("Name of the place").fill("Naaiatelier Browser")
    page.get_by_label("Kind of place").select_option("tailor")
    page.get_by_label("Clothing and textiles").check()
    page.get_by_label("Opening hours").fill("every other Tuesday")
    page.get_by_label("Postcode").fill("3511 ab")
    page.get_by_label("Your e-mail address").fill("iemand@example.org")
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_url("**/en/reparatiekaart/voorstellen/bedankt/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Thank you for your suggestion"
    )
    new = _suggestions().get()
    assert (new.type, new.name, new.kind, new.postcode) == (
        "new",
        "Naaiatelier Browser",
        "tailor",
        "3511 AB",
    )
    assert new.categories == ["clothing"]
    assert (new.opening_hours, new.opening_hours_unparsable) == (
        "every other Tuesday",
        True,
    )

    # A correction from a place's own page: only the changed phone is sent.
    tab.open(f"/reparatiekaart/{_place().pk}/")
    page.get_by_role("link", name="Geef een correctie door").click()
    page.wait_for_url("**/correctie/")
    assert page.get_by_label("Naam van de plek").input_value() == PLACE
    page.get_by_label("Telefoonnummer van de plek").fill("030 999 99 99")
    page.get_by_label("Wat klopt er niet?").fill("Het nummer is veranderd.")
    page.get_by_role("button", name="Verstuur voorstel").click()
    page.wait_for_url("**/reparatiekaart/voorstellen/bedankt/")
    correction = _suggestions().last()
    assert (correction.type, correction.place_id) == ("correction", _place().pk)
    assert correction.proposed() == {"phone": "030 999 99 99"}
    assert correction.message == "Het nummer is veranderd."
    tab.assert_clean()
