# SPDX-License-Identifier: EUPL-1.2
"""The Regiomonitor in a real browser, as in ``test_browser``: the reference data,
the demo data of every module loaded as ``bin/serve`` does, and the monitoring
indicators computed from them. A bestuurder opens /monitor/, an indicator page and a
municipality page and sees figures of every module with the numbers behind each
chart; axe-core finds no WCAG 2.0/2.1 A or AA violation in Dutch and English, on a
desktop screen and a phone; nothing breaks the Content Security Policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

import pytest

from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import PHONE, Tab, _check_accessibility

browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone

#: An indicator of every module that has a demo, as data/monitoring/indicators.csv
#: names them.
MODULE_INDICATORS = [
    "participating-organisations",  # regions
    "mki-gww-projects",  # mki
    "exchange-tonnes-reused",  # exchange
    "biobased-share",  # biobased
    "agricycling-composted-t",  # agricycling
    "repair-places",  # repair
    "initiatives",  # initiatives
    "craftcentres-bulky-waste-t",  # craftcentres
    "asphalt-plan-mki",  # roads (the demo work of 2026)
    "reparatieweken",  # events (the demo edition of autumn 2026)
    "reparatieweek-activities",  # events
]


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> str:
    from cirkelregio.agricycling.services import agricycling_demo_load
    from cirkelregio.biobased.services import biobased_demo_load, materials_load
    from cirkelregio.craftcentres.services import craftcentres_demo_load
    from cirkelregio.events.services import events_demo_load
    from cirkelregio.exchange.services import exchange_demo_load, match_run_start
    from cirkelregio.initiatives.services import initiatives_demo_load
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.monitoring.services import indicators_compute, indicators_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load
    from cirkelregio.repair.services import repair_demo_load
    from cirkelregio.roads.services import roads_demo_load

    data = Path(settings.DATA_DIR)
    demo = data / "demo" / "nl-utrecht"
    reference_data_load(directory=data / "regions" / "nl-utrecht")
    materials_load(path=data / "biobased" / "materials.csv")
    demo_data_load(directory=demo)
    mki_demo_load(directory=demo / "mki")
    exchange_demo_load(directory=demo / "exchange")
    match_run_start(actor=None)
    initiatives_demo_load(directory=demo / "initiatives")
    repair_demo_load(directory=demo / "repair")
    events_demo_load(directory=demo / "events")
    roads_demo_load(directory=demo / "roads")
    biobased_demo_load(directory=demo / "biobased")
    agricycling_demo_load(directory=demo / "agricycling")
    craftcentres_demo_load(directory=demo / "craftcentres")
    indicators_load()
    indicators_compute()
    return str(live_server.url)


PAGES = [
    "/monitor/",
    "/monitor/indicatoren/repair-places/?gemeente=utrecht&gemeente=amersfoort",
    "/gemeenten/utrecht/",
    "/actielijnen/heel-utrecht-repareert/",
]


@pytest.mark.browser
def test_a_bestuurder_sees_the_figures_of_every_module(tab: Tab, site: str) -> None:
    for path in PAGES:
        _check_accessibility(tab, path, "desktop")
    page = tab.page
    tab.open("/en/monitor/")
    main = page.locator("main")
    shown = set(
        main.locator("tr[data-indicator]").evaluate_all(
            "rows => rows.map(r => r.dataset.indicator)"
        )
    )
    assert set(MODULE_INDICATORS) <= shown
    # Every module's figure has a value: the demo of each module gives one up to
    # the current year.
    empty = [
        code
        for code in MODULE_INDICATORS
        if main.locator(f"tr[data-indicator='{code}'] td")
        .first.inner_text()
        .startswith("–")
    ]
    assert not empty, empty
    assert main.locator("svg.cr-phasebar").count() >= 8
    # The indicator page: a trend line, a map and a ranking, each with its table.
    tab.open("/en" + PAGES[1])
    for table in ("trend-chart-table", "map-chart-table", "comparison-table"):
        assert page.locator(f"#{table} tbody tr").count() > 0, table
        assert page.locator(f"#{table}").is_visible(), table
    assert page.locator("main svg path.cr-area").count() == 26
    assert page.locator("#trend-chart-table thead th").count() == 4  # year, 3 lines
    # The municipality page: the lines Utrecht joins and its figures beside the
    # region's, of every module with values per municipality.
    tab.open("/en/gemeenten/utrecht/")
    assert page.locator("#monitor-lines tbody tr").count() >= 1
    codes = set(
        page.locator("#monitor-figures tr[data-indicator]").evaluate_all(
            "rows => rows.map(r => r.dataset.indicator)"
        )
    )
    assert {"repair-places", "biobased-share", "craftcentres-bulky-waste-t"} <= codes
    assert page.locator("#monitor-phase-chart-title").is_visible()
    tab.assert_clean()


@pytest.mark.browser
def test_the_monitor_on_a_phone(phone: Tab, site: str) -> None:
    too_wide = {}
    for path in PAGES:
        _check_accessibility(phone, path, "375x812")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"
